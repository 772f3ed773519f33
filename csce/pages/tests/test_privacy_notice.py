"""The privacy notice page: the editors' text cannot contradict the generated sections, and
the notice is not published with the placeholder Privacy Officer's address (policy P3, P10)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from csce.accounts.factories import staff_sign_in, staff_user
from csce.pages.demo import demo_content_load
from csce.pages.factories import page_of_type
from csce.pages.models import PrivacyNoticePage

pytestmark = pytest.mark.django_db

PLACEHOLDER = "privacy@localhost"
REAL = "vie.privee@csce.example"
# Promises of features the system does not have, in both languages.
PROMISES = re.compile(
    r"newsletter|infolettre|audit|vérification annuelle|breach|atteinte à la vie privée"
    r"|violation de données",
    re.IGNORECASE,
)


def _notice(language: str = "fr") -> PrivacyNoticePage:
    return PrivacyNoticePage.objects.get(locale__language_code=language)


@pytest.fixture
def notice(db) -> PrivacyNoticePage:
    """A published notice in French and English, on a fresh site."""
    return page_of_type(PrivacyNoticePage)


@pytest.fixture
def editor(client):
    user = staff_user(superuser=True, username="responsable-avis")
    staff_sign_in(client, user)
    return user


def _publish(
    client, page, *, title: str, text: str, language: str = "fr", action: str = "action-publish"
):
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "last_updated": "2026-12-01",
            "body": streamfield([("paragraph", rich_text(text))]),
            "change_summary": "Révision",
            "next_review": "",
            action: action,
        }
    )
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        data,
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "ne peut pas être publié"), ("en", "cannot be published")],
)
def test_the_admin_refuses_to_publish_while_the_officers_address_is_the_placeholder(
    client, editor, settings, notice, language, words
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    settings.PRIVACY_OFFICER_EMAIL = PLACEHOLDER
    page = _notice()
    response = _publish(client, page, title="Avis révisé", text="<p>Notre avis.</p>")
    assert response.status_code == 200, "the form comes back, with what was typed"
    html = response.content.decode()
    assert words in html
    assert PLACEHOLDER in html
    assert "PRIVACY_OFFICER_EMAIL" in html
    assert "Avis révisé" in html
    assert _notice().title != "Avis révisé"


def test_it_cannot_be_sent_for_approval_either_while_the_address_is_the_placeholder(
    client, editor, settings, notice
):
    # The approver's publish would otherwise fail in the workflow's approval screen.
    settings.PRIVACY_OFFICER_EMAIL = PLACEHOLDER
    page = _notice()
    response = _publish(
        client, page, title="Avis révisé", text="<p>Notre avis.</p>", action="action-submit"
    )
    assert response.status_code == 200
    assert "ne peut pas être publié" in response.content.decode()
    assert page.current_workflow_state is None


def test_the_admin_publishes_once_the_address_is_set(client, editor, settings, notice):
    settings.PRIVACY_OFFICER_EMAIL = REAL
    page = _notice()
    response = _publish(client, page, title="Avis révisé", text="<p>Notre avis.</p>")
    assert response.status_code == 302
    assert _notice().title == "Avis révisé"
    assert _notice().live


def test_the_admin_refuses_an_address_or_an_unkept_promise_in_the_text(
    client, editor, settings, notice
):
    settings.PRIVACY_OFFICER_EMAIL = REAL
    page = _notice()
    text = (
        "<p>Écrivez à ancienne.adresse@csce.example pour recevoir notre infolettre.</p>"
        "<p>Nous vous aviserons de toute atteinte à la vie privée.</p>"
    )
    response = _publish(client, page, title="Avis révisé", text=text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ancienne.adresse@csce.example" in html  # named in the error and kept in the form
    assert "Remove the e-mail address" in html or "Retirez l’adresse" in html
    assert "infolettre" in html
    assert _notice().title != "Avis révisé"


def test_publishing_in_code_is_refused_too_while_the_address_is_the_placeholder(settings, notice):
    settings.PRIVACY_OFFICER_EMAIL = PLACEHOLDER
    page = _notice()
    page.title = "Avis révisé"
    revision = page.save_revision()
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        revision.publish()
    assert "PRIVACY_OFFICER_EMAIL" in str(refused.value)
    assert "ne peut pas être publié" in str(refused.value)
    assert _notice().title != "Avis révisé"
    settings.PRIVACY_OFFICER_EMAIL = REAL
    revision.publish()
    assert _notice().title == "Avis révisé"


def test_saving_text_with_an_address_is_refused_in_code(settings, notice):
    page = _notice("en")
    page.body = [("paragraph", rich_text_value('<p>Write to <a href="mailto:x@y.org">us</a>.</p>'))]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        page.save_revision()
    assert "mailto" in str(refused.value) or "x@y.org" in str(refused.value)


def rich_text_value(html: str):
    from wagtail.rich_text import RichText

    return RichText(html)


def test_the_demo_keeps_the_notice_as_a_draft_while_the_address_is_the_placeholder(
    empty_site, settings
):
    settings.PRIVACY_OFFICER_EMAIL = PLACEHOLDER
    out = io.StringIO()
    with translation.override("en"):
        assert demo_content_load(stdout=out) is True
    assert PrivacyNoticePage.objects.count() == 2
    assert not PrivacyNoticePage.objects.filter(live=True).exists()
    assert "PRIVACY_OFFICER_EMAIL" in out.getvalue()
    assert "draft" in out.getvalue()
