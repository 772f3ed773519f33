"""The staff accounts' checks of the annual security audit (policy M, S): every active
staff member signs in with a second factor, and no dormant or ended account is still
active. Details hold counts only, never a name."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csce.common import policy
from csce.common.compliance import FAIL, PASS, AuditCheck, CheckResult

from .mfa import mfa_is_enrolled
from .selectors import accounts_dormant, accounts_ended


def staff_active():
    """Active accounts that may enter the admin: a role that grants it, or superuser."""
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions=access) | Q(user_permissions=access))
        .distinct()
    )


def staff_mfa_run(*, now: datetime.datetime) -> CheckResult:
    staff = list(staff_active())
    without = sum(1 for user in staff if not mfa_is_enrolled(user=user))
    if without:
        return CheckResult(
            FAIL,
            ngettext(
                "%(without)s of %(total)s active staff accounts has no second factor.",
                "%(without)s of %(total)s active staff accounts have no second factor.",
                without,
            )
            % {"without": without, "total": len(staff)},
        )
    return CheckResult(
        PASS,
        ngettext(
            "The %(total)s active staff account signs in with a second factor.",
            "All %(total)s active staff accounts sign in with a second factor.",
            len(staff),
        )
        % {"total": len(staff)},
    )


def dormant_accounts_run(*, now: datetime.datetime) -> CheckResult:
    count = accounts_dormant(now=now).count()
    days = policy.DORMANT_ACCOUNT_DAYS
    if count:
        return CheckResult(
            FAIL,
            ngettext(
                "%(count)s active account has had no sign-in for %(days)s days: the daily "
                "job disable_dormant_accounts is not running.",
                "%(count)s active accounts have had no sign-in for %(days)s days: the daily "
                "job disable_dormant_accounts is not running.",
                count,
            )
            % {"count": count, "days": days},
        )
    return CheckResult(
        PASS,
        ngettext(
            "No active account has gone %(days)s day without a sign-in.",
            "No active account has gone %(days)s days without a sign-in.",
            days,
        )
        % {"days": days},
    )


def expired_accounts_run(*, now: datetime.datetime) -> CheckResult:
    count = accounts_ended(today=timezone.localdate(now)).count()
    if count:
        return CheckResult(
            FAIL,
            ngettext(
                "%(count)s account is still active after its end date.",
                "%(count)s accounts are still active after their end date.",
                count,
            )
            % {"count": count},
        )
    return CheckResult(PASS, _("No account is active after its end date."))


AUDIT_CHECKS = (
    AuditCheck(
        key="staff_mfa",
        label=_("Second factor of every staff account"),
        clauses=("M",),
        run=staff_mfa_run,
        order=30,
    ),
    AuditCheck(
        key="dormant_accounts",
        label=_("Dormant staff accounts"),
        clauses=("M", "S"),
        run=dormant_accounts_run,
        order=31,
    ),
    AuditCheck(
        key="expired_accounts",
        label=_("Staff accounts past their end date"),
        clauses=("M", "S"),
        run=expired_accounts_run,
        order=32,
    ),
)
