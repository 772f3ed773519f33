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
    close_old_connections,
    connection,
    connections,
    models,
    transaction,
)

from .models import PageView

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A database that is down does not fill the memory: beyond this, the oldest are dropped.
MAX_PENDING = 50_000


class Recorder:
    def __init__(self) -> None:
        self._pid = 0
        self._pending: list[PageView] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

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
            PageView.objects.bulk_create([view])
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
        from .collection import local_day, salts_forget

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
            _insert(batch)
        except Exception:
            # Counts only, never a value: a page view holds nothing personal to log anyway.
            logger.exception("Could not record %d page views; they will be retried.", len(batch))
            with self._lock:
                self._pending[:0] = batch
                overflow = len(self._pending) - MAX_PENDING
                if overflow > 0:
                    del self._pending[:overflow]
                    logger.error("Dropped %d page views: the database is unreachable.", overflow)
            return 0
        finally:
            # The background thread writes once a second at most: it holds no connection
            # between batches (a database being dropped or restarted waits for no one).
            in_thread = threading.current_thread() is self._thread
            if (in_thread or connection.vendor == "sqlite") and not connection.in_atomic_block:
                connection.close()
            else:
                close_old_connections()
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
