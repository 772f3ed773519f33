"""Retention purge of many expired submissions on PostgreSQL, and what the site feels.

Usage: .venv/bin/python bench/purge.py [rows] [batch_size]
        (DATABASE_URL names the PostgreSQL server; a scratch database is created beside
        it and dropped at the end). Results go to docs/benchmarks.md with this command.

One process runs `purge_expired_data` while a second one plays the site: it keeps
storing new submissions and reading the inbox list, and records how long each of its
operations waited. The longest of those waits is "the longest time the site waited on
a lock during the purge".
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def _django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "csce.settings.test"
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _seed(database_url: str, rows: int) -> None:
    _django(database_url)
    from django.contrib.auth.models import Group
    from django.db import connection

    from csce.common.crypto import encrypt_text

    inbox = Group.objects.get_or_create(name="Bench inbox")[0]
    # One real token for every row: the purge never decrypts, the size is realistic.
    token = encrypt_text('[{"name": "message", "value": "' + "x" * 400 + '"}]')
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO submissions_submission (form_title, kind, inbox_id, language,
                created_at, expires_at, status, answers, email_index, consent_given,
                optional_consents)
            SELECT 'Bench', 'inquiry', %s, 'fr', now() - interval '40 days',
                now() - interval '10 days', 'new', %s, md5(g::text) || md5(g::text), false,
                '[]'::jsonb
            FROM generate_series(1, %s) AS g
            """,
            [inbox.pk, token, rows],
        )
    connection.close()


def _site(database_url: str, stop, result) -> None:
    """Store a submission and list the inbox, over and over; keep the slowest of each."""
    _django(database_url)
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from csce.submissions.models import Submission

    inbox = Group.objects.get(name="Bench inbox")
    slowest_write = slowest_read = 0.0
    operations = 0
    while not stop.is_set():
        started = time.perf_counter()
        Submission.objects.create(
            form_title="Live",
            kind="inquiry",
            inbox=inbox,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            answers=[{"name": "message", "value": "bonjour"}],
        )
        slowest_write = max(slowest_write, time.perf_counter() - started)
        started = time.perf_counter()
        list(Submission.objects.filter(inbox=inbox).order_by("-created_at")[:50].values("pk"))
        slowest_read = max(slowest_read, time.perf_counter() - started)
        operations += 1
        time.sleep(0.01)
    result.update(write=slowest_write, read=slowest_read, operations=operations)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    parsed = urlparse(url)
    name = f"bench_purge_{secrets.token_hex(3)}"
    admin = parsed._replace(path="/postgres").geturl()
    scratch = parsed._replace(path=f"/{name}").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": scratch,
            "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        }
        for app in ("audit", "submissions", "retention"):
            subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
                [sys.executable, "manage.py", "migrate", app, "-v0", "--skip-checks"],
                cwd=REPO,
                env=env,
                check=True,
            )
        started = time.perf_counter()
        seed = multiprocessing.Process(target=_seed, args=(scratch, ROWS))
        seed.start()
        seed.join()
        print(f"seeded {ROWS:,} expired submissions in {time.perf_counter() - started:.1f} s")

        manager = multiprocessing.Manager()
        stop, result = manager.Event(), manager.dict()
        site = multiprocessing.Process(target=_site, args=(scratch, stop, result))
        site.start()
        time.sleep(2)
        _django(scratch)
        from csce.retention.services import purge_expired_data

        started = time.perf_counter()
        run = purge_expired_data(batch_size=BATCH)
        elapsed = time.perf_counter() - started
        stop.set()
        site.join()
        print(
            f"purged {run.counts.get('submissions', 0):,} in {elapsed:.1f} s "
            f"({run.counts.get('submissions', 0) / elapsed:,.0f} rows/s, batches of {BATCH})"
        )
        print(
            f"site meanwhile: {result['operations']:,} write+read rounds; slowest write "
            f"{result['write'] * 1000:.0f} ms, slowest inbox read {result['read'] * 1000:.0f} ms"
        )
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
