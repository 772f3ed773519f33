"""Fuzzing the report and comment forms through the HTTP client (policy U, M: no input
fails a page): whatever a visitor or a robot sends, the answer is never a 500, never
echoes markup unescaped, sets no cookie, and what is stored is plain, bounded text."""

from __future__ import annotations

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csce.common.testing import hostile_form_values
from csce.moderation.forms import COMMENT_MAX, DESCRIPTION_MAX, NAME_MAX
from csce.moderation.models import Comment, ConcernReport

from .public_support import (
    REPORT_PATHS,
    article_with_comments,
    comment_data,
    comment_url,
    post,
    report_data,
)

pytestmark = pytest.mark.django_db

REPORT_FIELDS = ["subject", "url", "comment", "category", "description", "contact"]
COMMENT_FIELDS = ["name", "text", "email"]
GUARDS = ["form_website", "form_started", "description[]", "text[0]"]
values = hostile_form_values(
    "page", "comment", "social", "spam", "other", "1", "-1", "https://a.example/x", "/fr/"
)
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MARKUP = ("<script>alert('x')</script>", "<img src=x onerror", "<svg onload")


def _safe(response) -> None:
    assert response.status_code < 500
    assert not response.cookies
    text = response.content.decode()
    for markup in MARKUP:
        assert markup not in text


def _plain(text: str, limit: int) -> None:
    assert "\x00" not in text
    assert "<script" not in text.lower()
    assert len(text) <= limit


@pytest.fixture
def articles(db):
    return article_with_comments()


@override_settings(FORM_RATE_LIMIT=10_000)
@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(REPORT_FIELDS + GUARDS), st.one_of(values, st.lists(values, max_size=3))
    ),
    language=st.sampled_from(["fr", "en"]),
    query=st.dictionaries(st.sampled_from(["page", "comment"]), values, max_size=2),
)
def test_any_report_gets_a_page(client, articles, payload, language, query):
    _safe(client.get(REPORT_PATHS[language], query))
    response = post(client, REPORT_PATHS[language], {**report_data(), **payload})
    _safe(response)
    assert response.status_code in (200, 400)
    for report in ConcernReport.objects.all():
        _plain(report.description, DESCRIPTION_MAX)
        assert report.language in ("fr", "en")
        assert report.url.startswith(("/", "https://"))


@override_settings(FORM_RATE_LIMIT=10_000)
@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(COMMENT_FIELDS + GUARDS), st.one_of(values, st.lists(values, max_size=3))
    ),
    language=st.sampled_from(["fr", "en"]),
)
def test_any_comment_gets_a_page(client, articles, payload, language):
    article = articles[language]
    response = post(client, comment_url(article, language), {**comment_data(article), **payload})
    _safe(response)
    assert response.status_code in (303, 400)
    for comment in Comment.objects.all():
        _plain(comment.text, COMMENT_MAX)
        _plain(comment.name, NAME_MAX)
        assert comment.state == "pending"
