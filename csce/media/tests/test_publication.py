"""Every path to publication refuses a page with uncredited or expired media, or an image
without a text alternative (policy C, P2), and publishes it once fixed; a draft is always
saved. The paths: code (``Revision.publish``), the editor's Publish, the AED's approval in
the workflow, ``publish_scheduled``, bulk publish and the admin API."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from csce.common import roles
from csce.media.factories import document_add, document_paragraph, image_add, image_block
from csce.media.models import Licence
from csce.media.publication import MediaPublicationRefused
from csce.media.services import media_rights_set
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db


def _credit(media) -> None:
    media_rights_set(media=media, credit="Photo : CSCE", licence=Licence.OWN)


@pytest.fixture
def draft(site_home):
    """A page never published whose draft places an image that has no rights record."""
    image = image_add(title="Photo sans droits", credited=False)
    page = site_home.add_child(
        instance=StandardPage(
            title="Nos locaux",
            slug="nos-locaux",
            live=False,
            body=[image_block(image, alt_text="La salle d'attente")],
        )
    )
    page.save_revision()
    page.image = image  # the test's handle on it
    return page


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def test_code_that_publishes_is_refused_then_allowed_once_credited(draft):
    with pytest.raises(MediaPublicationRefused) as refused:
        draft.get_latest_revision().publish()
    assert [p.title for p in refused.value.problems] == ["Photo sans droits"]
    assert not _live(draft)
    _credit(draft.image)
    draft.get_latest_revision().publish()
    assert _live(draft)


def test_an_uncredited_document_linked_from_the_text_is_refused(site_home):
    document = document_add(title="Rapport annuel", credited=False)
    page = site_home.add_child(
        instance=StandardPage(
            title="Rapport", slug="rapport", live=False, body=[document_paragraph(document)]
        )
    )
    with pytest.raises(MediaPublicationRefused):
        page.save_revision().publish()
    _credit(document)
    page.save_revision().publish()
    assert _live(page)


def test_an_image_without_alt_text_needs_to_be_marked_decorative(site_home):
    image = image_add(title="Bandeau")
    page = site_home.add_child(
        instance=StandardPage(
            title="Bandeau", slug="bandeau", live=False, body=[image_block(image)]
        )
    )
    with pytest.raises(MediaPublicationRefused):
        page.save_revision().publish()
    page.body = [image_block(image, decorative=True)]
    page.save_revision().publish()
    assert _live(page)


def test_skipping_permission_checks_does_not_skip_the_gate(draft):
    with pytest.raises(MediaPublicationRefused):
        draft.get_latest_revision().publish(skip_permission_checks=True)


# --- The editor's Publish --------------------------------------------------------------


def _edit_post(client, page, *, image, action: str = "action-publish", language: str = "fr"):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": streamfield(
                [("image", {"image": image.pk, "alt_text": "La salle", "decorative": ""})]
            ),
            action: action,
        }
    )
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), data, HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "ne peut pas être publiée tant que ces médias"),
        ("en", "cannot be published until these media are fixed"),
    ],
)
def test_the_editors_publish_is_refused_with_the_media_named_and_linked(
    client, staff_login, draft, language, words
):
    aed = staff_login(role=roles.AED)
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(aed)
    profile.preferred_language = language
    profile.save()
    response = _edit_post(client, draft, image=draft.image, language=language)
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    assert response.status_code == 302
    assert response.url == edit_url
    assert not _live(draft)
    assert draft.revisions.count() == 2, "the draft is saved"
    html = client.get(edit_url).content.decode()
    assert words in html
    assert "Photo sans droits" in html
    assert reverse("wagtailimages:edit", args=(draft.image.pk,)) in html

    _credit(draft.image)
    response = _edit_post(client, draft, image=draft.image, language=language)
    assert response.status_code == 302
    assert _live(draft)


def test_saving_a_draft_is_never_refused(client, staff_login, draft):
    staff_login(role=roles.CONTENT)
    response = _edit_post(client, draft, image=draft.image, action="action-save")
    assert response.status_code == 302
    assert draft.revisions.count() == 2
    assert not _live(draft)


# --- The AED's approval in the workflow ------------------------------------------------


def test_the_aeds_approval_is_refused_and_the_task_waits_then_approved_once_fixed(
    client, staff_user_make, draft
):
    from csce.accounts.factories import staff_sign_in

    creator = staff_user_make(role=roles.CONTENT)
    aed = staff_user_make(role=roles.AED)
    workflow_state = draft.get_workflow().start(draft, creator)
    task_state = workflow_state.current_task_state
    staff_sign_in(client, aed)
    url = reverse("wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert response.json()["redirect"] == reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    assert not _live(draft)
    task_state.refresh_from_db()
    workflow_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS, "the approval was rolled back"
    assert workflow_state.status == workflow_state.STATUS_IN_PROGRESS

    _credit(draft.image)
    response = client.post(url, {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert _live(draft)


# --- Scheduled publishing --------------------------------------------------------------


def test_a_scheduled_publication_waits_for_its_media_and_does_not_stop_the_others(site_home):
    image = image_add(title="Affiche du festival", expires_on=datetime.date(2027, 5, 31))
    good = image_add(title="Logo")
    go_live = timezone.make_aware(datetime.datetime(2027, 5, 20, 9, 0))
    with time_machine.travel(datetime.datetime(2027, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        pages = []
        for slug, picture in (("festival", image), ("partenaires", good)):
            page = site_home.add_child(
                instance=StandardPage(
                    title=slug.capitalize(),
                    slug=slug,
                    live=False,
                    go_live_at=go_live,
                    body=[image_block(picture, alt_text="Texte")],
                )
            )
            page.save_revision().publish()  # scheduled: both allowed today
            pages.append(page)
    festival, partners = pages
    # At go-live time the poster's rights have expired (the date moved earlier).
    media_rights_set(
        media=image,
        credit="Photo : CSCE",
        licence=Licence.OWN,
        expires_on=datetime.date(2027, 5, 10),
    )
    err = io.StringIO()
    with time_machine.travel(datetime.datetime(2027, 5, 21, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("publish_scheduled", stderr=err, stdout=io.StringIO())
        assert not _live(festival)
        assert _live(partners)
        assert "1 scheduled publication(s) refused" in err.getvalue()
        media_rights_set(media=image, credit="Photo : CSCE", licence=Licence.OWN)
        call_command("publish_scheduled", stderr=io.StringIO(), stdout=io.StringIO())
    assert _live(festival)


# --- Bulk publish ----------------------------------------------------------------------


def test_bulk_publish_publishes_none_when_one_is_refused(client, staff_login, site_home, draft):
    staff_login(role=roles.AED)
    fine = site_home.add_child(
        instance=StandardPage(
            title="Horaires",
            slug="horaires",
            live=False,
            body=[image_block(image_add(title="Horloge"), alt_text="Une horloge")],
        )
    )
    fine.save_revision()
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={draft.pk}&id={fine.pk}&next=/admin/pages/"
    )
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    assert not _live(draft)
    assert not _live(fine), "all or none"
    assert "Photo sans droits" in client.get("/admin/pages/").content.decode()

    _credit(draft.image)
    client.post(url, {"include_descendants": ""})
    assert _live(draft)
    assert _live(fine)


# --- The admin API ---------------------------------------------------------------------


def test_the_admin_api_publish_action_is_refused(client, staff_login, draft):
    staff_login(role=roles.AED)
    url = f"/admin/api/main/pages/{draft.pk}/action/publish/"
    response = client.post(url, content_type="application/json", data={})
    assert response.status_code == 400
    assert "Photo sans droits" in response.content.decode()
    assert not _live(draft)
    _credit(draft.image)
    response = client.post(url, content_type="application/json", data={})
    assert response.status_code == 200
    assert _live(draft)


def test_submitting_for_approval_warns_the_creator_without_refusing(client, staff_login, draft):
    staff_login(role=roles.CONTENT)
    response = _edit_post(client, draft, image=draft.image, action="action-submit")
    assert response.status_code == 302
    assert draft.current_workflow_state is not None, "submitted all the same"
    html = client.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,))).content.decode()
    assert "ne pourra pas publier cette page" in html
    assert "Photo sans droits" in html
