"""The retention job: lock shared by nodes, counts only, one failing source isolated."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from csce.common.registry import PersonalDataSource, personal_data_registry
from csce.retention.locks import job_lock_acquire, job_lock_release
from csce.retention.models import PurgeRun
from csce.retention.services import PURGE_JOB, purge_expired_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_source():
    def purge_expired(**kwargs):
        raise RuntimeError("jean@example.org is broken")

    source = PersonalDataSource(
        key="zz_failing", label="x", purpose="x", retention="x", purge_expired=purge_expired
    )
    personal_data_registry.register(source)
    yield source
    personal_data_registry.unregister(source.key)


def test_a_run_records_counts_per_source_and_no_data():
    run = purge_expired_data()
    assert run is not None
    assert run.finished_at is not None
    assert "submissions" in run.counts
    assert run.total == sum(run.counts.values())
    assert PurgeRun.objects.count() == 1


def test_a_second_run_while_the_first_holds_the_lock_does_nothing():
    holder = job_lock_acquire(name=PURGE_JOB, ttl=datetime.timedelta(minutes=5))
    assert holder
    assert purge_expired_data() is None
    assert PurgeRun.objects.count() == 0
    job_lock_release(name=PURGE_JOB, holder=holder)
    assert purge_expired_data() is not None


def test_a_lock_left_by_a_crashed_run_expires():
    assert job_lock_acquire(name=PURGE_JOB, ttl=datetime.timedelta(seconds=-1))
    assert job_lock_acquire(name=PURGE_JOB, ttl=datetime.timedelta(minutes=5))


def test_one_failing_source_does_not_stop_the_others_nor_leak_its_message(failing_source, caplog):
    run = purge_expired_data()
    assert run.errors == ["zz_failing"]
    assert "submissions" in run.counts
    assert "jean@example.org" not in caplog.text
    assert run.finished_at <= timezone.now()
