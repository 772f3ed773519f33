"""Plain helpers that build what the access log tests need."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

PASSWORD = "une phrase de passe assez longue"
_numbers = itertools.count(1)


def staff_member_create(*, may_read_log: bool = False, **fields):
    """A staff member who may use the admin, and read the access log when asked."""
    n = next(_numbers)
    fields.setdefault("username", f"agent{n}")
    fields.setdefault("email", f"agent{n}@example.org")
    fields.setdefault("first_name", "Agente")
    fields.setdefault("last_name", f"Numéro{n}")
    user = get_user_model().objects.create_user(password=PASSWORD, **fields)
    group, _ = Group.objects.get_or_create(
        name="Audit test readers" if may_read_log else "Audit test staff"
    )
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if may_read_log:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="audit", codename="view_accesslogentry")
        )
    user.groups.add(group)
    return user


def admin_sign_in(client, user) -> None:
    """Sign in the way the admin requires: with a second factor where MFA is installed."""
    try:
        from csce.accounts.tests.conftest import staff_prepare, staff_session_verify
    except ImportError:  # before the accounts app's other gates: the second factor only
        from csce.accounts.testing import login_with_mfa

        login_with_mfa(client, user)
        return
    staff_prepare(user)
    staff_session_verify(client, user)
