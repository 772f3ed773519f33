"""The retention job's checks of the annual security audit (policy M)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from csce.common import policy
from csce.common.compliance import FAIL, PASS
from csce.common.registry import PersonalDataSource, personal_data_registry
from csce.retention.audit_checks import retention_job_run, retention_oldest_run
from csce.retention.models import PurgeRun


@pytest.fixture(autouse=True)
def _english():
    """The details read in the language active when a check runs: English here."""
    with translation.override("en"):
        yield


def _run(*, ago: datetime.timedelta, errors=()):
    finished = timezone.now() - ago
    return PurgeRun.objects.create(
        started_at=finished - datetime.timedelta(minutes=1),
        finished_at=finished,
        errors=list(errors),
    )


def test_a_retention_job_that_never_ran_fails(db):
    assert retention_job_run(now=timezone.now()).status == FAIL


def test_a_recent_run_passes_an_old_one_fails(db):
    _run(ago=datetime.timedelta(days=policy.RETENTION_JOB_MAX_AGE_DAYS, hours=1))
    assert retention_job_run(now=timezone.now()).status == FAIL
    _run(ago=datetime.timedelta(hours=3))
    assert retention_job_run(now=timezone.now()).status == PASS


def test_a_run_with_a_failing_store_fails(db):
    _run(ago=datetime.timedelta(hours=3), errors=["submissions"])
    result = retention_job_run(now=timezone.now())
    assert result.status == FAIL
    assert "submissions" in result.detail


@pytest.fixture
def store():
    """A store of the personal-data registry whose oldest record the test sets."""
    held = {"oldest": None}
    source = PersonalDataSource(
        key="audit_test_store",
        label="Audit test store",
        purpose="Testing",
        retention="30 days",
        oldest=lambda: held["oldest"],
        retention_days=30,
    )
    personal_data_registry.register(source)
    yield held
    personal_data_registry.unregister(source.key)


def test_a_record_within_its_retention_passes_one_beyond_fails(db, store):
    now = timezone.now()
    store["oldest"] = now - datetime.timedelta(days=20)
    assert retention_oldest_run(now=now).status == PASS
    store["oldest"] = now - datetime.timedelta(days=40)
    result = retention_oldest_run(now=now)
    assert result.status == FAIL
    assert "audit_test_store: 40 days (keeps 30)" in result.detail


def test_a_store_that_cannot_be_read_fails(db, store):
    def broken():
        raise RuntimeError("down")

    personal_data_registry.unregister("audit_test_store")
    personal_data_registry.register(
        PersonalDataSource(
            key="audit_test_store", label="x", purpose="x", retention="x", oldest=broken
        )
    )
    result = retention_oldest_run(now=timezone.now())
    assert result.status == FAIL
    assert "audit_test_store" in result.detail
