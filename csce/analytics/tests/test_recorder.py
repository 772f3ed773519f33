"""The background writer of page views: one bad row never stops it, and a database that
cannot write is logged once, then once when it writes again (policy M)."""

import logging
import os

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from csce.analytics import recorder as recorder_module
from csce.analytics.models import PageView
from csce.analytics.recorder import Recorder

PATHS = frozenset({"/fr/", "/en/", "/fr/\ud800/"})


@pytest.fixture(autouse=True)
def _pages_counted(monkeypatch):
    """These paths stand for live pages, the bad one included: the writer's own guard is
    what is tested here, not the filter before it."""
    monkeypatch.setattr("csce.analytics.recorder.counted_paths", lambda: PATHS)


def _view(path: str, n: int) -> PageView:
    now = timezone.now()
    return PageView(occurred_at=now, day=now.date(), path=path, device="desktop", visitor=n)


@pytest.mark.django_db(transaction=True)  # the writer opens and closes its own connection
@override_settings(ANALYTICS_FLUSH_SECONDS=60)
def test_a_bad_row_among_good_ones_leaves_the_good_ones_stored_and_the_writer_working():
    recorder = Recorder()
    recorder._pid = os.getpid()  # no background thread: the test flushes
    for n, path in enumerate(["/fr/", "/fr/\ud800/", "/en/"]):
        recorder.add(_view(path, n))

    assert recorder.flush() == 2
    assert sorted(PageView.objects.values_list("path", flat=True)) == ["/en/", "/fr/"]

    # Nothing is held back for a retry, and the next page views are written.
    recorder.add(_view("/fr/", 9))
    assert recorder.flush() == 1
    assert PageView.objects.count() == 3


@pytest.mark.django_db(transaction=True)  # the writer opens and closes its own connection
@override_settings(ANALYTICS_FLUSH_SECONDS=60)
def test_a_database_that_cannot_write_is_logged_once_and_its_recovery_once(monkeypatch, caplog):
    recorder = Recorder()
    recorder._pid = os.getpid()
    real_insert = recorder_module._insert
    failing = True

    def insert(batch):
        if failing:
            raise OperationalError("attempt to write a readonly database")
        real_insert(batch)

    monkeypatch.setattr(recorder_module, "_insert", insert)
    caplog.set_level(logging.INFO, logger="csce.analytics.recorder")
    recorder.add(_view("/fr/", 1))
    for _second in range(5):
        assert recorder.flush() == 0
    failing = False
    assert recorder.flush() == 1
    assert recorder.flush() == 0

    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert "will be retried" in messages[0]
    assert "recorded again" in messages[1]
    assert PageView.objects.get().path == "/fr/"  # nothing lost while it failed
