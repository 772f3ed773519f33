"""The demo's forms: a contact form routed by topic, a satisfaction survey and a program
with sessions, in French with their English translations."""

from __future__ import annotations

import datetime
import uuid
from typing import TextIO

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from csce.accounts.roles import COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF
from csce.common import policy
from csce.common.demo import in_order

from .models.pages import (
    InquiryFormField,
    InquiryOptionalPurpose,
    InquiryPage,
    InquiryTopic,
    ProgramFormField,
    ProgramPage,
    ProgramSession,
    SurveyFormField,
    SurveyPage,
)
from .models.records import DataClass

INQUIRY = {
    "fr": {
        "title": "Écrivez-nous",
        "slug": "ecrivez-nous",
        "search_description": (
            "Posez une question au Centre : votre message va à l'équipe concernée."
        ),
        "intro": (
            "<p>Posez-nous une question ou faites-nous part d'un commentaire. Votre message "
            "est transmis uniquement à l'équipe qui s'occupe du sujet choisi.</p>"
        ),
        "purpose": (
            "Nous utilisons vos coordonnées et votre message uniquement pour vous répondre."
        ),
        "consent_text": (
            "J'accepte que le Centre reçoive les renseignements sur ma santé que j'écris "
            "ci-dessus, uniquement pour répondre à ma demande."
        ),
        "thank_you_text": (
            "<p>Merci ! Votre message a été transmis à l'équipe concernée. "
            "Pour une urgence, composez le 911.</p>"
        ),
        "topics": [
            ("Question générale", COMMUNICATIONS),
            ("Programmes et ateliers", PROGRAM_STAFF),
            ("Vos renseignements personnels", PRIVACY_OFFICER),
        ],
        "fields": [
            ("Votre nom", "singleline", DataClass.PERSONAL, True, ""),
            ("Votre courriel", "email", DataClass.PERSONAL, True, "Pour vous répondre."),
            ("Téléphone", "singleline", DataClass.PERSONAL, False, "Facultatif."),
            ("Votre message", "multiline", DataClass.PERSONAL, True, ""),
            (
                "Renseignements sur votre santé",
                "multiline",
                DataClass.SENSITIVE,
                False,
                "Facultatif. N'écrivez que ce qui est utile pour répondre à votre question.",
            ),
        ],
        "purposes": [("callback", "Vous pouvez aussi me rappeler au numéro indiqué.")],
    },
    "en": {
        "title": "Write to us",
        "slug": "write-to-us",
        "search_description": "Ask the Centre a question: your message goes to the right team.",
        "intro": (
            "<p>Ask us a question or share a comment. Your message goes only to the team "
            "that handles the topic you choose.</p>"
        ),
        "purpose": "We use your contact details and your message only to answer you.",
        "consent_text": (
            "I agree that the Centre receives the health information I wrote above, only "
            "to answer my request."
        ),
        "thank_you_text": (
            "<p>Thank you! Your message went to the team concerned. In an emergency, call 911.</p>"
        ),
        "topics": [
            ("General question", COMMUNICATIONS),
            ("Programs and workshops", PROGRAM_STAFF),
            ("Your personal information", PRIVACY_OFFICER),
        ],
        "fields": [
            ("Your name", "singleline", DataClass.PERSONAL, True, ""),
            ("Your e-mail", "email", DataClass.PERSONAL, True, "To answer you."),
            ("Telephone", "singleline", DataClass.PERSONAL, False, "Optional."),
            ("Your message", "multiline", DataClass.PERSONAL, True, ""),
            (
                "Information about your health",
                "multiline",
                DataClass.SENSITIVE,
                False,
                "Optional. Write only what helps us answer your question.",
            ),
        ],
        "purposes": [("callback", "You may also call me back at the number given.")],
    },
}

