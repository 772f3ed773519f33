"""Helpers for tests: driving the project as separate processes (concurrency tests), reading
the database as raw SQL, data kept for a whole test module."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection, transaction


def manage_run(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own, with ``env``; output captured as text."""
    return subprocess.run(  # noqa: S603 (our own manage.py, arguments from the test)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def database_text_dump() -> str:
    """Every value of every table, read with SQL rather than the ORM: what someone with a
    copy of the database would read (tests that no personal value is stored in clear)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


# Hostile form values for the public forms' fuzz tests (policy M: no input fails a
# page): unicode, very long values, HTML and script, null bytes and lone surrogates,
# plus each form's own.
HOSTILE_VALUES = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "a\x00b",
    "\ud7ff\ue000\U0010ffff",
    "",
]


def hostile_form_values(*extra: str):
    """A hypothesis strategy of the values a robot may put in any field of a public form."""
    # Here, not at the top: hypothesis is a development dependency only.
    from hypothesis import strategies as st

    return st.one_of(
        st.text(max_size=300),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=20).map(
            lambda s: s * 400
        ),
        st.sampled_from([*HOSTILE_VALUES, *extra]),
    )


@contextlib.contextmanager
def database_read_only():
    """The test's database refuses every write until the block ends, as a read-only file,
    a full disk or a read-only replica would. SQLite: ``query_only``. PostgreSQL: a
    savepoint turned read-only, rolled back at the end, which restores read-write (a
    setting made in a savepoint goes with it)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        return
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET transaction_read_only = on")
    try:
        yield
    finally:
        connection.needs_rollback = False
        transaction.savepoint_rollback(savepoint)


def postgres_admin_url(url: str) -> str:
    """The maintenance database of the server ``url`` names, where databases are made."""
    return urlparse(url)._replace(path="/postgres").geturl()


@contextlib.contextmanager
def kept_for_module(django_db_blocker):
    """For a module-scoped fixture: what is built inside stays for every test of the module
    (each runs in its own savepoint within this transaction, so what one test changes the
    next never sees) and is rolled back when the module ends. Building a site once per
    module instead of once per test; the module's tests must not be transactional ones."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
