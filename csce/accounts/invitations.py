"""Staff invitations: a new staff member sets their own password (policy M; decision 0008).

An administrator creates the account without a password; the person receives a one-time
link, chooses a password under the same rules as everywhere else, then enrols a second
factor at their first sign-in.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.staff import staff_language

from .models import StaffInvitation
from .selectors import account_has_ended

USER_TYPE = "auth.user"


def invitation_token_hash(*, token: str) -> str:
    """The token's digest: the token is 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def staff_invitation_create(
    *, user: AbstractBaseUser, invited_by: AbstractBaseUser | None
) -> tuple[StaffInvitation, str]:
    """A new one-time link for ``user``; earlier unused links of theirs stop working.

    Returns the invitation and the token, which exists only in the e-mail sent.
    """
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        StaffInvitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        invitation = StaffInvitation.objects.create(
            user=user,
            token_hash=invitation_token_hash(token=token),
            expires_at=now + datetime.timedelta(seconds=settings.STAFF_INVITATION_SECONDS),
            invited_by=invited_by,
        )
    return invitation, token


def staff_invitation_url(*, token: str) -> str:
    path = reverse("accounts_invitation_accept", kwargs={"token": token})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def staff_invitation_send(*, invitation: StaffInvitation, token: str) -> int:
    """E-mail the link to the invited person, in their admin language (French unless set)."""
    user = invitation.user
    with translation.override(staff_language(user)):
        context = {
            "user": user,
            "url": staff_invitation_url(token=token),
            "expires_at": invitation.expires_at,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]).send()


def staff_invite(*, user: AbstractBaseUser, invited_by: AbstractBaseUser | None) -> StaffInvitation:
    """Make a link for ``user`` and e-mail it once the account is committed."""
    invitation, token = staff_invitation_create(user=user, invited_by=invited_by)
    transaction.on_commit(lambda: staff_invitation_send(invitation=invitation, token=token))
    return invitation


def staff_invitation_for_token(*, token: str) -> StaffInvitation | None:
    """The invitation a link opens: unused, unexpired, for an account still allowed in."""
    invitation = (
        StaffInvitation.objects.select_related("user")
        .filter(
            token_hash=invitation_token_hash(token=token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        return None
    if not invitation.user.is_active or account_has_ended(user=invitation.user):
        return None
    return invitation


def staff_invitation_accept(*, invitation: StaffInvitation, password: str) -> bool:
    """Set the password chosen through the link, once: False when the link was used since."""
    now = timezone.now()
    with transaction.atomic():
        # Two requests racing with one link: only the one that marks it used goes on.
        claimed = StaffInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            return False
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        access_log_record(
            action=AccessAction.PASSWORD_CHANGED,
            actor=user,
            object_type=USER_TYPE,
            object_id=user.pk,
            details={"via": "invitation"},
        )
    return True
