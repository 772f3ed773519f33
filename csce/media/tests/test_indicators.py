"""The compliance view's "media rights" indicator (policy C, R): red while a live page uses
uncredited or expired media, amber while the rights of media a live page uses end within
the warning window, green when fixed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry, indicators_read
from csce.media.factories import document_add, document_paragraph, image_add, image_block
from csce.media.indicators import media_rights_read
from csce.media.models import DocumentRights, ImageRights, Licence
from csce.media.services import media_rights_set
from csce.pages.factories import page_add
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2027, 3, 10, 12, 0))
TODAY = NOW.date()


def _live_page_with(site_home, *blocks):
    return page_add(StandardPage, parent=site_home, body=list(blocks))


def test_it_is_registered_for_the_compliance_view():
    indicator = indicator_registry.get("media_rights")
    assert "C" in indicator.clauses


def test_green_when_live_pages_use_credited_media(site_home):
    _live_page_with(site_home, image_block(image_add(), alt_text="Texte"))
    assert media_rights_read(now=NOW).level == GREEN


def test_red_when_a_live_page_uses_media_whose_credit_went_then_green_when_fixed(site_home):
    image = image_add(title="Équipe")
    document = document_add(title="Guide")
    _live_page_with(site_home, image_block(image, alt_text="Texte"), document_paragraph(document))
    # Published while credited; someone then clears the document's licence.
    DocumentRights.objects.filter(document=document).update(licence="")
    reading = media_rights_read(now=NOW)
    assert reading.level == RED
    with override("en"):
        assert "1 live page" in media_rights_read(now=NOW).summary
    assert reading.action_url.endswith("/reports/media-rights/")
    media_rights_set(media=document, credit="CSCE", licence=Licence.OWN)
    assert media_rights_read(now=NOW).level == GREEN


def test_red_when_rights_expired_and_amber_within_the_window(site_home):
    image = image_add(title="Affiche")
    _live_page_with(site_home, image_block(image, alt_text="Texte"))
    window = datetime.timedelta(days=policy.MEDIA_EXPIRY_WARNING_DAYS)
    ImageRights.objects.filter(image=image).update(
        expires_on=TODAY + window + datetime.timedelta(days=1)
    )
    assert media_rights_read(now=NOW).level == GREEN
    ImageRights.objects.filter(image=image).update(expires_on=TODAY + window)
    assert media_rights_read(now=NOW).level == AMBER
    ImageRights.objects.filter(image=image).update(expires_on=TODAY - datetime.timedelta(days=1))
    assert media_rights_read(now=NOW).level == RED


def test_media_only_a_draft_uses_does_not_turn_it_red(site_home):
    image = image_add(title="Brouillon", credited=False)
    page = site_home.add_child(
        instance=StandardPage(
            title="Pas encore",
            slug="pas-encore",
            live=False,
            body=[image_block(image, alt_text="Texte")],
        )
    )
    page.save_revision()
    assert media_rights_read(now=NOW).level == GREEN


def test_an_indicator_that_raises_reads_red(monkeypatch, site_home):
    import csce.media.indicators as indicators

    def broken(**kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(indicators, "media_live_use", broken)
    readings = {indicator.key: reading for indicator, reading in indicators_read(now=NOW)}
    assert readings["media_rights"].level == RED
