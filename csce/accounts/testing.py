"""Test helpers for signing in to the admin, which needs a second factor (policy M).

``client.force_login(user)`` alone now leads every admin URL to the MFA enrolment or
verification page. Tests that are not about MFA sign in with ``login_with_mfa``.
"""

from __future__ import annotations

from csce.accounts.factories import mfa_device, staff_sign_in


def mfa_totp_device(user):
    """The user's confirmed authenticator-app device, created when missing."""
    return mfa_device(user)


def login_with_mfa(client, user):
    """Sign ``user`` in on the test ``client`` with a session that passed MFA."""
    return staff_sign_in(client, user)


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
