"""Receivers of the accounts app: new home pages get the roles; lockouts are logged."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.apps import apps as django_apps
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page

from .lockout import lockout_record
from .roles import home_page_roles_grant


@receiver(post_save, dispatch_uid="accounts_home_page_roles")
def home_page_roles(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and isinstance(instance, Page) and instance.depth == 2:
        home_page_roles_grant(apps=django_apps, page_id=instance.pk)


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out_recorded(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # Policy M: five failures lock the username from that address; the log says so.
    lockout_record(username=username)
