"""The annual security audit (policy M, R): the automated checks every app registers
(csce/common/compliance.py), a checklist of manual items each signed off by name, and the
AED's completion, from which the next audit is due.

Adversary and faults: a worker that dies mid-run leaves an audit "running"; after
STALE_AFTER it counts as failed and another may start, so a lost task never blocks the
audit. Starting is refused while a run is under way, so repeated clicks cannot pile up
tasks. Only the checks' own sentences are stored: counts, dates, setting names, never a
secret or a personal value. Each step is written to the access log (policy F, M).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from csce.common import policy
from csce.common.compliance import FAIL, checks_run

from .models import AccessAction, SecurityAudit, SecurityAuditSignOff, SecurityAuditStatus
from .services import access_log_record

logger = logging.getLogger(__name__)

# A run that has not finished this long after it was asked for has died with its worker.
STALE_AFTER = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class ManualItem:
    key: str
    label: str | Promise
    help_text: str | Promise = ""


# Policy M, O: what no machine can check, confirmed each year by a named staff member.
# Add an item here; a report keeps the items it was signed against.
MANUAL_ITEMS = (
    ManualItem(
        "social_passwords",
        _("Social media accounts: passwords"),
        _(
            "Each account in the online-property registry has a long, unique password, kept "
            "in the centre's password manager and changed when an administrator left."
        ),
    ),
    ManualItem(
        "social_mfa",
        _("Social media accounts: two-factor authentication"),
        _(
            "Two-factor authentication is on for each account, and only current staff "
            "administer it."
        ),
    ),
    ManualItem(
        "hosting_agreement",
        _("Hosting agreement"),
        _(
            "The hosting agreement is in force and still says where the data is kept, that "
            "collected data is deleted every three months and how a breach is reported."
        ),
    ),
    ManualItem(
        "staff_training",
        _("Staff training"),
        _(
            "Every staff member who uses the admin was trained this year: privacy, "
            "passwords and second factors, phishing, reporting an incident."
        ),
    ),
    ManualItem(
        "backup_restore",
        _("Backup restored"),
        _("A backup was restored on a test server this year and its data could be read."),
    ),
    ManualItem(
        "keys_custody",
        _("Keys kept off the server"),
        _(
            "The encryption and signing keys are in the secrets manager, with a copy kept "
            "apart from the backups; the access log's anchors are kept off the server."
        ),
    ),
    ManualItem(
        "domains_certificates",
        _("Domain names and certificates"),
        _("The domain names belong to the centre and they and the certificates renew on time."),
    ),
    ManualItem(
        "staff_devices",
        _("Staff devices"),
        _(
            "The computers and phones used for the admin are up to date, lock their screen "
            "and encrypt their disk."
        ),
    ),
)
MANUAL_ITEM_KEYS = tuple(item.key for item in MANUAL_ITEMS)


class SecurityAuditError(Exception):
    """An action the audit's state does not allow (a translated sentence)."""


def _object_id(audit: SecurityAudit) -> dict:
    return {"object_type": "audit.securityaudit", "object_id": audit.pk}


def security_audit_is_stale(*, audit: SecurityAudit, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        audit.status
        in (
            SecurityAuditStatus.PENDING,
            SecurityAuditStatus.RUNNING,
        )
        and audit.updated_at < now - STALE_AFTER
    )


def security_audit_in_progress(*, now: datetime.datetime | None = None) -> SecurityAudit | None:
    """A run asked for and not finished (and not yet stale), if any."""
    now = now or timezone.now()
    return (
        SecurityAudit.objects.filter(
            status__in=(SecurityAuditStatus.PENDING, SecurityAuditStatus.RUNNING),
            updated_at__gte=now - STALE_AFTER,
        )
        .order_by("-pk")
        .first()
    )


def security_audit_request(*, actor) -> SecurityAudit:
    """A new audit whose checks the worker runs (``security_audit_checks``)."""
    with transaction.atomic():
        if security_audit_in_progress() is not None:
            raise SecurityAuditError(_("An audit's checks are already running."))
        audit = SecurityAudit.objects.create(
            requested_by=actor, language=translation.get_language() or "fr"
        )
        access_log_record(
            action=AccessAction.SECURITY_AUDIT,
            actor=actor,
            details={"step": "requested"},
            **_object_id(audit),
        )
    transaction.on_commit(
        lambda: security_audit_checks.enqueue(
            audit_id=audit.pk, actor_id=getattr(actor, "pk", None)
        )
    )
    return audit


