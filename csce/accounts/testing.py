"""Test helpers for signing in to the admin, which needs a second factor (policy M).

``client.force_login(user)`` alone now leads every admin URL to the MFA enrolment or
verification page. Tests that are not about MFA sign in with ``login_with_mfa``.
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def mfa_totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator-app device, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def login_with_mfa(client, user) -> TOTPDevice:
    """Sign ``user`` in on the test ``client`` with a session that passed MFA."""
    client.force_login(user)
    device = mfa_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def user_edit_data(user, *, group_ids: list[int], **extra) -> dict:
    """What Wagtail's user edit form posts for ``user`` unchanged, with these roles; an
    ``extra`` value of None leaves that field out."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "person_type": "employee",
        "end_date": "",
        "groups": group_ids,
        **extra,
    }
    return {key: value for key, value in data.items() if value is not None}
