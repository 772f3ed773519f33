"""Privacy requests, the rights portal and the privacy notice, for any app's tests.

The pages go under a home from ``csce.pages.factories.site_home``, in French with their
English translation (policy U): ``portal_page_create`` (in the demo's words, policy P9,
P10), ``contact_form_create``, ``notice_forms_create`` (one form of each kind the notice
lists, policy P3), ``processors_create`` (policy F) and ``notice_page_create``, built
last since it records the notice's first version as it reads then (policy V).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from csce.accounts.roles import COMMUNICATIONS
from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.factories import post_form, started_token
from csce.pages.factories import page_add, translation_add
from csce.pages.models import HomePage, PrivacyNoticePage
from csce.privacy.deadlines import request_due_at
from csce.privacy.demo import processors_demo_load
from csce.privacy.demo_portal import PORTAL
from csce.privacy.models import PrivacyRequest, PrivacyRightsPage, Processor, RequestKind
from csce.privacy.notice_versions import notice_page_published
from csce.submissions.factories import (
    inquiry_page_create,
    program_page_create,
    services_index_create,
)
from csce.submissions.models import InquiryPage, ProgramPage, SurveyFormField, SurveyPage

EMAIL = "josee.lafleur@example.org"
NAME = "Josée Lafleur-Qwertz"
DETAILS = "Mon adresse postale est erronée : 12 rue Zyxwv, dossier Plomb-7731."

_sequence = iter(range(1, 10_000))


def portal_page_create(*, home: HomePage) -> PrivacyRightsPage:
    """The privacy-rights portal under the French ``home``, published with its English
    translation, in the demo's words; returns the French page."""
    french, english = PORTAL["fr"], PORTAL["en"]
    return page_add(
        PrivacyRightsPage,
        parent=home,
        **french,
        translations={"en": english},
    )


def portal_page(language: str) -> PrivacyRightsPage:
    """The live privacy-rights portal page in ``language``."""
    return PrivacyRightsPage.objects.live().get(locale__language_code=language)


def portal_post_data(page, **overrides) -> dict:
    """A valid correction request; an override of None leaves that field out."""
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
    return post_form(client, page, data, **extra)


def privacy_request_make(
    *,
    email: str = "marie.tremblay@example.org",
    kind: str = RequestKind.ACCESS,
    language: str = "fr",
    verified_at: datetime.datetime | None = None,
    name: str = "Marie Tremblay",
    details: str = "",
) -> PrivacyRequest:
    """A request as the portal leaves it once the address is confirmed."""
    verified_at = verified_at or timezone.now()
    return PrivacyRequest.objects.create(
        reference=f"TEST-{next(_sequence):04d}",
        kind=kind,
        language=language,
        email=email,
        email_index=blind_index(email),
        name=name,
        details=details,
        received_at=verified_at,
        verified_at=verified_at,
        due_at=request_due_at(verified_at=verified_at),
    )


def notice_page(language: str) -> Page:
    """The live privacy notice page in ``language``."""
    return (
        Page.objects.live()
        .filter(content_type__model="privacynoticepage", locale__language_code=language)
        .get()
        .specific
    )


def notice_html(client, language: str) -> str:
    """The privacy notice as a visitor reads it in ``language``."""
    response = client.get(notice_page(language).url)
    assert response.status_code == 200
    return response.content.decode()


def contact_form_create(*, home: HomePage) -> InquiryPage:
    """The submissions app's contact form (topics routed to inboxes, a health field that
    asks for consent) under the French ``home``, published with its English translation;
    returns the French page."""
    contact = inquiry_page_create(parent=home)
    translation_add(contact, language="en", title="Write to us", slug="write-to-us")
    return contact


@dataclass(frozen=True)
class NoticeForms:
    """The French form of each kind the notice lists; each has its English translation."""

    contact: InquiryPage
    survey: SurveyPage
    program: ProgramPage


