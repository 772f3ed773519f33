"""Verifying the chain: intact after normal use, broken by any edit or deletion in SQL."""

from __future__ import annotations

import pytest
from django.db import connection

from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.selectors import (
    access_log_entries,
    access_log_last_verification,
    access_log_verify,
)
from csce.audit.services import access_log_record

from .factories import staff_member_create

pytestmark = pytest.mark.django_db


def entries_record(n: int = 5) -> list[AccessLogEntry]:
    return [
        access_log_record(
            action=AccessAction.PERSONAL_DATA_READ,
            object_type="submissions.inquiry",
            object_id=i,
            details={"fields": ["message"], "count": i},
        )
        for i in range(n)
    ]


def raw_sql(sql: str, params: list) -> None:
    table = AccessLogEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(table)), params)


def test_the_chain_verifies_after_several_events():
    entries = entries_record()
    result = access_log_verify()
    assert result.ok
    assert result.first_broken_id is None
    assert result.checked == AccessLogEntry.objects.count() >= len(entries)
    assert (result.last_entry_id, result.last_hash) == (entries[-1].pk, entries[-1].entry_hash)
    assert access_log_last_verification() == result


def test_an_entry_edited_in_the_database_breaks_the_chain_there():
    entries = entries_record()
    raw_sql("UPDATE {table} SET object_id = %s WHERE id = %s", ["999", entries[2].pk])
    result = access_log_verify()
    assert not result.ok
    assert result.first_broken_id == entries[2].pk
    assert result.reason == "altered"


def test_an_edit_that_also_rewrites_the_hash_is_caught_at_the_next_entry():
    entries = entries_record()
    raw_sql("UPDATE {table} SET entry_hash = %s WHERE id = %s", ["f" * 64, entries[1].pk])
    result = access_log_verify()
    assert not result.ok
    assert result.first_broken_id == entries[1].pk


def test_an_entry_deleted_in_the_database_breaks_the_chain_at_its_successor():
    entries = entries_record()
    raw_sql("DELETE FROM {table} WHERE id = %s", [entries[2].pk])
    result = access_log_verify()
    assert not result.ok
    assert result.first_broken_id == entries[3].pk
    assert result.reason == "unlinked"


def test_deleting_the_newest_entries_is_detected_too():
    entries = entries_record()
    raw_sql("DELETE FROM {table} WHERE id >= %s", [entries[3].pk])
    result = access_log_verify()
    assert not result.ok
    assert result.reason == "truncated"
    assert result.first_broken_id == entries[-1].pk


def test_entries_show_the_actor_name_looked_up_now():
    user = staff_member_create(first_name="Aline", last_name="Gagnon")
    entry = access_log_record(action=AccessAction.SIGN_IN, actor=user)
    assert access_log_entries().get(pk=entry.pk).actor_name == "Aline Gagnon"
    user.first_name = "Aline-Marie"
    user.save()
    assert access_log_entries().get(pk=entry.pk).actor_name == "Aline-Marie Gagnon"
    user.delete()
    assert access_log_entries().get(pk=entry.pk).actor_name is None
