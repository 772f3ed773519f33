"""Names a staff member reads in the admin instead of Django's identifiers (policy P2)."""

from __future__ import annotations

from django import template
from django.apps import apps

from csce.common.roles import permission_label

register = template.Library()


@register.filter
def app_verbose_name(content_type) -> str:
    """The name of a content type's app in the active language (« Pages du site »), never
    its ``app_label``."""
    try:
        return str(apps.get_app_config(content_type.app_label).verbose_name)
    except LookupError:
        return str(content_type.app_label)


register.filter("permission_label", permission_label)