SURVEY = {
    "fr": {
        "title": "Sondage sur votre satisfaction",
        "slug": "sondage-satisfaction",
        "search_description": "Un sondage anonyme de deux minutes sur nos services.",
        "intro": "<p>Deux minutes, cinq questions, aucune donnée qui vous identifie.</p>",
        "purpose": "Vos réponses anonymes nous aident à améliorer nos services.",
        "thank_you_text": "<p>Merci d'avoir répondu à notre sondage !</p>",
        "fields": [
            (
                "Dans l'ensemble, êtes-vous satisfait de nos services ?",
                "radio",
                True,
                "Très satisfait\nSatisfait\nPeu satisfait\nPas du tout satisfait",
            ),
            (
                "Quels services avez-vous utilisés ?",
                "checkboxes",
                False,
                "Soins primaires\nPromotion de la santé\nSanté mentale\nProgrammes communautaires",
            ),
            (
                "Avez-vous été servi en français ?",
                "radio",
                True,
                "Oui\nNon\nJe n'en avais pas besoin",
            ),
            (
                "Comment avez-vous connu le Centre ?",
                "dropdown",
                False,
                "Bouche à oreille\nMédecin\nInternet\nAutre",
            ),
            ("Une suggestion ?", "multiline", False, ""),
        ],
    },
    "en": {
        "title": "Satisfaction survey",
        "slug": "satisfaction-survey",
        "search_description": "An anonymous two-minute survey about our services.",
        "intro": "<p>Two minutes, five questions, nothing that identifies you.</p>",
        "purpose": "Your anonymous answers help us improve our services.",
        "thank_you_text": "<p>Thank you for answering our survey!</p>",
        "fields": [
            (
                "Overall, are you satisfied with our services?",
                "radio",
                True,
                "Very satisfied\nSatisfied\nNot very satisfied\nNot at all satisfied",
            ),
            (
                "Which services did you use?",
                "checkboxes",
                False,
                "Primary care\nHealth promotion\nMental health\nCommunity programs",
            ),
            ("Were you served in French?", "radio", True, "Yes\nNo\nI did not need it"),
            (
                "How did you hear about the Centre?",
                "dropdown",
                False,
                "Word of mouth\nDoctor\nInternet\nOther",
            ),
            ("Any suggestion?", "multiline", False, ""),
        ],
    },
}


# --- A program with sessions ----------------------------------------------------------


def program_demo_create(*, parent, now: datetime.datetime | None = None) -> ProgramPage:
    """A published program under ``parent`` (a French services index) and its English
    translation under the parent's, with one roomy session and one of a single place
    (to see the waitlist at work). Returns the French page."""
    now = now or timezone.now()
    day = timezone.localtime(now).replace(hour=18, minute=0, second=0, microsecond=0)
    inbox = Group.objects.get(name=PROGRAM_STAFF)
    keys = [uuid.uuid4(), uuid.uuid4()]

    def build(english: bool) -> ProgramPage:
        page = ProgramPage(
            title="Healthy cooking workshop" if english else "Atelier de cuisine santé",
            slug="healthy-cooking-workshop" if english else "atelier-cuisine-sante",
            search_description=(
                "A free two-hour workshop: simple, affordable recipes for the whole family."
                if english
                else "Un atelier gratuit de deux heures : des recettes simples et abordables "
                "pour toute la famille."
            ),
            intro=(
                "<p>Cook with our dietitian: simple, affordable recipes, tasted together. "
                "Free, places are limited; choose a session below.</p>"
                if english
                else "<p>Cuisinez avec notre diététiste : des recettes simples et abordables, "
                "goûtées ensemble. Gratuit, places limitées ; choisissez une séance ci-dessous.</p>"
            ),
            purpose=(
                "Registering you for the workshop and reminding you of its date."
                if english
                else "Vous inscrire à l'atelier et vous en rappeler la date."
            ),
            inbox=inbox,
            # Policy M: kept as long as the cap allows (the workshop's date and follow-up).
            retention_days=policy.RETENTION_CAP_DAYS,
        )
        page.form_fields = in_order(
            [
                ProgramFormField(
                    label="Name" if english else "Nom",
                    field_type="singleline",
                    data_class="personal",
                ),
                ProgramFormField(
                    label="E-mail" if english else "Courriel",
                    field_type="email",
                    data_class="personal",
                ),
            ]
        )
        page.sessions = in_order(
            [
                ProgramSession(
                    key=keys[0],
                    starts_at=day + datetime.timedelta(days=14),
                    ends_at=day + datetime.timedelta(days=14, hours=2),
                    location="CSCE, salle communautaire",
                    capacity=12,
                ),
                ProgramSession(
                    key=keys[1],
                    starts_at=day + datetime.timedelta(days=21),
                    ends_at=day + datetime.timedelta(days=21, hours=1),
                    online=True,
                    capacity=1,
                ),
            ]
        )
        return page

    french = build(english=parent.locale.language_code == "en")
    parent.add_child(instance=french)
    french.save_revision().publish()
    english_locale = Locale.objects.filter(language_code="en").first()
    english_parent = (
        parent.get_translation_or_none(english_locale)
        if english_locale and parent.locale_id != english_locale.pk
        else None
    )
    if english_parent is not None:
        english = build(english=True)
        english.locale = english_locale
        english.translation_key = french.translation_key
        english_parent.add_child(instance=english)
        english.save_revision().publish()
    return french


