"""The site alerts every public page shows, read from the cache within the query budget.

One cache entry holds every alert that has not ended yet, with its text and its link in
each language. It is keyed by the site's content generation, which saving or deleting an
alert starts anew (``SiteAlert.save``, ``signals.py``), like publishing a page does. Which
alerts show is decided at each request from their dates, so an alert appears at its
start and goes at its end without a deploy, a save or a job; the entry's lifetime also
ends at the next start or end, so the list never carries alerts long gone. A cache that
loses the entry only costs one query to read it again (policy M).

The anonymous page cache (``middleware.py``) puts ``alerts_state`` in its keys: a page
rendered before an alert started or ended is never served after it.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page

from .cache import TIMEOUT, cache_key, live_public
from .models import SiteAlert

KIND_ORDER = [kind.value for kind in SiteAlert.Kind]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The request attribute holding the time the page cache keyed the page with: the banner
# is rendered for that same instant, so the page matches its key.
REQUEST_TIME = "site_alerts_at"


def alert_schedule() -> list[dict]:
    """Every alert that has not ended, as plain data: dates, texts and links by language."""
    key = cache_key("alerts")
    entries = cache.get(key)
    if entries is None:
        now = timezone.now()
        alerts = list(SiteAlert.objects.filter(ends_at__gt=now).order_by("starts_at", "pk"))
        links = _links({alert.link_page_id for alert in alerts if alert.link_page_id})
        entries = [
            {
                "pk": alert.pk,
                "kind": alert.kind,
                "starts_at": alert.starts_at,
                "ends_at": alert.ends_at,
                # Policy P2: each language's own text, never one in place of the other.
                "text": {"fr": alert.text_fr, "en": alert.text_en},
                "link": links.get(alert.link_page_id, {}),
            }
            for alert in alerts
        ]
        cache.set(key, entries, _lifetime(entries, now))
    return entries


def _links(page_ids: set[int]) -> dict[int, dict[str, dict[str, str]]]:
    """For each chosen page, its title and URL in each language, from its live public
    translations; a language without one gets another language's (French first)."""
    if not page_ids:
        return {}
    chosen = {page.pk: page for page in Page.objects.filter(pk__in=page_ids)}
    translations = {
        (page.translation_key, page.locale.language_code): page
        for page in live_public(Page.objects.all())
        .filter(translation_key__in=[page.translation_key for page in chosen.values()])
        .select_related("locale")
    }
    links: dict[int, dict[str, dict[str, str]]] = {}
    for pk, chosen_page in chosen.items():
        found = [translations.get((chosen_page.translation_key, code)) for code in LANGUAGES]
        fallback = next((p for p in found if p is not None), None)
        links[pk] = {
            code: {"title": (page or fallback).title, "url": (page or fallback).get_url()}
            for code, page in zip(LANGUAGES, found, strict=True)
            if page or fallback
        }
    return links


def _lifetime(entries: list[dict], now: datetime) -> int:
    """Seconds until the next start or end among ``entries``, at most the cache's TIMEOUT."""
    moments = [e["starts_at"] for e in entries if e["starts_at"] > now]
    moments += [e["ends_at"] for e in entries]
    if not moments:
        return TIMEOUT
    return max(1, min(TIMEOUT, math.ceil((min(moments) - now).total_seconds())))


def _active(now: datetime) -> list[dict]:
    entries = [e for e in alert_schedule() if e["starts_at"] <= now < e["ends_at"]]
    return sorted(entries, key=lambda e: (KIND_ORDER.index(e["kind"]), e["starts_at"], e["pk"]))


def alerts_state(*, now: datetime) -> str:
    """Which alerts show at ``now``, as a short key part: changes when one starts or ends."""
    return ".".join(str(e["pk"]) for e in _active(now)) or "-"


def alerts_shown(*, language: str, now: datetime) -> list[dict]:
    """The alerts showing at ``now``, most pressing first, each in ``language``: its kind,
    the kind's name, its text and its link (title and URL) when it has one."""
    labels = dict(SiteAlert.Kind.choices)
    shown = []
    for entry in _active(now):
        text = entry["text"].get(language) or entry["text"][settings.LANGUAGE_CODE]
        shown.append(
            {
                "kind": entry["kind"],
                "label": str(labels[entry["kind"]]),
                "text": text,
                "link": entry["link"].get(language),
            }
        )
    return shown
