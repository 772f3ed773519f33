"""Form pages and what visitors post to them, for any app's tests."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from csce.accounts.roles import COMMUNICATIONS, PROGRAM_STAFF
from csce.common.demo import in_order
from csce.common.factories import post_form as post_form
from csce.common.factories import started_token
from csce.pages.factories import page_add
from csce.pages.models import ServiceIndexPage
from csce.submissions.models import (
    InquiryFormField,
    InquiryOptionalPurpose,
    InquiryPage,
    InquiryTopic,
    ProgramFormField,
    ProgramPage,
    ProgramSession,
)

INQUIRY_TOPICS = (("Question générale", COMMUNICATIONS), ("Programmes", PROGRAM_STAFF))


def inquiry_page_create(
    *,
    parent: Page,
    slug: str = "ecrivez-nous",
    retention_days: int = 30,
    topics: Sequence[tuple[str, str]] = INQUIRY_TOPICS,
):
    """A published contact form sent to Communications, with a health question and the
    ``topics`` (label, role group) a visitor chooses between, each with its own inbox."""
    communications = Group.objects.get(name=COMMUNICATIONS)
    page = InquiryPage(
        title="Écrivez-nous",
        slug=slug,
        purpose="Répondre à votre question.",
        inbox=communications,
        retention_days=retention_days,
    )
    page.form_fields = in_order(
        [
            InquiryFormField(label="Nom", field_type="singleline", data_class="personal"),
            InquiryFormField(label="Courriel", field_type="email", data_class="personal"),
            InquiryFormField(label="Message", field_type="multiline", data_class="personal"),
            InquiryFormField(
                label="Santé", field_type="multiline", data_class="sensitive", required=False
            ),
        ]
    )
    page.topics = in_order(
        [InquiryTopic(label=label, inbox=Group.objects.get(name=group)) for label, group in topics]
    )
    page.optional_purposes = in_order(
        [InquiryOptionalPurpose(key="newsletter", label="Abonnez-moi aussi à l'infolettre")]
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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


def form_data_filled(page, *, email: str, message: str, name: str) -> dict:
    """What a visitor would send on ``page``'s form, every required field filled: the
    first topic, consent and optional purposes ticked, ``email`` in the e-mail field,
    ``message`` in each text area, ``name`` in the other required fields."""
    from csce.common.spam import HONEYPOT_FIELD, STARTED_FIELD

    form = page.get_form(page=page, user=None)
    data = {}
    for field_name, field in form.fields.items():
        if field_name == HONEYPOT_FIELD:
            data[field_name] = ""
        elif field_name == STARTED_FIELD:
            data[field_name] = started_token(page)
        elif field_name == "form_topic":
            data[field_name] = str(page.topics.first().pk)
        elif field_name == "form_consent" or field_name.startswith("form_purpose_"):
            data[field_name] = "on"
        elif field.__class__.__name__ == "EmailField":
            data[field_name] = email
        elif field.widget.__class__.__name__ == "Textarea":
            data[field_name] = message
        elif field.required:
            data[field_name] = name
    return data


def services_index_create(*, home: Page) -> ServiceIndexPage:
    """The published services index under the French ``home`` and its English translation
    under the English home: the only place programs are published."""
    return page_add(
        ServiceIndexPage,
        parent=home,
        title="Services",
        slug="services",
        translations={"en": {"title": "Services", "slug": "services"}},
    )


def services_index(language: str) -> Page:
    """The services index of ``language`` already built (services_index_create, the demo)."""
    return ServiceIndexPage.objects.get(locale__language_code=language)


def program_page_create(
    *, parent: Page, capacity: int = 2, slug: str = "atelier", health: bool = False
) -> ProgramPage:
    """A program with two sessions: in 10 days (``capacity`` places) and in 20 days."""
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=10)
    page = ProgramPage(
        title="Atelier cuisine" if parent.locale.language_code == "fr" else "Cooking workshop",
        slug=slug,
        purpose="Vous inscrire à l'atelier.",
        inbox=Group.objects.get(name=PROGRAM_STAFF),
        retention_days=30,
    )
    fields = [
        ProgramFormField(label="Nom", field_type="singleline", data_class="personal"),
        ProgramFormField(label="Courriel", field_type="email", data_class="personal"),
    ]
    if health:
        fields.append(
            ProgramFormField(
                label="Allergies", field_type="singleline", data_class="sensitive", required=False
            )
        )
    page.form_fields = in_order(fields)
    page.sessions = in_order(
        [
            ProgramSession(
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                location="Salle A",
                capacity=capacity,
            ),
            ProgramSession(
                starts_at=start + datetime.timedelta(days=10),
                ends_at=start + datetime.timedelta(days=10, hours=2),
                online=True,
                capacity=5,
            ),
        ]
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def registration_post_data(page, session, **overrides) -> dict:
    data = {
        "program_session": str(session.pk),
        "nom": "Marie Tremblay",
        "courriel": "marie.tremblay@example.org",
        "form_started": started_token(page),
        "form_website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
