"""Security events written to the access log as they happen (policy F, M).

Every receiver records ids and codes only: never a username, e-mail address or any part
of the credentials typed at a failed sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import ModelLogEntry, PageLogEntry

from .context import current_actor_id
from .models import AccessAction
from .services import access_log_record

User = get_user_model()
USER_TYPE = User._meta.label_lower
GROUP_TYPE = Group._meta.label_lower


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def sign_in_recorded(sender, request, user, **kwargs):
    access_log_record(
        action=AccessAction.SIGN_IN, actor=user, object_type=USER_TYPE, object_id=user.pk
    )


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def sign_out_recorded(sender, request, user, **kwargs):
    if user is None:  # signing out of a session that had already expired
        return
    access_log_record(
        action=AccessAction.SIGN_OUT, actor=user, object_type=USER_TYPE, object_id=user.pk
    )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failure_recorded(sender, credentials, request=None, **kwargs):
    # The typed username may be someone's e-mail address, or a password typed in the
    # wrong box: nothing from `credentials` is kept, not even whether an account exists.
    access_log_record(action=AccessAction.SIGN_IN_FAILED, actor=None)


def _ids(pk_set) -> list[int]:
    return sorted(pk_set or [])


def _permission_labels(pks) -> list[str]:
    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


_M2M_CHANGES = {"post_add": "added", "post_remove": "removed", "pre_clear": "removed"}


@dataclass(frozen=True)
class _Relation:
    """A many-to-many relation whose changes are logged on the instance's side."""

    forward: str  # the instance's manager when the change is made from its side
    backward: str  # the manager on the other side, for a change made from there
    log_action: AccessAction
    object_type: str
    labels: Callable[[Iterable[int]], list] = _ids  # what ``details`` shows for the ids


_ROLES = _Relation("groups", "user_set", AccessAction.ROLE_CHANGED, USER_TYPE)
_ROLE_PERMISSIONS = _Relation(
    "permissions", "group_set", AccessAction.PERMISSION_CHANGED, GROUP_TYPE, _permission_labels
)
_USER_PERMISSIONS = _Relation(
    "user_permissions", "user_set", AccessAction.PERMISSION_CHANGED, USER_TYPE, _permission_labels
)


def _membership_recorded(relation: _Relation, instance, action, reverse, pk_set) -> None:
    """One m2m change, written for each object on the logged side of ``relation``.

    A reverse change (e.g. ``group.user_set.add(users)``) gives one entry per object on
    the other side, each naming the instance.
    """
    change = _M2M_CHANGES.get(action)
    if change is None:
        return
    if action == "pre_clear":
        manager = getattr(instance, relation.backward if reverse else relation.forward)
        pk_set = manager.values_list("pk", flat=True)
    ids = _ids(pk_set)
    if not ids:
        return
    if reverse:
        label = relation.labels([instance.pk])
        changes = [(object_id, label) for object_id in ids]
    else:
        changes = [(instance.pk, relation.labels(ids))]
    for object_id, changed in changes:
        access_log_record(
            action=relation.log_action,
            actor=current_actor_id(),
            object_type=relation.object_type,
            object_id=object_id,
            details={change: changed},
        )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_user_groups")
def user_groups_recorded(sender, instance, action, reverse, pk_set, **kwargs):
    """A staff member joined or left a role, from either side of the relation."""
    _membership_recorded(_ROLES, instance, action, reverse, pk_set)


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="audit_group_perms")
def group_permissions_recorded(sender, instance, action, reverse, pk_set, **kwargs):
    """A role gained or lost permissions (details: 'app_label.codename', never data)."""
    _membership_recorded(_ROLE_PERMISSIONS, instance, action, reverse, pk_set)


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="audit_user_perms")
def user_permissions_recorded(sender, instance, action, reverse, pk_set, **kwargs):
    """Permissions granted to one account directly, outside any role."""
    if not reverse:  # as before: only changes made from the account's side are logged
        _membership_recorded(_USER_PERMISSIONS, instance, action, reverse, pk_set)


_WATCHED_FLAGS = ("is_active", "is_superuser", "is_staff")


@receiver(pre_save, sender=User, dispatch_uid="audit_user_flags_before")
def user_flags_remembered(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._audit_previous_flags = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_WATCHED_FLAGS):
        return  # e.g. the last_login update at every sign-in: no extra query
    instance._audit_previous_flags = (
        User.objects.filter(pk=instance.pk).values(*_WATCHED_FLAGS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="audit_user_flags_after")
def user_flags_recorded(sender, instance, created, raw=False, **kwargs):
    """Account disabled or enabled; superuser or staff status granted or withdrawn."""
    previous = getattr(instance, "_audit_previous_flags", None)
    instance._audit_previous_flags = None
    if raw or created or not previous:
        return
    if previous["is_active"] != instance.is_active:
        access_log_record(
            action=AccessAction.ACCOUNT_ENABLED
            if instance.is_active
            else AccessAction.ACCOUNT_DISABLED,
            actor=current_actor_id(),
            object_type=USER_TYPE,
            object_id=instance.pk,
        )
    flags = {
        flag: getattr(instance, flag)
        for flag in ("is_superuser", "is_staff")
        if previous[flag] != getattr(instance, flag)
    }
    if flags:
        access_log_record(
            action=AccessAction.ROLE_CHANGED,
            actor=current_actor_id(),
            object_type=USER_TYPE,
            object_id=instance.pk,
            details=flags,
        )


def _wagtail_entry_mirrored(log_entry, *, log_model: str) -> None:
    content_type = log_entry.content_type
    access_log_record(
        action=AccessAction.CONTENT_ACTION,
        actor=log_entry.user_id,
        object_type=content_type.natural_key()[0] + "." + content_type.model
        if content_type
        else "",
        object_id=str(log_entry.object_id)[:64],
        details={
            "wagtail_action": log_entry.action,
            "wagtail_log": log_model,
            "wagtail_log_id": log_entry.pk,
        },
    )


@receiver(post_save, sender=PageLogEntry, dispatch_uid="audit_wagtail_page_log")
def wagtail_page_action_mirrored(sender, instance, created, raw=False, **kwargs):
    """One place to look: Wagtail's content audit log, mirrored by ids (policy F)."""
    if created and not raw:
        _wagtail_entry_mirrored(instance, log_model="page")


@receiver(post_save, sender=ModelLogEntry, dispatch_uid="audit_wagtail_model_log")
def wagtail_model_action_mirrored(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _wagtail_entry_mirrored(instance, log_model="model")
