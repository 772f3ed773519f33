"""Writing the access log: the chain, the lock, and the refusal of every change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.audit.models import AccessAction, AccessLogEntry, AccessLogHead, AppendOnlyError
from csce.audit.services import access_log_record

from .factories import staff_member_create

pytestmark = pytest.mark.django_db


def test_each_entry_stores_the_hash_of_the_one_before_it():
    first = access_log_record(action=AccessAction.SIGN_IN, object_type="auth.user", object_id=1)
    second = access_log_record(action=AccessAction.SIGN_OUT, object_type="auth.user", object_id=1)
    assert second.previous_hash == first.entry_hash
    assert len(second.entry_hash) == 64
    assert second.entry_hash != first.entry_hash
    head = AccessLogHead.objects.get()
    assert (head.last_entry_id, head.last_hash) == (second.pk, second.entry_hash)


def test_actor_is_stored_by_id_and_details_as_read_back():
    user = staff_member_create()
    entry = access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=user,
        object_type="submissions.inquiry",
        object_id=42,
        details={"fields": ["message"]},
    )
    entry = AccessLogEntry.objects.get(pk=entry.pk)
    assert entry.actor_id == user.pk
    assert entry.object_id == "42"
    assert entry.details == {"fields": ["message"]}


def test_the_head_row_is_locked_while_an_entry_is_appended():
    """Two processes appending at once take turns on the head row: the chain cannot fork."""
    with CaptureQueriesContext(connection) as queries:
        access_log_record(action=AccessAction.SIGN_IN)
    head_reads = [q["sql"] for q in queries if "audit_accessloghead" in q["sql"].lower()]
    assert head_reads, "the head row must be read under the lock"
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in head_reads[0].upper()
    else:  # SQLite: the IMMEDIATE transaction takes the database's write lock at BEGIN
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"


def test_an_existing_entry_cannot_be_saved_again():
    entry = access_log_record(action=AccessAction.SIGN_IN)
    entry.action = AccessAction.SIGN_OUT
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AccessLogEntry.objects.get(pk=entry.pk).action == AccessAction.SIGN_IN


def test_an_entry_cannot_be_deleted():
    entry = access_log_record(action=AccessAction.SIGN_IN)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_querysets_cannot_update_or_delete():
    entry = access_log_record(action=AccessAction.SIGN_IN)
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action=AccessAction.SIGN_OUT)
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_update([entry], ["action"])
    assert AccessLogEntry.objects.get(pk=entry.pk).action == AccessAction.SIGN_IN


def test_entries_cannot_be_inserted_in_bulk_around_the_chain():
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_create(
            [AccessLogEntry(action="sign_in", previous_hash="0", entry_hash="1")]
        )
