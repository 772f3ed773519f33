"""The processors register in the admin (policy F).

The Privacy Officer keeps it, the AED reads it, other roles do not reach it; processors
translate with wagtail-localize; the privacy app's demo loader gives the three the policy
names, once.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from csce.accounts.factories import staff_sign_in
from csce.accounts.roles import AED, COMMUNICATIONS, PRIVACY_OFFICER
from csce.privacy.demo import processors_demo_load
from csce.privacy.factories import processors_create
from csce.privacy.models import Processor, ProcessorCategory

from .test_notice import notice_html

pytestmark = pytest.mark.django_db


NEW = {
    "name": "Sauvegardes Zéphyr",
    "category": ProcessorCategory.OTHER,
    "data_received": "Copies chiffrées du site",
    "purpose": "Restaurer le site après un incident",
    "location": "Sherbrooke (Québec), Canada",
    "agreement_date": "2026-03-01",
    "agreement_reference": "ZEP-1",
    "active": "on",
}


def test_the_privacy_officer_adds_a_processor_that_visitors_then_read(
    notice_site, client, staff_user_make, django_capture_on_commit_callbacks
):
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    listing = client.get(reverse("wagtailsnippets_privacy_processor:list"))
    assert listing.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailsnippets_privacy_processor:add") + "?locale=fr", NEW)
    assert response.status_code == 302
    processor = Processor.objects.get(name=NEW["name"])
    assert processor.locale.language_code == "fr"
    client.logout()
    assert "Sherbrooke (Québec), Canada" in notice_html(client, "fr")


def test_the_aed_reads_the_register_but_cannot_change_it(client, staff_user_make):
    staff_sign_in(client, staff_user_make(role=AED))
    processor = processors_create()[0]
    assert client.get(reverse("wagtailsnippets_privacy_processor:list")).status_code == 200
    edit = reverse("wagtailsnippets_privacy_processor:edit", args=[processor.pk])
    assert client.post(edit, {**NEW, "name": "Changé"}).status_code == 302
    processor.refresh_from_db()
    assert processor.name != "Changé"
    assert client.post(reverse("wagtailsnippets_privacy_processor:add"), NEW).status_code == 302
    assert not Processor.objects.filter(name=NEW["name"]).exists()


def test_other_roles_do_not_reach_the_register(client, staff_user_make):
    staff_sign_in(client, staff_user_make(role=COMMUNICATIONS))
    assert client.get(reverse("wagtailsnippets_privacy_processor:list")).status_code == 302


def test_a_processor_translates_with_wagtail_localize(notice_site, client):
    french = Processor.objects.create(
        locale=Locale.objects.get(language_code="fr"),
        name="Traduction Quasar",
        category=ProcessorCategory.OTHER,
        data_received="Textes",
        purpose="Traduire nos pages",
        location="Ottawa (Ontario), Canada",
    )
    source, _created = TranslationSource.get_or_create_from_instance(french)
    # Untranslated segments keep the French text until a translator fills them.
    source.create_or_update_translation(Locale.objects.get(language_code="en"), fallback=True)
    english = french.get_translation(Locale.objects.get(language_code="en"))
    assert english.translation_key == french.translation_key
    assert english.category == french.category
    english.purpose = "Translating our pages"
    english.save()
    html = notice_html(client, "en")
    assert "Translating our pages" in html
    assert "Traduire nos pages" not in html


def test_the_demo_gives_each_language_the_three_processors_once():
    # From a register with no processor yet (the session's demo, when loaded, made some).
    Processor.objects.all().delete()
    assert processors_demo_load() is True
    for language in ("fr", "en"):
        categories = set(
            Processor.objects.filter(locale__language_code=language).values_list(
                "category", flat=True
            )
        )
        assert categories == {
            ProcessorCategory.HOSTING,
            ProcessorCategory.ANALYTICS,
            ProcessorCategory.EMAIL,
        }
    count = Processor.objects.count()
    assert processors_demo_load() is False
    assert Processor.objects.count() == count


def test_the_list_shows_each_processor_once_with_both_languages(client, staff_user_make):
    processors_create()
    french = Processor.objects.filter(locale__language_code="fr").order_by("name")
    assert Processor.objects.filter(locale__language_code="en").count() == french.count()
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    response = client.get(reverse("wagtailsnippets_privacy_processor:list"))
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert sorted(p.pk for p in rows) == sorted(p.pk for p in french)
    html = response.content.decode()
    for processor in french:
        english = processor.get_translation(Locale.objects.get(language_code="en"))
        assert escape(processor.name) in html
        assert escape(english.name) in html
    assert "Nom en anglais" in html
    # Active reads as a word, never Python's True.
    assert ">True<" not in html
    assert '"True"' not in html
    assert "Oui" in html
