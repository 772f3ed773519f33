"""Dates and times in templates, in the active language, through ``csce.common.typography``.

Use these instead of Django's ``date`` and ``time`` filters for anything a person reads::

    {% load typography %}
    {{ page.date|long_date }}               1er janvier 2027 / January 1, 2027
    {{ session.starts_at|long_date:"weekday" }}  vendredi 1er janvier 2027
    {{ value|long_datetime }}               1er janvier 2027 à 18 h 30
    {{ value|short_date }}                  2027-01-01 (a table column)
    {{ value|short_datetime }}              2027-01-01 18 h 30 (a table column)
    {{ value|clock }}                       18 h 30 / 6:30 p.m.

``<time datetime="…">`` keeps its machine format (``html_datetime``)."""

from __future__ import annotations

from django import template

from csce.common import typography

register = template.Library()


@register.filter
def long_date(value, option: str = "") -> str:
    return typography.date_display(value, weekday=option == "weekday") if value else ""


@register.filter
def long_datetime(value, option: str = "") -> str:
    return typography.datetime_display(value, weekday=option == "weekday") if value else ""


@register.filter
def short_date(value) -> str:
    return typography.short_date_display(value) if value else ""


@register.filter
def short_datetime(value) -> str:
    return typography.short_datetime_display(value) if value else ""


@register.filter
def clock(value) -> str:
    return typography.time_display(value) if value is not None else ""


@register.simple_tag
def colon() -> str:
    """The colon after a label the template joins to its value (``{% translate "Phone" %}{%
    colon %} 613…``): « Téléphone : » with its no-break space in French, "Phone:" in
    English."""
    return f"{typography.NBSP}:" if typography.is_french() else ":"


@register.filter
def language_name(code) -> str:
    """A language code as a reader says it (policy P2): « français », « anglais »; never
    the bare code."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"]) if code else ""
    except KeyError:
        return str(code)
