"""The contact form's privacy topic, as the privacy app sees it (policy P9, P10).

An inquiry the contact form routes to the Privacy Officer may be a privacy request in
all but name. The app that holds inquiries provides this source, from its own
``apps.py``; the privacy app lists, reads and converts them through it, without
importing that app (sibling domains meet in ``common``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class InquirySummary:
    """What a list may show without reading anyone's data."""

    id: int
    created_at: datetime.datetime
    language: str


@dataclass(frozen=True)
class InquiryContent:
    """The person's data an inquiry carries over to a privacy request (decrypted: the
    caller logs the read)."""

    id: int
    created_at: datetime.datetime
    language: str
    name: str
    email: str
    contact_details: str
    details: str


class InquiryNotOpen(LookupError):
    """No such privacy-topic inquiry still holding its content (converted, closed, purged)."""


@dataclass(frozen=True)
class PrivacyInquirySource:
    """- ``count()`` → int: the privacy topic's inquiries still open with their content
    - ``summaries(limit=...)`` → list[InquirySummary], oldest first
    - ``content(inquiry_id=...)`` → InquiryContent, or raises InquiryNotOpen
    - ``close(inquiry_id=..., actor=..., reason=..., details=...)``: close it and delete its
      content (locking it first; raises InquiryNotOpen), logged with ``reason`` and
      ``details`` (ids only), inside the caller's transaction
    - ``object_type``: how the access log names an inquiry
    """

    count: Callable[[], int]
    summaries: Callable[..., list[InquirySummary]]
    content: Callable[..., InquiryContent]
    close: Callable[..., None]
    object_type: str


_sources: list[PrivacyInquirySource] = []


def privacy_inquiry_source_register(source: PrivacyInquirySource) -> None:
    if source not in _sources:
        _sources[:] = [source]


def privacy_inquiry_source() -> PrivacyInquirySource | None:
    """The source, or None when no app provides one (a deployment without forms)."""
    return _sources[0] if _sources else None
