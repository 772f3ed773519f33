"""Locks that keep two copies of the system from preparing one data folder or database at once.

Two `make run` started on one data folder both migrated the same SQLite file and left it
half-migrated ("table already exists", then "no such column" at the next start); two nodes
deploying at once against one PostgreSQL database do the same. Policy M: the system stays
correct under faults, including an operator's double start.

- ``instance_lock``: one `make run` per data folder. An ``flock`` on a file in the folder,
  held for the life of the process; the kernel releases it when the process ends, even
  killed, so a crash never leaves a stale lock behind.
- ``migration_lock``: one ``migrate`` per database at a time; the others wait, then find
  the migrations applied. A PostgreSQL advisory lock (per database, released with the
  session), or an ``flock`` beside the SQLite file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

INSTANCE_LOCK_NAME = "serve.lock"
# Any fixed 64-bit number; the same in every process and every release ("csce" in ASCII).
MIGRATION_ADVISORY_LOCK_KEY = 0x63736365_6D696772


class InstanceRunning(Exception):
    """Another process holds the data folder."""

    def __init__(self, *, folder: Path, pid: str):
        self.folder, self.pid = folder, pid
        super().__init__(
            _(
                "Another copy of the system (process %(pid)s) is already running on the data "
                "folder %(folder)s. Stop it first (Ctrl-C in its terminal), or give this one "
                "another folder with DATA_DIR."
            )
            % {"pid": pid or "?", "folder": folder}
        )


def instance_lock(*, data_dir: Path) -> IO[str]:
    """Hold ``data_dir`` for this process; raise ``InstanceRunning`` at once when another has it.

    Keep the returned file open for as long as the process serves: closing it (or the
    process ending) releases the lock. The file names the holder's PID for the message.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # Not truncated at open: a refused second instance must still read the holder's PID.
    handle = (data_dir / INSTANCE_LOCK_NAME).open("a+", encoding="ascii")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        raise InstanceRunning(folder=data_dir.resolve(), pid=pid) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _sqlite_file(connection) -> Path | None:
    if connection.is_in_memory_db():
        return None
    return Path(str(connection.settings_dict["NAME"]))


@contextlib.contextmanager
def migration_lock(*, connection, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Run the block alone among the processes migrating the database of ``connection``.

    ``waiting`` is called once when another process holds the lock, before waiting for it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_ADVISORY_LOCK_KEY])
            if not cursor.fetchone()[0]:
                if waiting is not None:
                    waiting()
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_ADVISORY_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_ADVISORY_LOCK_KEY])
        return
    database = _sqlite_file(connection) if connection.vendor == "sqlite" else None
    if database is None:
        yield  # an in-memory database belongs to one process; other engines: not ours
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{database}.migrate-lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
