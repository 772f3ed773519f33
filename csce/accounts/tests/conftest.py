"""Staff members of each role, signed in the way the admin requires (password + second factor)."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def staff_session_verify(client, user) -> None:
    """Sign ``user`` in and mark the session as verified by a second factor.

    With django-otp installed this is what ``django_otp.login`` leaves in the session: the
    persistent id of a confirmed device. Without it, a plain sign-in is all there is.
    """
    client.force_login(user)
    if not django_apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def staff_prepare(user) -> None:
    """What a staff member does before using the admin: acknowledge the current policy."""
    from csce.accounts.models import PolicyAcknowledgement, PolicyVersion

    version = PolicyVersion.objects.order_by("-effective_date", "-pk").first()
    if version is not None:
        PolicyAcknowledgement.objects.get_or_create(user=user, version=version)


@pytest.fixture
def staff_user_make(db):
    counter = {"n": 0}

    def make(*, role: str | None = None, superuser: bool = False, **fields):
        counter["n"] += 1
        username = fields.pop("username", f"staff{counter['n']}")
        User = get_user_model()
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password="une phrase de passe assez longue",
            first_name=fields.pop("first_name", "Agent"),
            last_name=fields.pop("last_name", str(counter["n"])),
            is_superuser=superuser,
            **fields,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        staff_prepare(user)
        return user

    return make


@pytest.fixture
def staff_login(client, staff_user_make):
    def login(*, role: str | None = None, superuser: bool = False, **fields):
        user = staff_user_make(role=role, superuser=superuser, **fields)
        staff_session_verify(client, user)
        return user

    return login
