"""One `make run` per data folder, one `migrate` at a time per database (csce/common/locks.py)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from csce.common.locks import MIGRATION_ADVISORY_LOCK_KEY, InstanceRunning, instance_lock

REPO = Path(settings.BASE_DIR)
HOLDER = (
    "import sys, time\n"
    "from csce.common.locks import instance_lock\n"
    "held = instance_lock(data_dir=sys.argv[1])\n"
    "sys.stdout.write('held\\n'); sys.stdout.flush()\n"
    "time.sleep(120)\n"
)


@pytest.fixture
def other_instance(tmp_path):
    """A process of its own holding ``tmp_path`` as `make run` does."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "held\n"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdout.close()


def test_a_second_instance_on_the_same_folder_is_refused_at_once_naming_folder_and_pid(
    tmp_path, other_instance
):
    started = time.monotonic()
    with pytest.raises(InstanceRunning) as refused:
        instance_lock(data_dir=tmp_path)
    assert time.monotonic() - started < 1
    message = str(refused.value)
    assert str(tmp_path.resolve()) in message
    assert str(other_instance.pid) in message
    assert "DATA_DIR" in message


def test_the_lock_goes_with_the_process_even_when_it_is_killed(tmp_path, other_instance):
    os.kill(other_instance.pid, signal.SIGKILL)
    other_instance.wait()
    held = instance_lock(data_dir=tmp_path)
    try:
        assert (tmp_path / "serve.lock").read_text().strip() == str(os.getpid())
    finally:
        held.close()


def test_another_folder_is_not_held(tmp_path, other_instance):
    instance_lock(data_dir=tmp_path / "other").close()


def test_make_run_refuses_before_touching_the_database_and_says_so_in_french(
    tmp_path, other_instance, settings, monkeypatch
):
    settings.DATA_DIR = tmp_path
    called = []
    monkeypatch.setattr(
        "csce.common.management.commands.serve.call_command", lambda *a, **k: called.append(a)
    )
    with translation.override("fr"), pytest.raises(CommandError) as refused:
        call_command("serve", "--no-demo")
    assert not called, "nothing migrated, collected or loaded"
    message = str(refused.value)
    assert str(tmp_path.resolve()) in message
    assert str(other_instance.pid) in message
    assert "déjà" in message  # French by default, as the rest of the command line


# --- migrations ---------------------------------------------------------------------------
# The scratch database is fully migrated; the common app, on whose migrations no other
# app's depend, is taken back to before its first migration, as on a fresh database.
LEFT_APP = "common"


def _postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _unmigrate(url: str) -> None:
    if _postgres(url):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename LIKE %s",
                    [f"{LEFT_APP}\\_%"],
                )
            ]
            for table in tables:
                conn.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
            conn.execute("DELETE FROM django_migrations WHERE app = %s", [LEFT_APP])
        return
    with contextlib.closing(sqlite3.connect(urlparse(url).path)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '!'",
                [f"{LEFT_APP}!_%"],
            )
        ]
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            conn.execute(f'DROP TABLE "{table}"')
        conn.execute("DELETE FROM django_migrations WHERE app = ?", [LEFT_APP])
        conn.commit()


@contextlib.contextmanager
def _held_migration_lock(url: str):
    """What a first migrating process holds, taken here so that the test decides when it ends."""
    if _postgres(url):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_ADVISORY_LOCK_KEY])
            yield
        return
    with open(f"{urlparse(url).path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _applied(url: str) -> int:
    if _postgres(url):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(
                "SELECT count(*) FROM django_migrations WHERE app = %s", [LEFT_APP]
            ).fetchone()[0]
    with contextlib.closing(sqlite3.connect(urlparse(url).path)) as conn:
        return conn.execute(
            "SELECT count(*) FROM django_migrations WHERE app = ?", [LEFT_APP]
        ).fetchone()[0]


def _wait_for_line(process: subprocess.Popen, text: str, timeout: float = 120) -> str:
    """Read the process's stderr until ``text``; what it printed so far when it ends first."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            break
    return "".join(seen)


def test_two_migrations_at_once_on_one_database_both_succeed(scratch_database_url, tmp_path):
    url = scratch_database_url
    _unmigrate(url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        "DATABASE_URL": url,
        "DATA_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    argv = [sys.executable, "manage.py", "migrate", "--skip-checks", "--no-input"]
    with _held_migration_lock(url):
        runs = [
            subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        try:
            for run in runs:
                printed = _wait_for_line(run, "Un autre processus migre cette base")
                assert run.poll() is None, f"migrated while another held the database: {printed}"
                assert "Un autre processus migre cette base" in printed, printed
            assert _applied(url) == 0
        except BaseException:
            for run in runs:
                run.kill()
            raise
    results = [(run.wait(timeout=300), run.stdout.read(), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    for returncode, _out, err in results:
        assert returncode == 0, err[-2000:]
        assert "already exists" not in err
    assert _applied(url) == len(list((REPO / "csce" / LEFT_APP / "migrations").glob("0*.py")))
    # One of the two applied them; the other found nothing left to do.
    outputs = [out for _code, out, _err in results]
    assert sum(f"Applying {LEFT_APP}." in out for out in outputs) == 1, outputs
