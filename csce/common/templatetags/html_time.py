"""Machine-readable times for ``<time datetime="...">``, in the form HTML accepts."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value) -> str:
    """A valid HTML date or global date and time string: ``2026-12-03T14:05:00-05:00``.

    Django's ``date:"c"`` keeps microseconds, which HTML does not allow (three decimals
    at most); so whole seconds, in the site's time zone, with its offset."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
