"""A new home page (a new language or site) gets the role permissions and the workflow."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page

from .roles import home_page_roles_grant


@receiver(post_save, dispatch_uid="accounts_home_page_roles")
def home_page_roles(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and isinstance(instance, Page) and instance.depth == 2:
        home_page_roles_grant(apps=django_apps, page_id=instance.pk)
