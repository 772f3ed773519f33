"""manage.py verify_access_log: a clear message, and a non-zero exit on a break."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.selectors import REASON_LABELS
from csce.audit.services import access_log_record, key_id

from .factories import chain_rewrite

pytestmark = pytest.mark.django_db


def command_run(name: str = "verify_access_log", *args: str) -> tuple[int, str, str]:
    """Run the command: (exit status manage.py would give, stdout, error message).

    Not through ``run_from_argv``, which closes the database connection when it ends.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_intact_chain_exits_zero_and_says_so():
    for i in range(3):
        access_log_record(action=AccessAction.SIGN_IN, object_type="auth.user", object_id=i)
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact" in out.getvalue()
    assert AccessLogEntry.objects.order_by("-pk").first().entry_hash in out.getvalue()
    assert command_run()[0] == 0


@pytest.mark.parametrize(
    ("sql", "reason", "broken"),
    [
        ("UPDATE {table} SET action = 'sign_out' WHERE id = %s", "altered", 1),
        ("DELETE FROM {table} WHERE id = %s", "unlinked", 2),
    ],
    ids=["edited", "deleted"],
)
def test_a_row_changed_in_sql_makes_the_command_fail(sql, reason, broken):
    entries = [access_log_record(action=AccessAction.SIGN_IN) for _ in range(4)]
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), [entries[1].pk])
    status, out, err = command_run()
    assert status == 1
    assert f" {entries[broken].pk} " in err  # the first broken entry is named
    assert str(REASON_LABELS[reason]) in err
    assert "intact" not in out


def test_an_anchor_is_printed_and_appended_to_the_file(tmp_path):
    entries = [access_log_record(action=AccessAction.SIGN_IN) for _ in range(2)]
    anchors = tmp_path / "offsite" / "anchors.txt"
    status, out, _err = command_run("access_log_anchor", "--output", str(anchors))
    assert status == 0
    access_log_record(action=AccessAction.SIGN_OUT)
    with override_settings(ACCESS_LOG_ANCHOR_FILE=str(anchors)):
        assert command_run("access_log_anchor")[0] == 0
    lines = anchors.read_text().splitlines()
    assert lines[0] == out.strip()
    _time, entry_id, entry_hash = lines[0].split()
    assert (int(entry_id), entry_hash) == (entries[-1].pk, entries[-1].entry_hash)
    assert len(lines) == 2
    status, out, _err = command_run("verify_access_log", "--anchor", str(anchors))
    assert status == 0
    assert "2 " in out
    assert "intact" in out


def anchor_file(tmp_path) -> str:
    path = tmp_path / "anchors.txt"
    for _ in range(3):
        access_log_record(action=AccessAction.SIGN_IN)
        command_run("access_log_anchor", "--output", str(path))
    return str(path)


def test_a_tail_deleted_with_its_head_moved_back_is_caught_by_the_anchor(tmp_path):
    anchors = anchor_file(tmp_path)
    newest = AccessLogEntry.objects.order_by("-pk").first()
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [newest.pk])  # noqa: S608
        cursor.execute("UPDATE audit_accessloghead SET last_hash = %s", [newest.previous_hash])
    assert command_run()[0] == 0  # without the anchor the shorter chain looks whole
    status, _out, err = command_run("verify_access_log", "--anchor", anchors)
    assert status == 1
    assert f" {newest.pk} " in err
    assert str(REASON_LABELS["anchor_missing"]) in err


def test_a_rewrite_even_with_the_key_is_caught_by_the_anchor(tmp_path):
    anchors = anchor_file(tmp_path)
    with open(anchors) as lines:
        first_anchored = int(lines.readline().split()[1])
    key = settings.ACCESS_LOG_KEY
    # The oldest entry (not pk 1: PostgreSQL's sequences go on across rolled-back tests).
    oldest = AccessLogEntry.objects.order_by("pk").first().pk
    chain_rewrite(key=key.encode(), new_key_id=key_id(key), edit={"pk": oldest, "object_id": "9"})
    assert command_run()[0] == 0
    status, _out, err = command_run("verify_access_log", "--anchor", anchors)
    assert status == 1
    assert f" {first_anchored} " in err
    assert str(REASON_LABELS["anchor_changed"]) in err


def test_a_broken_chain_is_not_anchored(tmp_path):
    entries = [access_log_record(action=AccessAction.SIGN_IN) for _ in range(2)]
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'sign_out' WHERE id = %s", [entries[0].pk])  # noqa: S608
    path = tmp_path / "anchors.txt"
    status, out, err = command_run("access_log_anchor", "--output", str(path))
    assert (status, out) == (1, "")
    assert str(REASON_LABELS["altered"]) in err
    assert not path.exists()


def test_an_unreadable_anchor_file_is_an_error_not_a_pass(tmp_path):
    access_log_record(action=AccessAction.SIGN_IN)
    bad = tmp_path / "anchors.txt"
    bad.write_text("# anchors\nnot an anchor line\n")
    status, _out, err = command_run("verify_access_log", "--anchor", str(bad))
    assert status == 2
    assert "2" in err
    assert command_run("verify_access_log", "--anchor", str(tmp_path / "missing"))[0] == 2
