"""The legal numbers live in one place: pages, e-mails and settings read them there."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext_lazy

from csce.common import policy


def test_the_template_tag_reads_the_number_when_the_page_is_shown(monkeypatch):
    template = Template('{% load policy %}{% policy "PHIPA_RESPONSE_DAYS" %}')
    assert template.render(Context()) == "30"
    monkeypatch.setattr(policy, "PHIPA_RESPONSE_DAYS", 45)
    assert template.render(Context()) == "45"


def test_an_unknown_number_fails_loudly_rather_than_showing_nothing():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load policy %}{% policy "PHIPA_RESPONSE_DAY" %}').render(Context())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "La LPRPS accorde 45 jours à compter de la demande"),
        ("en", "PHIPA gives 45 days from the request"),
    ],
)
def test_the_phipa_reminder_says_the_deadline_of_policy_py(monkeypatch, language, expected):
    """PHIPA s.54: a changed deadline changes the Privacy Officer's reminder in both languages."""
    monkeypatch.setattr(policy, "PHIPA_RESPONSE_DAYS", 45)
    monkeypatch.setattr(policy, "PHIPA_EXTENSION_MAX_DAYS", 20)
    request = type("Request", (), {"reference": "PR-1", "get_kind_display": "Access"})()
    with translation.override(language):
        body = render_to_string(
            "privacy/email/reminder_body.txt", {"request": request, "due": "1 May", "link": ""}
        )
    assert expected in body
    assert "20" in body
    assert "30" not in body


def test_a_translated_string_reads_its_numbers_in_the_reader_s_language():
    message = policy.interpolate_lazy(
        ngettext_lazy(
            "%(days)s day after the last failed attempt.",
            "%(days)s days after the last failed attempt.",
            "days",
        ),
        {"days": 30},
    )
    with translation.override("fr"):
        assert str(message) == "30 jours après la dernière tentative échouée."
    with translation.override("en"):
        assert str(message) == "30 days after the last failed attempt."


def test_the_settings_take_the_lockout_and_session_numbers_from_policy_py():
    """Policy M, ASVS 2.2 and 3.3: what django-axes and the session enforce is policy.py's."""
    assert settings.AXES_FAILURE_LIMIT == policy.LOCKOUT_FAILURE_LIMIT
    assert datetime.timedelta(minutes=policy.LOCKOUT_MINUTES) == settings.AXES_COOLOFF_TIME
    assert settings.SESSION_COOKIE_AGE == policy.SESSION_ABSOLUTE_HOURS * 3600


def test_the_privacy_record_lifetime_is_twenty_four_months_in_days():
    assert policy.PRIVACY_RECORD_RETENTION_DAYS == 730
