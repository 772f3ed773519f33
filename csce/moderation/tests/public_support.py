"""What the tests of the public forms share: an article that takes comments, the data of
a valid form, a POST as a browser on our own pages sends it."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from csce.common.spam import form_started_token
from csce.moderation.views import REPORT_TOKEN_SCOPE
from csce.pages.factories import page_of_type
from csce.pages.models import NewsPage

ORIGIN = "http://testserver"
REPORT_PATHS = {"fr": "/fr/signaler-un-probleme/", "en": "/en/report-a-concern/"}
_ADDRESSES = iter(range(1, 100_000))


def article_with_comments(*, enabled: bool = True) -> dict[str, NewsPage]:
    """A French news article and its English translation, comments open or not."""
    french = page_of_type(NewsPage, comments_enabled=enabled)
    english = french.get_translation(Locale.objects.get(language_code="en")).specific
    if english.comments_enabled != enabled:
        english.comments_enabled = enabled
        english.save_revision().publish()
    return {"fr": french, "en": english}


def started(scope: int) -> str:
    """A fill-time token from half a minute ago."""
    return form_started_token(page_id=scope, shown_at=timezone.now().timestamp() - 30)


def report_data(**overrides) -> dict:
    data = {
        "subject": "page",
        "url": "/fr/nouvelles/",
        "category": "harassment",
        "description": "Un message vise une personne nommément.",
        "contact": "",
        "form_website": "",
        "form_started": started(REPORT_TOKEN_SCOPE),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def comment_data(article, **overrides) -> dict:
    data = {
        "name": "Rosalie Bouchard",
        "text": "Merci pour ces nouvelles.\nÀ bientôt !",
        "email": "",
        "form_website": "",
        "form_started": started(article.pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def visitor_address() -> str:
    """A different visitor each time, so that the rate limit is not what is tested."""
    n = next(_ADDRESSES)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def post(client, url, data, **extra):
    extra.setdefault("HTTP_ORIGIN", ORIGIN)
    extra.setdefault("REMOTE_ADDR", visitor_address())
    return client.post(url, data, **extra)


def comment_url(article, language: str) -> str:
    with translation.override(language):
        return reverse("moderation_comment", args=[article.pk])


_TOKEN = re.compile(r'name="form_started"[^>]*value="([^"]+)"')


def token_in(html: str) -> str:
    return _TOKEN.search(html).group(1)
