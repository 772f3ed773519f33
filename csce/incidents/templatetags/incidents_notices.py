"""The notices' summary for the register's incident page (policy P8): counts and the
time from detection to the first notice, no personal value."""

from __future__ import annotations

from django import template

from ..notice_views import NOTIFY_PERMISSION
from ..notices import duration_words, notice_counts, time_to_notify

register = template.Library()


@register.simple_tag(takes_context=True)
def notices_summary(context, incident) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        **notice_counts(incident=incident),
        "delay": duration_words(time_to_notify(incident=incident)),
        "may_notify": bool(user and user.has_perm(NOTIFY_PERMISSION)),
    }
