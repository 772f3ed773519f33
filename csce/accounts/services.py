"""Writes about staff accounts: keyword-only, typed, called by commands, views and tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.log_actions import log

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.staff import staff_display_name, staff_language

from .models import PolicyAcknowledgement, PolicyVersion
from .selectors import (
    accounts_dormant,
    accounts_ended,
    aed_members,
    policy_version_latest_approved,
)

USER_TYPE = "auth.user"


@dataclass
class DisabledAccounts:
    dormant: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.dormant) + len(self.ended)


def accounts_disable_inactive(*, now: datetime.datetime | None = None) -> DisabledAccounts:
    """Policy M: disable accounts past their end date or with no sign-in for DORMANT_AFTER.

    Idempotent and safe on two nodes at once: each account is disabled by a conditional
    UPDATE (still active?), and only the node whose UPDATE changed the row logs it.
    """
    now = now or timezone.now()
    result = DisabledAccounts()
    User = get_user_model()
    candidates = [
        ("ended", accounts_ended(today=timezone.localdate(now)), result.ended),
        ("dormant", accounts_dormant(now=now), result.dormant),
    ]
    for reason, queryset, names in candidates:
        for user in queryset.order_by("pk"):
            # A queryset update sends no save signal: this entry, with its reason, is the
            # only one for this change.
            if User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
                access_log_record(
                    action=AccessAction.ACCOUNT_DISABLED,
                    actor=None,
                    object_type=USER_TYPE,
                    object_id=user.pk,
                    details={"reason": reason},
                )
                names.append(staff_display_name(user))
    if result.total:
        accounts_disabled_notify(result=result)
    return result


def accounts_disabled_notify(*, result: DisabledAccounts) -> int:
    """Tell each AED, in their admin language, which accounts were disabled and why."""
    sent = 0
    for recipient in aed_members():
        with translation.override(staff_language(recipient)):
            context = {"result": result, "recipient": recipient, "site_url": settings.SITE_URL}
            subject = render_to_string(
                "accounts/email/accounts_disabled_subject.txt", context
            ).strip()
            body = render_to_string("accounts/email/accounts_disabled_body.txt", context)
        sent += EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    return sent


def policy_acknowledge(*, user, version: PolicyVersion) -> PolicyAcknowledgement:
    """Record that ``user`` acknowledged ``version`` (once) and log it (policy S)."""
    acknowledgement, created = PolicyAcknowledgement.objects.get_or_create(
        user=user, version=version
    )
    if created:
        access_log_record(
            action=AccessAction.POLICY_ACKNOWLEDGED,
            actor=user,
            object_type="accounts.policyversion",
            object_id=version.pk,
            details={"version": version.version_label},
        )
    return acknowledgement


# Policy R, V: the permission only the AED's role holds (csce/accounts/roles.py), and the
# Wagtail log action that records her approval (registered in wagtail_hooks.py).
POLICY_APPROVE_PERMISSION = "accounts.approve_policyversion"
POLICY_APPROVE_ACTION = "accounts.policy_version.approve"


def policy_version_approval_problems(*, version: PolicyVersion) -> list[str]:
    """Why ``version`` cannot be approved as it stands (empty when it can): the text in both
    languages or a document, a next review after the effective date, and an effective date
    that does not go back before the version already decided (it would never be in force)."""
    problems = []
    try:
        version.full_clean()
    except ValidationError as error:
        problems += [str(message) for message in error.messages]
    latest = policy_version_latest_approved()
    if (
        latest is not None
        and latest.pk != version.pk
        and version.effective_date < latest.effective_date
    ):
        problems.append(
            gettext(
                "The effective date is before that of version %(label)s, already approved: "
                "this version would never be in force."
            )
            % {"label": latest.version_label}
        )
    return problems


class PolicyApprovalRefused(Exception):
    """The version cannot be approved: already approved, or incomplete (``problems``)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def policy_version_approve(
    *, version: PolicyVersion, actor, now: datetime.datetime | None = None
) -> PolicyVersion:
    """Policy R, V: the AED approves a drafted version. From its effective date it is in
    force and every staff member acknowledges it again (PolicyAcknowledgementMiddleware);
    a draft asks nobody.

    Only the AED's role holds the permission, so a draft by the technical administrator
    is approved by another person; the AED may approve her own draft (she answers for the
    policy, and the centre has one AED: docs/decisions/0008-staff-accounts.md). Two AEDs
    approving at once: the conditional UPDATE lets one through, the other is refused.
    """
    if not actor.has_perm(POLICY_APPROVE_PERMISSION):
        raise PermissionDenied
    problems = policy_version_approval_problems(version=version)
    if problems:
        raise PolicyApprovalRefused(problems)
    now = now or timezone.now()
    with transaction.atomic():
        approved = PolicyVersion.objects.filter(pk=version.pk, approved_at__isnull=True).update(
            approved_at=now, approved_by=actor, updated_at=now
        )
        if not approved:
            raise PolicyApprovalRefused([gettext("This version is already approved.")])
        version.refresh_from_db()
        log(
            instance=version,
            action=POLICY_APPROVE_ACTION,
            user=actor,
            data={
                "version": version.version_label,
                "effective_date": version.effective_date.isoformat(),
                "next_review": version.next_review.isoformat(),
            },
        )
    return version
