"""The media rights report (Reports menu, policy C): expired and expiring media and media
used without credit, each with the pages that use it; only for those who manage media."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from csce.common import roles
from csce.media.factories import image_add, image_block
from csce.media.models import ImageRights
from csce.pages.factories import page_add
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db

URL = "/admin/reports/media-rights/"


@pytest.fixture
def library(site_home):
    # Dates from today: a session does not survive a trip through time (policy M).
    today = timezone.localdate()
    expired = image_add(title="Affiche expirée")
    soon = image_add(title="Bannière bientôt", expires_on=today + datetime.timedelta(days=20))
    later = image_add(title="Logo durable", expires_on=today + datetime.timedelta(days=31))
    uncredited_unused = image_add(title="Jamais utilisée", credited=False)
    page = page_add(
        StandardPage,
        parent=site_home,
        title="Festival d'été",
        body=[image_block(expired, alt_text="A"), image_block(soon, alt_text="B")],
    )
    ImageRights.objects.filter(image=expired).update(expires_on=today - datetime.timedelta(days=1))
    uncredited = image_add(title="Sans crédit")
    page_add(
        StandardPage,
        parent=site_home,
        title="Partenaires",
        body=[image_block(uncredited, alt_text="C")],
    )
    ImageRights.objects.filter(image=uncredited).update(credit="")
    return {
        "expired": expired,
        "soon": soon,
        "later": later,
        "unused": uncredited_unused,
        "page": page,
    }


def test_the_report_lists_expired_and_expiring_with_their_pages(client, staff_login, library):
    staff_login(role=roles.CONTENT)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Affiche expirée" in html
    assert "(expirés)" in html
    assert "Bannière bientôt" in html
    assert "Logo durable" not in html
    assert "Festival d" in html
    assert reverse("wagtailadmin_pages:edit", args=(library["page"].pk,)) in html
    assert reverse("wagtailimages:edit", args=(library["expired"].pk,)) in html
    assert "Sans crédit" in html
    assert "Partenaires" in html
    assert "Jamais utilisée" not in html, "unused media are not listed for replacement"
    assert html.index("Affiche expirée") < html.index("Bannière bientôt")


def test_the_report_speaks_english_to_an_english_reader(client, staff_user_make, library):
    from csce.accounts.factories import staff_sign_in

    staff_sign_in(client, staff_user_make(role=roles.AED, language="en"))
    html = client.get(URL).content.decode()
    assert "Rights expired or expiring" in html
    assert "(expired)" in html


@pytest.mark.parametrize("role", [roles.ED, roles.COMMUNICATIONS, roles.PRIVACY_OFFICER])
def test_roles_that_do_not_manage_media_get_a_403(client, staff_login, library, role):
    staff_login(role=role)
    assert client.get(URL).status_code == 403


def test_the_menu_shows_the_report_to_who_manages_media(client, staff_login, site_home):
    staff_login(role=roles.CONTENT)
    assert URL in client.get("/admin/").content.decode()
