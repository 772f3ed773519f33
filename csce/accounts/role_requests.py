"""Roles that open personal data are given by two people, never by oneself (policy R, F).

Whoever edits an account (the technical administrator) only *asks* for such a role: a
``RoleRequest`` waits until a member of the AED or Executive Director role, who is neither
the requester nor the account's owner, approves or refuses it. Nobody changes their own
roles. Every request, decision, removal and refused attempt is written to the access log
(ids only) and e-mailed to the AED (``aed_notify``).

Outside a web request (migrations, the shell, the demo command, tests' fixtures) groups
are set directly: whoever has the shell already holds the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csce.audit.context import current_actor_id, current_request_user
from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.registry import group_receives_personal_data
from csce.common.roles import role_label as common_role_label
from csce.common.staff import staff_display_name, staff_language

from . import roles
from .models import RoleRequest, RoleRequestStatus
from .selectors import aed_members

USER_TYPE = "auth.user"
REQUEST_TYPE = "accounts.rolerequest"

_grant_approved: ContextVar[bool] = ContextVar("role_grant_approved", default=False)


class RoleChangeRefused(PermissionDenied):
    """A role change that this person may not make (the message says why)."""


@contextmanager
def role_grant_approved() -> Iterator[None]:
    """The block adds a role that was approved: the guard lets it through."""
    token = _grant_approved.set(True)
    try:
        yield
    finally:
        _grant_approved.reset(token)


def role_label(group: Group) -> str:
    return common_role_label(group)


def group_needs_approval(*, group: Group) -> bool:
    """Policy F: every role needs a second person, but for the few that open no personal
    data (``roles.ROLES_WITHOUT_APPROVAL``) while they hold no more than the matrix gives
    them and no form sends to them. A role created later needs approval by default."""
    if group.name not in roles.ROLES_WITHOUT_APPROVAL:
        return True
    allowed = set(roles.role_permissions().get(group.name, [])) - set(roles.MEDIA)
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    return bool(held - allowed) or group_receives_personal_data(group_id=group.pk)


def role_approver_is(*, user) -> bool:
    """A member of the AED or Executive Director role. Superuser status is not enough:
    break-glass access reads everything but approves nothing."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name__in=roles.ROLE_APPROVERS).exists()
    )


def role_requests_pending():
    return RoleRequest.objects.filter(status=RoleRequestStatus.PENDING).select_related(
        "user", "group", "requested_by"
    )


def role_change_guard(*, users: Iterable[int], groups: Iterable[int] | None, adding: bool) -> None:
    """The last line: inside a web request, nobody changes their own roles and nobody adds
    a role that needs approval, whatever screen or bulk action does it (policy R, F)."""
    actor = current_request_user()
    if actor is None or _grant_approved.get():
        return
    if actor.pk in set(users):
        raise RoleChangeRefused(_("Nobody changes their own roles."))
    if adding and any(
        group_needs_approval(group=group) for group in Group.objects.filter(pk__in=groups or [])
    ):
        raise RoleChangeRefused(
            _(
                "This role opens personal data: ask for it from the account's edit screen; "
                "the AED or the Executive Director approves it."
            )
        )


def role_request_create(*, user, group: Group, requested_by) -> RoleRequest:
    """Ask for ``group`` for ``user``; the same pending request is not asked twice."""
    with transaction.atomic():
        request, created = RoleRequest.objects.get_or_create(
            user=user,
            group=group,
            status=RoleRequestStatus.PENDING,
            defaults={"requested_by": requested_by},
        )
        if created:
            access_log_record(
                action=AccessAction.ROLE_REQUESTED,
                actor=requested_by,
                object_type=USER_TYPE,
                object_id=user.pk,
                details={"group": group.pk, "request": request.pk},
            )
    if created:
        aed_notify(event="requested", user=user, group=group, actor=requested_by)
    return request


def _decision_check(*, role_request: RoleRequest, approver) -> None:
    if role_request.status != RoleRequestStatus.PENDING:
        raise RoleChangeRefused(_("This request has already been decided."))
    if not role_approver_is(user=approver):
        raise RoleChangeRefused(
            _("Only the AED or the Executive Director approves or refuses a role.")
        )
    if approver.pk in (role_request.requested_by_id, role_request.user_id):
        raise RoleChangeRefused(
            _("A second person decides: not the one who asked, nor the account's owner.")
        )