def security_audit_run(
    *, audit: SecurityAudit | None = None, actor=None, now: datetime.datetime | None = None
) -> SecurityAudit:
    """Run every registered check and store the results (a new audit when none is given:
    the command's). The results are written in the audit's language."""
    if audit is None:
        audit = SecurityAudit.objects.create(language=translation.get_language() or "fr")
    SecurityAudit.objects.filter(pk=audit.pk).update(
        status=SecurityAuditStatus.RUNNING, updated_at=timezone.now()
    )
    with translation.override(audit.language):
        results = [
            {
                "check": check.key,
                "label": str(check.label),
                "clauses": list(check.clauses),
                "status": result.status,
                "detail": str(result.detail),
            }
            for check, result in checks_run(now=now)
        ]
    audit.results = results
    audit.status = SecurityAuditStatus.DONE
    audit.run_at = now or timezone.now()
    audit.run_by = actor
    audit.save(update_fields=["results", "status", "run_at", "run_by", "updated_at"])
    access_log_record(
        action=AccessAction.SECURITY_AUDIT,
        actor=actor,
        details={
            "step": "checks_run",
            "failed": [r["check"] for r in results if r["status"] == FAIL],
        },
        **_object_id(audit),
    )
    return audit


def security_audit_run_failed(*, audit: SecurityAudit) -> None:
    SecurityAudit.objects.filter(pk=audit.pk).update(
        status=SecurityAuditStatus.FAILED, updated_at=timezone.now()
    )


@task()
def security_audit_checks(audit_id: int, actor_id: int | None) -> None:
    """The worker's side (django-tasks, `manage.py db_worker`): the checks may take
    seconds (a subprocess, an HTTP request), so they never run inside the request of
    whoever asked for them (policy M)."""
    audit = SecurityAudit.objects.filter(
        pk=audit_id, status__in=(SecurityAuditStatus.PENDING, SecurityAuditStatus.RUNNING)
    ).first()
    if audit is None:  # already run, or gone: a task delivered twice does nothing
        return
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        security_audit_run(audit=audit, actor=actor)
    except Exception as exc:  # the screen says it failed rather than pending forever
        logger.error("security audit %s could not run: %s", audit_id, type(exc).__name__)
        security_audit_run_failed(audit=audit)
        raise


def staff_display_name(user) -> str:
    return (user.get_full_name() or "").strip() or user.get_username()


def security_audit_sign_off(
    *, audit: SecurityAudit, item: str, actor, signed_on: datetime.date, note: str = ""
) -> SecurityAuditSignOff:
    """The actor confirms one manual item, by name, on a day (today or before)."""
    if item not in MANUAL_ITEM_KEYS:
        raise SecurityAuditError(_("Unknown checklist item."))
    if audit.completed_at is not None:
        raise SecurityAuditError(_("This audit is completed: it can no longer change."))
    if signed_on > timezone.localdate():
        raise SecurityAuditError(_("A sign-off cannot be dated in the future."))
    with transaction.atomic():
        sign_off, _created = SecurityAuditSignOff.objects.update_or_create(
            audit=audit,
            item=item,
            defaults={
                "signed_by": actor,
                "signed_by_name": staff_display_name(actor)[:200],
                "signed_on": signed_on,
                "note": note.strip(),
            },
        )
        access_log_record(
            action=AccessAction.SECURITY_AUDIT,
            actor=actor,
            details={"step": "signed_off", "item": item},
            **_object_id(audit),
        )
    return sign_off


def security_audit_missing_items(*, audit: SecurityAudit) -> list[ManualItem]:
    signed = set(audit.sign_offs.values_list("item", flat=True))
    return [item for item in MANUAL_ITEMS if item.key not in signed]


def security_audit_complete(*, audit: SecurityAudit, actor) -> SecurityAudit:
    """The AED signs the report: its checks ran and every manual item is signed off."""
    if audit.completed_at is not None:
        raise SecurityAuditError(_("This audit is already completed."))
    if audit.status != SecurityAuditStatus.DONE:
        raise SecurityAuditError(_("The automated checks have not run yet."))
    if security_audit_missing_items(audit=audit):
        raise SecurityAuditError(_("Every checklist item must be signed off first."))
    with transaction.atomic():
        audit.completed_at = timezone.now()
        audit.completed_by = actor
        audit.save(update_fields=["completed_at", "completed_by", "updated_at"])
        access_log_record(
            action=AccessAction.SECURITY_AUDIT,
            actor=actor,
            details={"step": "completed"},
            **_object_id(audit),
        )
    return audit


def months_add(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def security_audit_last_completed() -> SecurityAudit | None:
    return (
        SecurityAudit.objects.filter(completed_at__isnull=False).order_by("-completed_at").first()
    )


def security_audit_next_due() -> datetime.date | None:
    """Policy M: twelve months after the last completed audit; None: never audited."""
    last = security_audit_last_completed()
    if last is None:
        return None
    return months_add(timezone.localdate(last.completed_at), policy.SECURITY_AUDIT_INTERVAL_MONTHS)
