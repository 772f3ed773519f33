"""Form pages and inboxes for the submissions tests."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from csce.accounts.roles import COMMUNICATIONS, PROGRAM_STAFF
from csce.common.spam import form_started_token
from csce.submissions.models import (
    InquiryFormField,
    InquiryOptionalPurpose,
    InquiryPage,
    InquiryTopic,
)


def inquiry_page_create(*, parent: Page, slug: str = "ecrivez-nous", retention_days: int = 30):
    communications = Group.objects.get(name=COMMUNICATIONS)
    programs = Group.objects.get(name=PROGRAM_STAFF)
    page = InquiryPage(
        title="Écrivez-nous",
        slug=slug,
        purpose="Répondre à votre question.",
        inbox=communications,
        retention_days=retention_days,
    )
    page.form_fields = [
        InquiryFormField(label="Nom", field_type="singleline", data_class="personal"),
        InquiryFormField(label="Courriel", field_type="email", data_class="personal"),
        InquiryFormField(label="Message", field_type="multiline", data_class="personal"),
        InquiryFormField(
            label="Santé", field_type="multiline", data_class="sensitive", required=False
        ),
    ]
    page.topics = [
        InquiryTopic(label="Question générale", inbox=communications),
        InquiryTopic(label="Programmes", inbox=programs),
    ]
    page.optional_purposes = [
        InquiryOptionalPurpose(key="newsletter", label="Abonnez-moi aussi à l'infolettre")
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def inquiry_page(demo_site):
    home = demo_site.root_page.specific
    fr_home = (
        home
        if home.locale.language_code == "fr"
        else home.get_translation(Locale.objects.get(language_code="fr"))
    )
    return inquiry_page_create(parent=fr_home)


@pytest.fixture
def inquiry_page_en(demo_site):
    home = demo_site.root_page.specific
    en_home = home.get_translation(Locale.objects.get(language_code="en"))
    return inquiry_page_create(parent=en_home, slug="write-to-us")


def started_token(page, *, seconds_ago: int = 30) -> str:
    """The signed token of a form shown ``seconds_ago`` seconds ago."""
    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return form_started_token(page_id=page.pk)


def inquiry_post_data(page, **overrides) -> dict:
    topic = page.topics.first()
    data = {
        "form_topic": str(topic.pk),
        "nom": "Marie Tremblay",
        "courriel": "marie.tremblay@example.org",
        "message": "Quand ouvrez-vous le samedi ?",
        "sante": "Je vis avec le diabète de type 2 (dossier Qwertz-4471)",
        "form_consent": "on",
        "form_started": started_token(page),
        "form_website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_form(client, page, data, **extra):
    url = page.url
    return client.post(url, data, HTTP_ORIGIN="http://testserver", **extra)
