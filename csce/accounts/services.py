"""Writes about staff accounts: keyword-only, typed, called by commands, views and tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.staff import staff_display_name, staff_language

from .models import PolicyAcknowledgement, PolicyVersion
from .selectors import accounts_dormant, accounts_ended, aed_members

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
