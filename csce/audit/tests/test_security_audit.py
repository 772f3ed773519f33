"""The annual security audit (policy M, R): the command, the stored report, the checklist
signed off by name, the completion, the screens and the "audit due" indicator."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_sign_in, staff_user
from csce.analytics.models import DailySalt
from csce.audit.audit_checks import access_log_chain_run
from csce.audit.factories import security_audit_create
from csce.audit.indicators import security_audit_due_read
from csce.audit.models import (
    AccessAction,
    AccessLogEntry,
    SecurityAudit,
    SecurityAuditSignOff,
    SecurityAuditStatus,
)
from csce.audit.security_audit import (
    MANUAL_ITEM_KEYS,
    SecurityAuditError,
    months_add,
    security_audit_complete,
    security_audit_next_due,
    security_audit_request,
    security_audit_run,
    security_audit_sign_off,
)
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.compliance import AMBER, FAIL, GREEN, PASS, RED, audit_check_registry
from csce.common.roles import AED, CONTENT, TECHNICAL_ADMIN
from csce.retention.models import PurgeRun

pytestmark = pytest.mark.django_db

# The deployment checks start Django in a subprocess (seconds): tested on their own in
# csce/common/tests/test_audit_checks.py, left out of the runs of the whole audit here.
SLOW_CHECKS = ("deploy_checks",)


@pytest.fixture
def quick_registry():
    removed = [audit_check_registry.get(key) for key in SLOW_CHECKS]
    for check in removed:
        audit_check_registry.unregister(check.key)
    yield
    for check in removed:
        audit_check_registry.register(check)


@pytest.fixture
def sound_instance(settings):
    """What a well-run centre has: a recent retention run, today's salt only, every staff
    member with a second factor; no public address nor backup folder configured (those
    checks warn, which does not fail the audit)."""
    settings.SECURITY_AUDIT_URL = ""
    settings.BACKUP_DIR = ""
    settings.FIELD_ENCRYPTION_KEY_CREATED = timezone.localdate().isoformat()
    now = timezone.now()
    PurgeRun.objects.create(started_at=now, finished_at=now)
    staff_user(role=AED)


def command_run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("run_security_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


# --- The access log check ------------------------------------------------------------


def test_the_access_log_check_passes_an_intact_chain_and_fails_an_edited_one():
    entries = [
        access_log_record(action=AccessAction.SIGN_IN, object_type="auth.user", object_id=i)
        for i in range(3)
    ]
    assert access_log_chain_run(now=timezone.now()).status == PASS
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_id = %s WHERE id = %s", ["9", entries[1].pk])  # noqa: S608
    result = access_log_chain_run(now=timezone.now())
    assert result.status == FAIL
    assert str(entries[1].pk) in result.detail


def test_the_access_log_check_fails_on_an_unreadable_anchor_file(settings, tmp_path):
    settings.ACCESS_LOG_ANCHOR_FILE = str(tmp_path / "absent.txt")
    assert access_log_chain_run(now=timezone.now()).status == FAIL


# --- The command ---------------------------------------------------------------------


def test_every_app_registers_its_checks():
    keys = {check.key for check in audit_check_registry}
    assert {
        "deploy_checks",
        "security_headers",
        "encryption_key_age",
        "backup_freshness",
        "package_versions",
        "staff_mfa",
        "dormant_accounts",
        "expired_accounts",
        "access_log_chain",
        "retention_job",
        "retention_oldest",
        "analytics_salt",
    } <= keys


def test_a_sound_instance_exits_zero_and_stores_a_dated_report(quick_registry, sound_instance):
    status, out, _error = command_run("--format", "json")
    assert status == 0
    results = json.loads(out)
    assert {r["check"] for r in results} == {c.key for c in audit_check_registry}
    assert all(set(r) == {"check", "status", "detail"} for r in results)
    # No public URL, no backup folder and no online property registered here: each of
    # those checks warns rather than passes.
    assert {r["check"] for r in results if r["status"] == "warn"} == {
        "security_headers",
        "backup_freshness",
        "property_mfa_confirmed",
    }
    audit = SecurityAudit.objects.get()
    assert audit.status == SecurityAuditStatus.DONE
    assert audit.run_at is not None
    assert audit.run_by is None
    assert [r["check"] for r in audit.results] == [r["check"] for r in results]
    assert audit.completed_at is None  # the AED completes it with the checklist


def test_a_misconfigured_instance_exits_non_zero_and_names_the_failing_checks(
    quick_registry, sound_instance
):
    staff_user(role=CONTENT, verified=False)  # no second factor
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailySalt.objects.create(day=yesterday, salt=b"s" * 32)  # the rotation stopped
    status, out, error = command_run("--format", "json")
    assert status == 1
    failed = {r["check"] for r in json.loads(out) if r["status"] == FAIL}
    assert failed == {"staff_mfa", "analytics_salt"}
    assert "staff_mfa" in error
    assert "analytics_salt" in error
    assert SecurityAudit.objects.get().count(FAIL) == 2


def test_the_text_format_lists_each_check(quick_registry, sound_instance):
    status, out, _error = command_run()
    assert status == 0
    for check in audit_check_registry:
        assert str(check.label) in out


def test_a_check_that_raises_fails_the_audit(quick_registry, sound_instance):
    from csce.common.compliance import AuditCheck

    def broken(*, now):
        raise RuntimeError("secret value")

    audit_check_registry.register(AuditCheck("broken_test", "Broken", ("M",), broken))
    try:
        status, out, _error = command_run("--format", "json")
    finally:
        audit_check_registry.unregister("broken_test")
    assert status == 1
    broken_result = next(r for r in json.loads(out) if r["check"] == "broken_test")
    assert broken_result["status"] == FAIL
    assert "secret value" not in broken_result["detail"]


# --- Sign-offs and completion --------------------------------------------------------


def test_each_item_is_signed_off_by_name_then_the_aed_completes():
    aed = staff_user(role=AED, first_name="Josée", last_name="Lavoie")
    audit = security_audit_create()
    with pytest.raises(SecurityAuditError):
        security_audit_complete(audit=audit, actor=aed)
    today = timezone.localdate()
    for key in MANUAL_ITEM_KEYS:
        security_audit_sign_off(audit=audit, item=key, actor=aed, signed_on=today, note="Vu.")
    sign_off = SecurityAuditSignOff.objects.get(audit=audit, item="staff_training")
    assert sign_off.signed_by_name == "Josée Lavoie"
    assert sign_off.signed_on == today
    assert sign_off.note == "Vu."
    security_audit_complete(audit=audit, actor=aed)
    audit.refresh_from_db()
    assert audit.completed_by == aed
    assert audit.completed_at is not None
    with pytest.raises(SecurityAuditError):
        security_audit_sign_off(audit=audit, item="staff_training", actor=aed, signed_on=today)
    steps = [
        e.details["step"]
        for e in AccessLogEntry.objects.filter(action=AccessAction.SECURITY_AUDIT).order_by("pk")
    ]
    assert steps == ["signed_off"] * len(MANUAL_ITEM_KEYS) + ["completed"]


def test_a_sign_off_cannot_be_dated_in_the_future_nor_name_an_unknown_item():
    aed = staff_user(role=AED)
    audit = security_audit_create()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(SecurityAuditError):
        security_audit_sign_off(audit=audit, item="staff_training", actor=aed, signed_on=tomorrow)
    with pytest.raises(SecurityAuditError):
        security_audit_sign_off(
            audit=audit, item="nothing", actor=aed, signed_on=timezone.localdate()
        )


def test_an_audit_whose_checks_have_not_run_cannot_be_completed():
    aed = staff_user(role=AED)
    audit = SecurityAudit.objects.create()
    for key in MANUAL_ITEM_KEYS:
        security_audit_sign_off(audit=audit, item=key, actor=aed, signed_on=timezone.localdate())
    with pytest.raises(SecurityAuditError):
        security_audit_complete(audit=audit, actor=aed)


def test_starting_twice_is_refused_while_a_run_is_under_way(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    aed = staff_user(role=AED)
    audit = security_audit_request(actor=aed)
    assert audit.status == SecurityAuditStatus.PENDING
    with pytest.raises(SecurityAuditError):
        security_audit_request(actor=aed)
    # A worker that died: after the stale delay another may start.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert security_audit_request(actor=aed).pk != audit.pk


# --- Next audit due and the indicator ------------------------------------------------


def test_months_add_keeps_the_day_or_the_months_last():
    assert months_add(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)
    assert months_add(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)


def test_the_indicator_is_red_never_green_after_amber_near_due_red_overdue():
    assert security_audit_due_read(now=timezone.now()).level == RED
    with time_machine.travel(datetime.datetime(2026, 3, 15, 15, tzinfo=datetime.UTC), tick=False):
        security_audit_create(completed_at=timezone.now())
        assert security_audit_next_due() == datetime.date(2027, 3, 15)
        assert security_audit_due_read(now=timezone.now()).level == GREEN
    before = policy.SECURITY_AUDIT_REMINDER_DAYS - 1
    with time_machine.travel(
        datetime.datetime(2027, 3, 15 - 0, 15, tzinfo=datetime.UTC)
        - datetime.timedelta(days=before)
    ):
        assert security_audit_due_read(now=timezone.now()).level == AMBER
    with time_machine.travel(datetime.datetime(2027, 3, 16, 15, tzinfo=datetime.UTC)):
        reading = security_audit_due_read(now=timezone.now())
        assert reading.level == RED
        assert reading.action_url == reverse("security_audits:index")
        # Completing a new audit turns it green again.
        security_audit_create(completed_at=timezone.now())
        assert security_audit_due_read(now=timezone.now()).level == GREEN


def test_an_audit_run_but_not_completed_does_not_count():
    security_audit_create()
    assert security_audit_due_read(now=timezone.now()).level == RED


# --- Screens -------------------------------------------------------------------------


def _signed_in(client, role):
    user = staff_user(role=role)
    staff_sign_in(client, user)
    return user


def test_the_aed_starts_an_audit_and_the_worker_runs_its_checks(
    client, quick_registry, django_capture_on_commit_callbacks
):
    _signed_in(client, AED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("security_audits:index"))
    audit = SecurityAudit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("security_audits:detail", args=[audit.pk])
    # The test settings' task backend runs the task at once, as the worker would.
    assert audit.status == SecurityAuditStatus.DONE
    page = client.get(reverse("security_audits:detail", args=[audit.pk]))
    assert b'id="check-access_log_chain"' in page.content


def test_a_pending_audit_says_so(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _signed_in(client, AED)
    client.post(reverse("security_audits:index"))
    audit = SecurityAudit.objects.get()
    assert audit.status == SecurityAuditStatus.PENDING
    page = client.get(reverse("security_audits:detail", args=[audit.pk]))
    assert "attendent le programme des tâches" in page.content.decode()
    index = client.get(reverse("security_audits:index"))
    assert reverse("security_audits:detail", args=[audit.pk]).encode() in index.content


def test_the_aed_signs_off_an_item_on_the_screen(client):
    aed = _signed_in(client, AED)
    audit = security_audit_create()
    url = reverse("security_audits:detail", args=[audit.pk])
    response = client.post(
        url,
        {"action": "sign_off", "item": "hosting_agreement", "signed_on": "2026-01-05", "note": ""},
    )
    assert response.status_code == 302
    sign_off = SecurityAuditSignOff.objects.get(audit=audit)
    assert sign_off.signed_by == aed
    assert sign_off.signed_on == datetime.date(2026, 1, 5)
    bad = client.post(url, {"action": "sign_off", "item": "hosting_agreement", "signed_on": ""})
    assert bad.status_code == 400


def test_the_technical_administrator_runs_and_reads_but_does_not_sign(client):
    _signed_in(client, TECHNICAL_ADMIN)
    audit = security_audit_create()
    url = reverse("security_audits:detail", args=[audit.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("security_audits:report", args=[audit.pk])).status_code == 200
    signed = client.post(
        url, {"action": "sign_off", "item": "staff_training", "signed_on": "2026-01-05"}
    )
    assert signed.status_code == 403
    assert client.post(url, {"action": "complete"}).status_code == 403
    assert not SecurityAuditSignOff.objects.exists()


def test_other_roles_are_refused_in_words(client):
    _signed_in(client, CONTENT)
    audit = security_audit_create()
    assert client.get(reverse("security_audits:index")).status_code == 403
    assert client.post(reverse("security_audits:index")).status_code == 403
    assert client.get(reverse("security_audits:detail", args=[audit.pk])).status_code == 403
    assert SecurityAudit.objects.count() == 1


def test_the_printable_report_shows_results_and_sign_offs(client):
    aed = _signed_in(client, AED)
    audit = security_audit_create()
    security_audit_sign_off(
        audit=audit, item="staff_training", actor=aed, signed_on=datetime.date(2026, 2, 3)
    )
    page = client.get(reverse("security_audits:report", args=[audit.pk]))
    html = page.content.decode()
    assert "security_audit_report.css" in html
    assert "La chaîne est intacte." in html
    assert aed.get_full_name() in html


def test_a_completed_audit_is_read_only_on_the_screen(client):
    _signed_in(client, AED)
    audit = security_audit_create(completed_at=timezone.now())
    page = client.get(reverse("security_audits:detail", args=[audit.pk])).content.decode()
    assert 'name="action"' not in page


def test_running_the_checks_stores_them_in_the_audits_language(quick_registry, sound_instance):
    audit = SecurityAudit.objects.create(language="en")
    security_audit_run(audit=audit)
    audit.refresh_from_db()
    chain = next(r for r in audit.results if r["check"] == "access_log_chain")
    assert chain["label"] == "Access log chain"
    assert chain["status"] == PASS