def _parent(model_name: str, language: str) -> Page | None:
    locale = Locale.objects.filter(language_code=language).first()
    return (
        Page.objects.filter(content_type__model=model_name, locale=locale).order_by("path").first()
        if locale
        else None
    )


def _publish(parent: Page, page: Page, translation_of: Page | None) -> Page:
    if translation_of is not None:
        page.translation_key = translation_of.translation_key
    page.locale = parent.locale
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _inquiry(language: str, parent: Page, source: Page | None) -> InquiryPage:
    text = INQUIRY[language]
    groups = {g.name: g for g in Group.objects.all()}
    page = InquiryPage(
        title=text["title"],
        slug=text["slug"],
        search_description=text["search_description"],
        intro=text["intro"],
        purpose=text["purpose"],
        consent_text=text["consent_text"],
        thank_you_text=text["thank_you_text"],
        inbox=groups[COMMUNICATIONS],
        retention_days=30,
    )
    page.topics = in_order(
        [InquiryTopic(label=label, inbox=groups[g]) for label, g in text["topics"]]
    )
    page.form_fields = in_order(
        [
            InquiryFormField(
                label=label,
                field_type=kind,
                data_class=data_class,
                required=required,
                help_text=help_text,
            )
            for label, kind, data_class, required, help_text in text["fields"]
        ]
    )
    page.optional_purposes = in_order(
        [InquiryOptionalPurpose(key=key, label=label) for key, label in text["purposes"]]
    )
    return _publish(parent, page, source)


def _survey(language: str, parent: Page, source: Page | None) -> SurveyPage:
    text = SURVEY[language]
    page = SurveyPage(
        title=text["title"],
        slug=text["slug"],
        search_description=text["search_description"],
        intro=text["intro"],
        purpose=text["purpose"],
        thank_you_text=text["thank_you_text"],
        inbox=Group.objects.get(name=COMMUNICATIONS),
        retention_days=policy.RETENTION_CAP_DAYS,
        anonymous=True,
    )
    page.form_fields = in_order(
        [
            SurveyFormField(
                label=label,
                field_type=kind,
                data_class=DataClass.GENERAL,
                required=required,
                choices=choices,
            )
            for label, kind, required, choices in text["fields"]
        ]
    )
    return _publish(parent, page, source)


def submissions_demo_load(*, stdout: TextIO | None = None) -> bool:
    """Add the demo forms once the demo site exists; nothing when forms exist already."""
    with transaction.atomic():
        if InquiryPage.objects.exists() or SurveyPage.objects.exists():
            return False
        created = []
        sources: dict[str, Page | None] = {"inquiry": None, "survey": None}
        for language in ("fr", "en"):
            contact = _parent("contactpage", language)
            if contact is None:
                return False
            sources["inquiry"] = _inquiry(language, contact, sources["inquiry"])
            # Under Contact, beside the contact form: where a visitor looks to give an opinion.
            sources["survey"] = _survey(language, contact, sources["survey"])
            created += [sources["inquiry"], sources["survey"]]
        services = _parent("serviceindexpage", "fr")
        if services is not None:
            program = program_demo_create(parent=services)
            created += [program, *program.get_translations()]
    if stdout is not None:
        stdout.write(f"Created {len(created)} demo forms in French and English.\n")
    return True
