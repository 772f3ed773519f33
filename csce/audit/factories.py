"""Staff who may use the admin and, when asked, read the access log; for any app's tests."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, Permission

from csce.accounts.factories import staff_prepare, staff_sign_in, staff_user

_numbers = itertools.count(1)


def staff_member_create(*, may_read_log: bool = False, **fields):
    """A staff member who may use the admin, and read the access log when asked."""
    n = next(_numbers)
    fields.setdefault("username", f"agent{n}")
    fields.setdefault("email", f"agent{n}@example.org")
    fields.setdefault("first_name", "Agente")
    fields.setdefault("last_name", f"Numéro{n}")
    user = staff_user(verified=False, **fields)
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
    """Sign in the way the admin requires: policy acknowledged, with a second factor."""
    staff_prepare(user)
    staff_sign_in(client, user)


def security_audit_create(*, results=None, completed_at=None, **fields):
    """A security audit whose automated checks ran, with ``results`` (default: one passed
    check); ``completed_at`` marks it completed, as the AED does."""
    from django.utils import timezone

    from csce.audit.models import SecurityAudit, SecurityAuditStatus

    if results is None:
        results = [
            {
                "check": "access_log_chain",
                "label": "Chaîne du journal des accès",
                "clauses": ["M"],
                "status": "pass",
                "detail": "La chaîne est intacte.",
            }
        ]
    return SecurityAudit.objects.create(
        status=SecurityAuditStatus.DONE,
        run_at=timezone.now(),
        results=results,
        completed_at=completed_at,
        **fields,
    )
