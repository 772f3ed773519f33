"""Helpers of the privacy-rights portal tests: the demo's portal pages and a valid POST."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from django.core import signing

from csce.common.spam import _SIGNING_SALT
from csce.privacy.models import PrivacyRightsPage

EMAIL = "josee.lafleur@example.org"
NAME = "Josée Lafleur-Qwertz"
DETAILS = "Mon adresse postale est erronée : 12 rue Zyxwv, dossier Plomb-7731."


def portal_page(language: str) -> PrivacyRightsPage:
    return PrivacyRightsPage.objects.live().get(locale__language_code=language)


def started_token(page, *, seconds_ago: int = 30) -> str:
    return signing.dumps({"p": page.pk, "t": int(time.time()) - seconds_ago}, salt=_SIGNING_SALT)


def portal_post_data(page, **overrides) -> dict:
    data = {
        "kind": "correction",
        "email": EMAIL,
        "name": NAME,
        "details": DETAILS,
        "form_website": "",
        "form_started": started_token(page),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def portal_post(client, page, data: dict, **extra):
    extra.setdefault("HTTP_ORIGIN", "http://testserver")
    return client.post(page.url, data, **extra)


def token_from_link(link: str) -> str:
    return parse_qs(urlsplit(link).query)["confirm"][0]


def link_in(body: str) -> str:
    return next(line.strip() for line in body.splitlines() if "?confirm=" in line)
