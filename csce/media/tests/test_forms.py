"""The rights fields in Wagtail's own image and document forms (policy C), in French and
English: shown, saved, read back; a licence or permission needs its reference."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from csce.common import roles
from csce.media.factories import document_add, image_add
from csce.media.models import Consent, DocumentRights, ImageRights, Licence

pytestmark = pytest.mark.django_db


def _image_data(image, **rights) -> dict:
    return {
        "title": image.title,
        "collection": Collection.get_first_root_node().pk,
        "tags": "",
        "description": "",
        "focal_point_x": "",
        "focal_point_y": "",
        "focal_point_width": "",
        "focal_point_height": "",
        **rights,
    }


def test_the_image_form_saves_and_reads_back_the_rights(site_home):
    image = image_add(title="Jardin", credited=False)
    form_class = get_image_form(get_image_model())
    form = form_class(
        data=_image_data(
            image,
            credit="Photo : A. Martin",
            licence=Licence.CC_BY,
            consent=Consent.ON_FILE,
            expires_on="2028-06-30",
        ),
        instance=image,
    )
    assert form.is_valid(), form.errors
    form.save()
    rights = ImageRights.objects.get(image=image)
    assert (rights.credit, rights.licence, rights.consent, rights.expires_on) == (
        "Photo : A. Martin",
        Licence.CC_BY,
        Consent.ON_FILE,
        datetime.date(2028, 6, 30),
    )
    again = form_class(instance=get_image_model().objects.get(pk=image.pk))
    assert again["credit"].value() == "Photo : A. Martin"
    assert again["licence"].value() == Licence.CC_BY


def test_an_upload_without_rights_is_accepted_and_counts_as_not_credited(site_home):
    image = image_add(title="Téléversée", credited=False)
    form = get_image_form(get_image_model())(data=_image_data(image), instance=image)
    assert form.is_valid(), form.errors
    form.save()
    assert not ImageRights.objects.get(image=image).is_credited


@pytest.mark.parametrize("licence", [Licence.LICENSED, Licence.PERMISSION])
def test_a_licence_or_a_permission_needs_its_reference(site_home, licence):
    image = image_add(credited=False)
    form = get_image_form(get_image_model())(
        data=_image_data(image, credit="Agence", licence=licence), instance=image
    )
    assert not form.is_valid()
    assert "licence_reference" in form.errors


def test_the_document_form_saves_the_rights_with_save_m2m_after_commit_false(site_home):
    document = document_add(title="Guide", credited=False)
    form = get_document_form(get_document_model())(
        data={
            "title": "Guide",
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
            "credit": "CSCE",
            "licence": Licence.OWN,
            "consent": Consent.NONE_IDENTIFIABLE,
        },
        instance=document,
    )
    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    assert not DocumentRights.objects.filter(document=document).exists()
    saved.save()
    form.save_m2m()
    assert DocumentRights.objects.get(document=document).is_credited


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "fr",
            ["Crédit", "Licence", "Consentement des personnes identifiables", "Fin des droits le"],
        ),
        ("en", ["Credit", "Licence", "Consent of identifiable people", "Rights expire on"]),
    ],
)
def test_the_admin_edit_forms_show_the_rights_in_the_readers_language(
    client, staff_user_make, site_home, language, labels
):
    from csce.accounts.factories import staff_sign_in

    staff_sign_in(client, staff_user_make(role=roles.CONTENT, language=language))
    image = image_add(credited=False)
    document = document_add(credited=False)
    for url in (
        reverse("wagtailimages:edit", args=(image.pk,)),
        reverse("wagtaildocs:edit", args=(document.pk,)),
    ):
        html = client.get(url).content.decode()
        for label in labels:
            assert label in html, (url, label)


def test_a_content_creator_credits_an_image_through_the_admin(client, staff_login, site_home):
    staff_login(role=roles.CONTENT)
    image = image_add(title="Atelier", credited=False)
    response = client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        _image_data(image, credit="Photo : CSCE", licence=Licence.OWN, consent=Consent.ON_FILE),
    )
    assert response.status_code == 302
    assert ImageRights.objects.get(image=image).is_credited
