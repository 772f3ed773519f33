"""Staff members for any app's tests: the one way to make one and sign them in.

A staff member uses the admin only after a password and a second factor (policy M) and
once they have acknowledged the policy in force (policy S); ``staff_user`` makes one who
has done both, ``staff_sign_in`` opens their session on a test client.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "une phrase de passe assez longue"
_numbers = itertools.count(1)


def staff_user(
    *,
    role: str | None = None,
    roles: Iterable[str] = (),
    language: str | None = None,
    verified: bool = True,
    superuser: bool = False,
    **fields,
):
    """A staff member with these roles (group names) who has acknowledged the current
    policy; ``verified`` gives them a confirmed authenticator app, ``language`` their
    admin language (None keeps Wagtail's default: the request's language)."""
    n = next(_numbers)
    superuser = fields.pop("is_superuser", superuser)
    username = fields.pop("username", f"staff{n}")
    fields.setdefault("email", f"{username}@example.org")
    fields.setdefault("first_name", "Agent")
    fields.setdefault("last_name", str(n))
    user = get_user_model().objects.create_user(
        username=username,
        password=fields.pop("password", PASSWORD),
        is_superuser=superuser,
        **fields,
    )
    names = [*([role] if role else []), *roles]
    if names:
        user.groups.add(*Group.objects.filter(name__in=names))
        if user.groups.count() != len(set(names)):
            raise ValueError(f"Unknown role among {names!r}.")
    if language is not None:
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    if verified:
        mfa_device(user)
    staff_prepare(user)
    return user


def mfa_device(user):
    """The user's confirmed authenticator-app device, created when missing (policy M)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def staff_prepare(user) -> None:
    """What a staff member does before using the admin: acknowledge the current policy."""
    from csce.accounts.models import PolicyAcknowledgement
    from csce.accounts.selectors import policy_version_current

    version = policy_version_current()
    if version is not None:
        PolicyAcknowledgement.objects.get_or_create(user=user, version=version)


def staff_sign_in(client, user):
    """Sign ``user`` in on the test ``client`` with a session that passed the second
    factor, as ``django_otp.login`` leaves it: the persistent id of a confirmed device."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = mfa_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


_policy_labels = itertools.count(2)


def policy_version(*, approved_by=None, **fields):
    """A policy version, a draft unless ``approved_by`` (an AED) approved it; in force
    from today, reviewed a year later, unless told otherwise (policy S, V)."""
    import datetime

    from django.utils import timezone

    from csce.accounts.models import PolicyVersion

    today = timezone.localdate()
    fields.setdefault("version_label", f"{next(_policy_labels)}.0")
    fields.setdefault("effective_date", today)
    fields.setdefault("next_review", fields["effective_date"] + datetime.timedelta(days=365))
    fields.setdefault("body_fr", "Texte de la politique")
    fields.setdefault("body_en", "Text of the policy")
    fields.setdefault("summary_fr", "Nouvelle règle")
    fields.setdefault("summary_en", "New rule")
    version = PolicyVersion.objects.create(**fields)
    if approved_by is not None:
        PolicyVersion.objects.filter(pk=version.pk).update(
            approved_at=timezone.now(), approved_by=approved_by
        )
        version.refresh_from_db()
    return version
