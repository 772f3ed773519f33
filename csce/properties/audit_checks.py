"""The registry's check in the annual security audit (policy M): MFA confirmed on every
online property within the last year."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.compliance import FAIL, PASS, WARN, AuditCheck, CheckResult

from .models import OnlineProperty


def mfa_confirmed_run(*, now: datetime.datetime) -> CheckResult:
    """Fails when a property has MFA off, or on but not confirmed within
    ``PROPERTY_MFA_CONFIRMATION_MAX_DAYS``; warns when the registry is empty (nothing to
    prove)."""
    oldest = timezone.localdate(now) - datetime.timedelta(
        days=policy.PROPERTY_MFA_CONFIRMATION_MAX_DAYS
    )
    total = OnlineProperty.objects.count()
    if not total:
        return CheckResult(
            WARN, gettext("The online-property registry is empty: add the website and accounts.")
        )
    off = OnlineProperty.objects.filter(mfa_enabled=False).count()
    stale = (
        OnlineProperty.objects.filter(mfa_enabled=True)
        .filter(Q(mfa_confirmed_on__isnull=True) | Q(mfa_confirmed_on__lt=oldest))
        .count()
    )
    if off or stale:
        return CheckResult(
            FAIL,
            gettext(
                "Of %(total)d properties, %(off)d with MFA off and %(stale)d whose MFA was "
                "not confirmed within %(days)d days."
            )
            % {
                "total": total,
                "off": off,
                "stale": stale,
                "days": policy.PROPERTY_MFA_CONFIRMATION_MAX_DAYS,
            },
        )
    return CheckResult(
        PASS,
        ngettext(
            "MFA is on and confirmed within the year on the %(count)d property.",
            "MFA is on and confirmed within the year on all %(count)d properties.",
            total,
        )
        % {"count": total},
    )


MFA_CONFIRMED = AuditCheck(
    key="property_mfa_confirmed",
    label=_("MFA confirmed on every online property"),
    clauses=("M", "O"),
    run=mfa_confirmed_run,
    order=120,
)