def _decide(*, role_request: RoleRequest, approver, status: str) -> RoleRequest:
    with transaction.atomic():
        locked = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
        _decision_check(role_request=locked, approver=approver)
        locked.status = status
        locked.decided_by = approver
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        approved = status == RoleRequestStatus.APPROVED
        if approved:
            with role_grant_approved():
                locked.user.groups.add(locked.group)
        access_log_record(
            action=AccessAction.ROLE_REQUEST_APPROVED
            if approved
            else AccessAction.ROLE_REQUEST_REFUSED,
            actor=approver,
            object_type=USER_TYPE,
            object_id=locked.user_id,
            details={"group": locked.group_id, "request": locked.pk},
        )
    aed_notify(
        event="approved" if approved else "refused",
        user=locked.user,
        group=locked.group,
        actor=approver,
    )
    return locked


def role_request_approve(*, role_request: RoleRequest, approver) -> RoleRequest:
    return _decide(role_request=role_request, approver=approver, status=RoleRequestStatus.APPROVED)


def role_request_refuse(*, role_request: RoleRequest, approver) -> RoleRequest:
    return _decide(role_request=role_request, approver=approver, status=RoleRequestStatus.REFUSED)


def role_change_refused_record(*, actor, user, groups: Iterable[Group]) -> None:
    """Someone tried to change their own roles: the log and the AED learn it."""
    groups = list(groups)
    access_log_record(
        action=AccessAction.ROLE_CHANGE_REFUSED,
        actor=actor,
        object_type=USER_TYPE,
        object_id=user.pk,
        details={"groups": sorted(g.pk for g in groups), "reason": "own_roles"},
    )
    for group in groups:
        aed_notify(event="self_refused", user=user, group=group, actor=actor)


def roles_removed_notify(*, user, groups: Iterable[Group], actor) -> None:
    """Removals take effect at once (they close access); the log has them from the
    m2m signal (csce/audit/signals.py) and the AED hears of each."""
    for group in groups:
        aed_notify(event="removed", user=user, group=group, actor=actor)


_SUBJECTS = {
    "requested": lambda: _("Role awaiting your approval: %(role)s"),
    "approved": lambda: _("Role approved: %(role)s"),
    "refused": lambda: _("Role refused: %(role)s"),
    "removed": lambda: _("Role removed: %(role)s"),
    "self_refused": lambda: _("Refused: a staff member tried to change their own roles"),
}
_BODIES = {
    "requested": lambda: _(
        "%(actor)s asks for the role %(role)s for the account of %(user)s. The role is "
        "given only once the AED or the Executive Director approves it."
    ),
    "approved": lambda: _("%(actor)s approved the role %(role)s for the account of %(user)s."),
    "refused": lambda: _("%(actor)s refused the role %(role)s for the account of %(user)s."),
    "removed": lambda: _("%(actor)s removed the role %(role)s from the account of %(user)s."),
    "self_refused": lambda: _(
        "%(actor)s tried to change their own roles (%(role)s). Nothing was changed."
    ),
}


def aed_mail_send(*, compose: Callable[[], tuple[str, str]]) -> int:
    """E-mail each AED; ``compose`` returns (subject, body) and runs in their admin language.

    The one place the notices of role and routing changes are sent from (policy R, F).
    """
    sent = 0
    for recipient in aed_members():
        with translation.override(staff_language(recipient)):
            subject, body = compose()
        sent += EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    return sent


def aed_notify(*, event: str, user, group: Group, actor) -> int:
    """One role change, told to the AED: staff names and role names only."""
    link = settings.SITE_URL + reverse("accounts_role_requests")

    def compose() -> tuple[str, str]:
        values = {
            "role": role_label(group),
            "user": staff_display_name(user),
            "actor": staff_display_name(actor) if actor is not None else _("The system"),
        }
        body = _BODIES[event]() % values
        more = _("Role requests and the access log: %(link)s") % {"link": link}
        return _SUBJECTS[event]() % values, f"{body}\n\n{more}\n"

    return aed_mail_send(compose=compose)


def aed_routing_notify(*, page) -> int:
    """A form or a topic now sends to another inbox: the AED hears of it (policy F)."""
    actor = get_user_model().objects.filter(pk=current_actor_id()).first()
    link = settings.SITE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])

    def compose() -> tuple[str, str]:
        values = {
            "page": page.title,
            "actor": staff_display_name(actor) if actor is not None else _("The system"),
        }
        body = (
            _(
                "%(actor)s changed which inbox receives the form “%(page)s” or one of its "
                "topics. The change is written to the access log."
            )
            % values
        )
        return _("Inbox routing changed: %(page)s") % values, f"{body}\n\n{link}\n"

    return aed_mail_send(compose=compose)