def notice_forms_create(*, home: HomePage) -> NoticeForms:
    """A contact form routed by topic, an anonymous survey and a program with sessions
    (under a services index), each published in French under ``home`` and in English
    under its translation: the three kinds of form the notice describes (policy P3)."""
    contact = contact_form_create(home=home)
    survey = page_add(
        SurveyPage,
        parent=home,
        title="Sondage sur votre satisfaction",
        slug="sondage-satisfaction",
        purpose="Vos réponses anonymes nous aident à améliorer nos services.",
        inbox=Group.objects.get(name=COMMUNICATIONS),
        retention_days=policy.RETENTION_CAP_DAYS,
        anonymous=True,
        form_fields=[
            SurveyFormField(
                label="Êtes-vous satisfait de nos services?",
                field_type="radio",
                data_class="general",
                choices="Oui\nNon",
            ),
            SurveyFormField(
                label="Une suggestion?",
                field_type="multiline",
                data_class="general",
                required=False,
            ),
        ],
        translations={
            "en": {
                "title": "Satisfaction survey",
                "slug": "satisfaction-survey",
                "purpose": "Your anonymous answers help us improve our services.",
            }
        },
    )
    services = services_index_create(home=home)
    program = program_page_create(parent=services, slug="atelier-cuisine")
    translation_add(program, language="en", title="Cooking workshop", slug="cooking-workshop")
    return NoticeForms(contact=contact, survey=survey, program=program)


def processors_create() -> list[Processor]:
    """The privacy app's demo processors (hosting, web analytics, e-mail delivery: the
    third parties policy F names), in French and English."""
    processors_demo_load()
    return list(Processor.objects.order_by("pk"))


NOTICE = {
    "fr": {
        "title": "Avis de confidentialité",
        "slug": "avis-de-confidentialite",
        "body": [
            {
                "type": "paragraph",
                "value": "<p>Le Centre prend la protection de vos renseignements personnels "
                "au sérieux. Les sections qui suivent disent ce que fait le site.</p>",
            }
        ],
    },
    "en": {
        "title": "Privacy notice",
        "slug": "privacy-notice",
        "body": [
            {
                "type": "paragraph",
                "value": "<p>The Centre takes the protection of your personal information "
                "seriously. The sections below say what the website does.</p>",
            }
        ],
    },
}


def notice_page_create(*, home: HomePage) -> PrivacyNoticePage:
    """The privacy notice under the French ``home`` and its English translation, both
    published, with their first versions recorded as an editor's publication records
    them once committed (policy V): build the forms, processors and portal it speaks of
    first. Returns the French page."""
    french = page_add(
        PrivacyNoticePage, parent=home, **NOTICE["fr"], translations={"en": NOTICE["en"]}
    )
    for page in (french, *french.get_translations()):
        notice_page_published(page=page)
    return french


# --- the contact form's privacy topic (requests that do not come through the portal) ---

PRIVACY_TOPIC = "Vos renseignements personnels"
INQUIRY_NAME = "Gaston Brûlé-Xyloph"
INQUIRY_EMAIL = "gaston.brule@example.org"
INQUIRY_MESSAGE = "Je veux voir tout ce que vous avez sur moi (dossier Quartz-5521)."


def privacy_contact_form_create(*, home: HomePage) -> InquiryPage:
    """A contact form whose topics include the privacy topic, routed to the Privacy
    Officer's inbox as the demo's is, under the French ``home``."""
    from csce.accounts.roles import PRIVACY_OFFICER
    from csce.submissions.factories import INQUIRY_TOPICS

    return inquiry_page_create(
        parent=home,
        slug="ecrivez-nous",
        topics=(*INQUIRY_TOPICS, (PRIVACY_TOPIC, PRIVACY_OFFICER)),
    )


def privacy_inquiry_send(client, *, page: InquiryPage, **overrides):
    """A visitor writes through ``page`` under the privacy topic; returns the response."""
    from csce.submissions.factories import inquiry_post_data

    topic = page.topics.get(label=PRIVACY_TOPIC)
    fields = {
        "form_topic": str(topic.pk),
        "nom": INQUIRY_NAME,
        "courriel": INQUIRY_EMAIL,
        "message": INQUIRY_MESSAGE,
        "sante": None,
    }
    data = inquiry_post_data(page, **{**fields, **overrides})
    return post_form(client, page, data)
