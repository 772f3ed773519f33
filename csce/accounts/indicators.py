"""What the staff accounts contribute to the compliance view (csce/common/compliance.py,
policy R): MFA coverage of staff (policy M) and acknowledgements of the policy version in
force (policy S, V). Counts and dates only, never a name.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading
from csce.common.typography import date_display

from .models import PolicyAcknowledgement
from .selectors import admin_staff, policy_version_current

# Policy M: a new staff member has this long to enrol a second factor.
ENROLMENT_GRACE = datetime.timedelta(days=policy.COMPLIANCE_MFA_ENROLMENT_DAYS)
# Policy S, V: this long after a version takes effect, everyone has acknowledged it.
ACKNOWLEDGEMENT_GRACE = datetime.timedelta(days=policy.COMPLIANCE_ACKNOWLEDGEMENT_DAYS)


def mfa_coverage_read(*, now: datetime.datetime) -> Reading:
    """Red: a staff account that may enter the admin has no authenticator app or passkey
    past its enrolment grace; amber: only accounts still within it."""
    staff = admin_staff()
    enrolled = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=staff).values_list("user_id", flat=True)
    ) | set(
        WebAuthnCredential.objects.filter(confirmed=True, user__in=staff).values_list(
            "user_id", flat=True
        )
    )
    missing = list(staff.exclude(pk__in=enrolled).values_list("date_joined", flat=True))
    total = staff.count()
    action = {
        "action_url": reverse("wagtailusers_users:index"),
        "action_label": gettext("Staff accounts"),
    }
    if not missing:
        return Reading(
            GREEN,
            ngettext(
                "The %(total)d staff account signs in with a second factor.",
                "All %(total)d staff accounts sign in with a second factor.",
                total,
            )
            % {"total": total},
            **action,
        )
    late = sum(1 for joined in missing if joined < now - ENROLMENT_GRACE)
    if late:
        return Reading(
            RED,
            ngettext(
                "%(count)d of %(total)d staff accounts has no second factor %(days)d days "
                "after it was opened.",
                "%(count)d of %(total)d staff accounts have no second factor %(days)d days "
                "after they were opened.",
                late,
            )
            % {"count": late, "total": total, "days": ENROLMENT_GRACE.days},
            **action,
        )
    return Reading(
        AMBER,
        ngettext(
            "%(count)d new staff account has not enrolled a second factor yet.",
            "%(count)d new staff accounts have not enrolled a second factor yet.",
            len(missing),
        )
        % {"count": len(missing)},
        **action,
    )


def policy_acknowledgements_read(*, now: datetime.datetime) -> Reading:
    """Red: no version in force, or staff who have not acknowledged it once the grace has
    passed since it took effect; amber: within the grace."""
    today = timezone.localdate(now)
    version = policy_version_current(today=today)
    if version is None:
        return Reading(
            RED,
            gettext("No version of the online-property policy is in force."),
            reverse("policy_versions:index"),
            gettext("Policy versions"),
        )
    acknowledged = PolicyAcknowledgement.objects.filter(version=version).values("user_id")
    missing = admin_staff().exclude(pk__in=acknowledged).count()
    action = {
        "action_url": reverse("accounts_policy_report"),
        "action_label": gettext("Policy acknowledgements"),
    }
    values = {
        "count": missing,
        "version": version.version_label,
        "since": date_display(version.effective_date),
    }
    if not missing:
        return Reading(
            GREEN,
            gettext(
                "Every staff member has acknowledged version %(version)s, in force since %(since)s."
            )
            % values,
            **action,
        )
    level = RED if today > version.effective_date + ACKNOWLEDGEMENT_GRACE else AMBER
    return Reading(
        level,
        ngettext(
            "%(count)d staff member has not acknowledged version %(version)s, in force since "
            "%(since)s.",
            "%(count)d staff members have not acknowledged version %(version)s, in force "
            "since %(since)s.",
            missing,
        )
        % values,
        **action,
    )


MFA_COVERAGE = Indicator(
    key="accounts.mfa_coverage",
    label=gettext_lazy("Second factor for every staff account"),
    clauses=("M",),
    read=mfa_coverage_read,
    order=10,
)
POLICY_ACKNOWLEDGEMENTS = Indicator(
    key="accounts.policy_acknowledgements",
    label=gettext_lazy("Policy acknowledged by every staff member"),
    clauses=("S", "V"),
    read=policy_acknowledgements_read,
    order=20,
)
INDICATORS = (MFA_COVERAGE, POLICY_ACKNOWLEDGEMENTS)
