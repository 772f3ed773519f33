"""Writing page views in batches, so a beacon costs its visitor no database write.

Each process keeps the views it received for up to ``ANALYTICS_FLUSH_SECONDS`` (or
``BATCH_SIZE`` views) and writes them in one INSERT from a background thread: at 3,000
views a second, one short transaction a second instead of 3,000. A process that is
killed loses at most that second of page views (counts, never personal data); a process
that stops normally writes what it holds (atexit). With ``ANALYTICS_FLUSH_SECONDS = 0``
(the tests) every view is written at once.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from operator import attrgetter

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    InternalError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    models,
    transaction,
)

from .counted import counted_paths
from .models import PageView
from .salts import local_day, salts_forget

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A database that is down does not fill the memory: beyond this, the oldest are dropped.
MAX_PENDING = 50_000
# The database cannot write at all (down, read-only, disk full): keep the batch, retry.
# Any other error comes from a row, which is then left out, never the whole batch.
UNAVAILABLE = (OperationalError, InterfaceError, InternalError)


class Recorder:
    def __init__(self) -> None:
        self._pid = 0
        self._pending: list[PageView] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False  # logged once when writing fails, once when it works again
        self._dropped = 0

    def _process_start(self) -> None:
        """Once per process (gunicorn forks its workers after import)."""
        self._pid = os.getpid()
        self._pending = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="analytics-recorder", daemon=True)
        self._thread.start()
        atexit.register(self.flush)

    def add(self, view: PageView) -> None:
        interval = settings.ANALYTICS_FLUSH_SECONDS
        if interval <= 0:
            _write(_counted(batch=[view]))
            return
        if self._pid != os.getpid():
            with _start_lock:
                if self._pid != os.getpid():
                    self._process_start()
        with self._lock:
            self._pending.append(view)
            full = len(self._pending) >= BATCH_SIZE
        if full:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(settings.ANALYTICS_FLUSH_SECONDS)
            self._wake.clear()
            # A salt of a day that is over leaves this process's memory too.
            salts_forget(before=local_day())
            self.flush()

    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return 0
        close_old_connections()
        try:
            written = _write(_counted(batch=batch))
        except Exception as error:
            if isinstance(error, Unwritten):
                batch = error.views
            # Counts only, never a value: a page view holds nothing personal to log anyway.
            # Logged once, not at every retry (once a second).
            if not self._failing:
                self._failing = True
                logger.exception(
                    "Could not record %d page views; they will be retried.", len(batch)
                )
            with self._lock:
                self._pending[:0] = batch
                overflow = len(self._pending) - MAX_PENDING
                if overflow > 0:
                    del self._pending[:overflow]
                    self._dropped += overflow
            return 0
        else:
            if self._failing:
                self._failing = False
                logger.warning(
                    "Page views are recorded again (%d dropped meanwhile: memory was full).",
                    self._dropped,
                )
                self._dropped = 0
            return written
        finally:
            # The background thread writes once a second at most: it holds no connection
            # between batches (a database being dropped or restarted waits for no one).
            in_thread = threading.current_thread() is self._thread
            if (in_thread or connection.vendor == "sqlite") and not connection.in_atomic_block:
                connection.close()
            else:
                close_old_connections()


class Unwritten(Exception):
    """The database stopped writing part-way: ``views`` are the ones still to write."""

    def __init__(self, views: list[PageView]):
        super().__init__(len(views))
        self.views = views


def _counted(*, batch: list[PageView]) -> list[PageView]:
    """The views of pages that are live and public now (policy M): a beacon may name any
    address that has the shape of a page, an unpublished or restricted one included."""
    paths = counted_paths()
    return [view for view in batch if view.path.split("?", 1)[0] in paths]


def _write(batch: list[PageView]) -> int:
    """Write ``batch``; when the database refuses it for one of its rows, write the others
    one by one and leave that row out. Raises only when the database cannot write."""
    if not batch:
        return 0
    try:
        _insert(batch)
    except UNAVAILABLE:
        raise
    except Exception:  # any other error comes from a value the database cannot take
        written = 0
        for index, view in enumerate(batch):
            try:
                _insert([view])
            except UNAVAILABLE as error:
                raise Unwritten(batch[index:]) from error
            except Exception as error:  # the count is logged below, never a value
                logger.debug("Page view left out: %s", type(error).__name__)
                continue
            written += 1
        logger.error("Left out %d page views the database refused.", len(batch) - written)
        return written
    return len(batch)


def _insert(batch: list[PageView]) -> None:
    """Write ``batch`` in one transaction, the values prepared as ``bulk_create`` prepares
    them, without its per-value work: each field's own preparation for the dates, the
    values as they are for the rest (strings, integers, a boolean). At 3,000 views a
    second, ``bulk_create`` took more processor time than answering the beacons did."""
    database = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in PageView._meta.concrete_fields if not f.primary_key]
    dates = [
        (index, field)
        for index, field in enumerate(fields)
        if isinstance(field, models.DateField)  # and DateTimeField, its subclass
    ]
    values_of = attrgetter(*(f.attname for f in fields))
    rows = []
    for view in batch:
        row = list(values_of(view))
        for index, field in dates:
            row[index] = field.get_db_prep_save(row[index], database)
        rows.append(row)
    quote = database.ops.quote_name
    sql = (
        f"INSERT INTO {quote(PageView._meta.db_table)} "  # noqa: S608 (our names, quoted)
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with transaction.atomic(using=DEFAULT_DB_ALIAS), database.cursor() as cursor:
        cursor.executemany(sql, rows)


_start_lock = threading.Lock()
recorder = Recorder()
