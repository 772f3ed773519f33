"""Receivers of the accounts app: every ``migrate`` ends by applying the roles; new home
pages get the roles; lockouts are logged; role changes made in a web request are guarded
(csce/accounts/role_requests.py)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.models import Page

from csce.audit.context import current_request_user

from .lockout import lockout_record
from .role_requests import RoleChangeRefused, role_change_guard
from .roles import home_page_roles_grant, roles_apply


def _last_migrated_app():
    """``migrate`` signals post_migrate once per app with models, in INSTALLED_APPS order;
    after the last one every table and permission exists."""
    return [config for config in django_apps.get_app_configs() if config.models_module][-1]


@receiver(post_migrate, dispatch_uid="accounts_roles_apply")
def roles_after_migrate(sender, apps=django_apps, **kwargs) -> None:
    # Policy R: the groups hold exactly the matrix the installed apps declare, whatever
    # was changed by hand or added by a new app since the last migrate.
    if sender.label == _last_migrated_app().label:
        roles_apply(apps=apps)


@receiver(post_save, dispatch_uid="accounts_home_page_roles")
def home_page_roles(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and isinstance(instance, Page) and instance.depth == 2:
        home_page_roles_grant(apps=django_apps, page_id=instance.pk)


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out_recorded(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # Policy M: five failures lock the username from that address; the log says so.
    lockout_record(username=username)


User = get_user_model()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_role_change_guard")
def role_change_guarded(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    # Policy R, F: whatever screen or bulk action changes a membership in a web request,
    # nobody changes their own roles and roles that open personal data wait for approval.
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # group.user_set.add(users)
        users = pk_set if pk_set is not None else instance.user_set.values_list("pk", flat=True)
        groups = [instance.pk]
    else:
        users, groups = [instance.pk], pk_set
    role_change_guard(users=users, groups=groups, adding=action == "pre_add")


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts_perm_guard")
def user_permissions_guarded(sender, instance, action, **kwargs) -> None:
    # Permissions given to one account bypass the roles: never from a web request.
    if action == "pre_add" and current_request_user() is not None:
        raise RoleChangeRefused(_("Permissions are given through roles only."))


@receiver(pre_save, sender=User, dispatch_uid="accounts_superuser_guard")
def superuser_guarded(sender, instance, raw: bool = False, **kwargs) -> None:
    # Superuser status is break-glass, given from the terminal only (policy M, R): no web
    # request turns it on, whoever is signed in.
    if raw or not instance.is_superuser or current_request_user() is None:
        return
    was = User.objects.filter(pk=instance.pk, is_superuser=True).exists() if instance.pk else False
    if not was:
        raise RoleChangeRefused(_("Superuser status is given from the terminal only."))
