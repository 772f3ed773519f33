"""Helpers of the privacy-rights portal tests: the portal's page and form come from
csce.privacy.factories; the confirmation link is read from the e-mail here."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from csce.common.factories import started_token
from csce.privacy.factories import (
    DETAILS,
    EMAIL,
    NAME,
    portal_page,
    portal_post,
    portal_post_data,
)

__all__ = [
    "DETAILS",
    "EMAIL",
    "NAME",
    "link_in",
    "portal_page",
    "portal_post",
    "portal_post_data",
    "started_token",
    "token_from_link",
]


def token_from_link(link: str) -> str:
    return parse_qs(urlsplit(link).query)["confirm"][0]


def link_in(body: str) -> str:
    return next(line.strip() for line in body.splitlines() if "?confirm=" in line)
