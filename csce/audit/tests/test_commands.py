"""manage.py verify_access_log: a clear message, and a non-zero exit on a break."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command, load_command_class
from django.db import connection

from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.selectors import REASON_LABELS
from csce.audit.services import access_log_record

pytestmark = pytest.mark.django_db


def command_run() -> tuple[int, str, str]:
    """Run the command as manage.py would: (exit status, stdout, stderr)."""
    command = load_command_class("csce.audit", "verify_access_log")
    out, err = io.StringIO(), io.StringIO()
    command.stdout._out, command.stderr._out = out, err
    try:
        command.run_from_argv(["manage.py", "verify_access_log"])
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
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
