"""What stops a page from being published: uncredited or expired media (policy C), an
image without a text alternative (policy P2), read from the version being published."""

from __future__ import annotations

import datetime

import pytest

from csce.media.factories import document_add, document_paragraph, image_add, image_block
from csce.media.models import Licence
from csce.media.selectors import (
    EXPIRED,
    NO_ALT_TEXT,
    UNCREDITED,
    page_media_ids,
    page_media_problems,
)
from csce.media.services import media_rights_set
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 10)


def _page(site_home, body) -> StandardPage:
    page = site_home.add_child(instance=StandardPage(title="À propos", slug="a-propos", body=body))
    return page


def _kinds(page) -> list[tuple[str, str]]:
    return [(p.kind, p.title) for p in page_media_problems(page=page, today=TODAY)]


def test_a_page_with_credited_described_media_has_no_problem(site_home):
    image = image_add(title="Équipe")
    document = document_add(title="Dépliant")
    page = _page(site_home, [image_block(image, alt_text="L'équipe"), document_paragraph(document)])
    assert page_media_ids(page=page) == ({image.pk}, {document.pk})
    assert _kinds(page) == []


def test_media_without_a_rights_record_is_not_credited(site_home):
    image = image_add(title="Sans droits", credited=False)
    document = document_add(title="Guide", credited=False)
    page = _page(site_home, [image_block(image, alt_text="Texte"), document_paragraph(document)])
    assert _kinds(page) == [(UNCREDITED, "Sans droits"), (UNCREDITED, "Guide")]


@pytest.mark.parametrize(
    ("rights", "credited"),
    [
        ({"credit": "", "licence": Licence.CC_BY}, False),
        ({"credit": "Photo : A. Martin", "licence": ""}, False),
        ({"credit": "Photo : A. Martin", "licence": Licence.LICENSED}, False),
        ({"credit": "Photo : A. Martin", "licence": Licence.PERMISSION}, False),
        (
            {
                "credit": "Photo : A. Martin",
                "licence": Licence.LICENSED,
                "licence_reference": "F-12",
            },
            True,
        ),
        ({"credit": "Photo : A. Martin", "licence": Licence.CC_BY_SA}, True),
        ({"credit": "Domaine public", "licence": Licence.CC0}, True),
    ],
)
def test_a_credit_a_licence_and_the_reference_it_needs(site_home, rights, credited):
    image = image_add(title="Parc", credited=False, **rights)
    page = _page(site_home, [image_block(image, alt_text="Le parc")])
    assert (_kinds(page) == []) is credited


def test_expired_rights_refuse_and_the_last_day_still_counts(site_home):
    image = image_add(title="Affiche", expires_on=TODAY)
    page = _page(site_home, [image_block(image, alt_text="L'affiche")])
    assert _kinds(page) == []
    media_rights_set(
        media=image,
        credit="Photo : CSCE",
        licence=Licence.OWN,
        expires_on=TODAY - datetime.timedelta(days=1),
    )
    assert _kinds(page) == [(EXPIRED, "Affiche")]


def test_an_image_needs_alt_text_its_description_or_to_be_decorative(site_home):
    plain = image_add(title="Sans texte")
    described = image_add(title="Décrite", description="Une salle d'attente lumineuse")
    ornament = image_add(title="Ornement")
    page = _page(
        site_home,
        [
            image_block(plain),
            image_block(described),
            image_block(ornament, decorative=True),
        ],
    )
    assert _kinds(page) == [(NO_ALT_TEXT, "Sans texte")]


def test_images_nested_in_blocks_are_found(site_home):
    plain = image_add(title="Imbriquée")
    page = _page(site_home, [image_block(plain, alt_text="   ")])
    assert _kinds(page) == [(NO_ALT_TEXT, "Imbriquée")]


def test_the_problems_are_those_of_the_revision_not_of_the_live_page(site_home):
    good = image_add(title="Bonne")
    bad = image_add(title="Mauvaise", credited=False)
    page = _page(site_home, [image_block(good, alt_text="Bonne")])
    page.save_revision().publish()
    page.body = [image_block(bad, alt_text="Mauvaise")]
    revision = page.save_revision()
    live = StandardPage.objects.get(pk=page.pk)
    assert _kinds(live) == []
    assert _kinds(revision.as_object()) == [(UNCREDITED, "Mauvaise")]
