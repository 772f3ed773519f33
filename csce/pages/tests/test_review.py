"""Page owners, the yearly review and the AED's override with a reason (policy C, X, R)."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import querydict_from_html

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import AED, CONTENT
from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.outbox.tasks import outbox_deliver_now
from csce.pages.factories import page_add
from csce.pages.models import HomePage, PageReview, StandardPage
from csce.pages.panels import OVERRIDE_REASON_FIELD
from csce.pages.review import (
    OWNER_ACTION,
    PUBLISH_OVERRIDE_ACTION,
    REVIEW_ACTION,
    UNPUBLISH_ACTION,
    page_review_mark,
    page_unpublish_with_reason,
    pages_due_for_review,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_home")]

YEAR_AND_A_BIT = datetime.timedelta(days=policy.PAGE_REVIEW_DAYS + 10)


@pytest.fixture(autouse=True)
def _homes_published_now(site_home):
    # The test site's home pages are made live without a publication date: such a page
    # counts as due (nobody ever published or reviewed it), which these tests do not test.
    Page.objects.filter(depth=2).update(first_published_at=timezone.now())


@pytest.fixture
def owner():
    return staff_user(role=CONTENT, username="proprietaire", language="en", first_name="Odile")


@pytest.fixture
def other():
    return staff_user(role=CONTENT, username="autre-createur", first_name="Omer")


@pytest.fixture
def aed():
    return staff_user(role=AED, username="direction-adjointe", language="fr")


def _owned_page(owner, *, title: str, published_ago: datetime.timedelta | None = None) -> Page:
    home = HomePage.objects.get(locale__language_code="fr")
    page = page_add(StandardPage, parent=home, title=title)
    updates = {"owner": owner}
    if published_ago is not None:
        updates["first_published_at"] = timezone.now() - published_ago
    Page.objects.filter(pk=page.pk).update(**updates)
    return StandardPage.objects.get(pk=page.pk)


# --- services ----------------------------------------------------------------------------


def test_the_owner_marks_a_page_reviewed_and_it_leaves_the_list(owner):
    page = _owned_page(owner, title="Horaires", published_ago=YEAR_AND_A_BIT)
    now = timezone.now()
    assert [p.pk for p in pages_due_for_review(now=now, owner_id=owner.pk)] == [page.pk]

    page_review_mark(page=page, user=owner)

    assert PageReview.objects.get(page=page).reviewed_by == owner
    assert PageLogEntry.objects.filter(page=page, action=REVIEW_ACTION, user=owner).exists()
    assert list(pages_due_for_review(now=now, owner_id=owner.pk)) == []
    later = now + datetime.timedelta(days=policy.PAGE_REVIEW_DAYS + 1)
    assert [p.pk for p in pages_due_for_review(now=later, owner_id=owner.pk)] == [page.pk]


def test_another_content_creator_may_not_mark_someone_elses_page(owner, other):
    from django.core.exceptions import PermissionDenied

    page = _owned_page(owner, title="Horaires", published_ago=YEAR_AND_A_BIT)
    with pytest.raises(PermissionDenied):
        page_review_mark(page=page, user=other)
    assert not PageReview.objects.filter(page=page).exists()


def test_a_draft_is_not_due_and_a_new_page_is_due_a_year_after_publication(owner):
    page = _owned_page(owner, title="Brouillon", published_ago=YEAR_AND_A_BIT)
    page.unpublish()
    fresh = _owned_page(owner, title="Nouvelle page")
    now = timezone.now()
    assert list(pages_due_for_review(now=now)) == []
    soon = pages_due_for_review(now=now, within_days=policy.PAGE_REVIEW_DAYS + 1)
    assert fresh.pk in [p.pk for p in soon]
    assert page.pk not in [p.pk for p in soon]


# --- the indicator -----------------------------------------------------------------------


def test_the_indicator_turns_red_then_green_when_the_pages_are_reviewed(owner, aed):
    indicator = indicator_registry.get("pages_due_for_review")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = _owned_page(owner, title="Services")
        assert indicator.read(now=timezone.now()).level == GREEN
    days_before = policy.PAGE_REVIEW_DAYS - policy.PAGE_REVIEW_WARNING_DAYS + 1
    with time_machine.travel(start + datetime.timedelta(days=days_before), tick=False):
        reading = indicator.read(now=timezone.now())
        assert reading.level == AMBER
        assert reading.action_url == reverse("pages_review:due")
    with time_machine.travel(start + YEAR_AND_A_BIT, tick=False):
        reading = indicator.read(now=timezone.now())
        assert reading.level == RED
        due = list(pages_due_for_review(now=timezone.now()))
        assert page.pk in [p.pk for p in due]
        assert str(len(due)) in str(reading.summary)  # the page and the two home pages
        page_review_mark(page=page, user=owner)
        assert indicator.read(now=timezone.now()).level == RED
        for other_page in due:
            if other_page.pk != page.pk:
                page_review_mark(page=other_page, user=aed)
        assert indicator.read(now=timezone.now()).level == GREEN


# --- the report and the home panel, per owner ------------------------------------------------


def test_each_owner_sees_their_own_pages_and_the_aed_sees_all_filterable(client, owner, other, aed):
    _owned_page(owner, title="Page d'Odile", published_ago=YEAR_AND_A_BIT)
    _owned_page(other, title="Page d'Omer", published_ago=YEAR_AND_A_BIT)
    url = reverse("pages_review:due")

    staff_sign_in(client, owner)
    html = client.get(url).content.decode()
    assert "Page d&#x27;Odile" in html
    assert "Page d&#x27;Omer" not in html
    # Another owner's id in the query does not widen the list.
    html = client.get(url, {"owner": other.pk}).content.decode()
    assert "Page d&#x27;Omer" not in html

    staff_sign_in(client, aed)
    html = client.get(url).content.decode()
    assert "Page d&#x27;Odile" in html
    assert "Page d&#x27;Omer" in html
    html = client.get(url, {"owner": other.pk}).content.decode()
    assert "Page d&#x27;Omer" in html
    assert "Page d&#x27;Odile" not in html


def test_the_home_panel_lists_only_the_signed_in_owners_pages(client, owner, other):
    _owned_page(owner, title="Page d'Odile", published_ago=YEAR_AND_A_BIT)
    _owned_page(other, title="Page d'Omer", published_ago=YEAR_AND_A_BIT)
    staff_sign_in(client, owner)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="pages-review-heading"' in html
    assert "Page d&#x27;Odile" in html
    assert "Page d&#x27;Omer" not in html


def test_the_review_action_over_http_and_its_refusal(client, owner, other):
    page = _owned_page(owner, title="Horaires", published_ago=YEAR_AND_A_BIT)
    url = reverse("pages_review:mark", args=[page.pk])

    staff_sign_in(client, other)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not PageReview.objects.filter(page=page).exists()

    staff_sign_in(client, owner)
    assert client.get(url).status_code == 200
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert PageReview.objects.filter(page=page, reviewed_by=owner).exists()
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "Marked as reviewed" in history


# --- the AED's override -----------------------------------------------------------------------


def test_the_aed_unpublishes_with_a_reason_and_the_owner_is_told_in_english(client, owner, aed):
    page = _owned_page(owner, title="Ancienne offre")
    url = reverse("pages_review:unpublish", args=[page.pk])
    staff_sign_in(client, aed)
    assert client.get(url).status_code == 200

    response = client.post(url, {OVERRIDE_REASON_FIELD: "   "})
    assert response.status_code == 400
    assert Page.objects.get(pk=page.pk).live

    response = client.post(url, {OVERRIDE_REASON_FIELD: "Offre terminée le 1er mars."})
    assert response.status_code == 302
    assert not Page.objects.get(pk=page.pk).live
    entry = PageLogEntry.objects.get(page=page, action=UNPUBLISH_ACTION)
    assert entry.user == aed
    assert entry.data["reason"] == "Offre terminée le 1er mars."
    outbox_deliver_now()
    [message] = [m for m in mail.outbox if owner.email in m.to]
    assert message.subject == "Your page “Ancienne offre” was unpublished"
    assert reverse("wagtailadmin_pages:history", args=[page.pk]) in message.body
    assert "1er mars" not in message.body  # the reason stays behind the sign-in
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "Offre terminée le 1er mars." in history


def test_the_override_is_refused_to_other_roles(client, owner, other):
    page = _owned_page(owner, title="Ancienne offre")
    url = reverse("pages_review:unpublish", args=[page.pk])
    for user in (owner, other):
        staff_sign_in(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {OVERRIDE_REASON_FIELD: "Je veux."}).status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        page_unpublish_with_reason(page=page, user=owner, reason="Je veux.")
    assert Page.objects.get(pk=page.pk).live
    assert not PageLogEntry.objects.filter(page=page, action=UNPUBLISH_ACTION).exists()


def test_wagtails_own_unpublish_leads_to_the_reason(client, owner, aed):
    page = _owned_page(owner, title="Ancienne offre")
    staff_sign_in(client, aed)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("pages_review:unpublish", args=[page.pk])
    assert Page.objects.get(pk=page.pk).live


def _publish_data(client, page, **changes) -> dict:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    # The body's blocks are drawn by the editor's script: one paragraph, as it sends.
    paragraph = {"key": "a", "type": "unstyled", "text": "Texte.", "depth": 0}
    paragraph |= {"inlineStyleRanges": [], "entityRanges": []}
    data.update(
        {
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": json.dumps({"blocks": [paragraph], "entityMap": {}}),
            "body-0-deleted": "",
            "body-0-order": "0",
        }
    )
    data.update(changes)
    return data


def test_the_aed_publishing_over_the_owner_gives_a_reason(client, owner, aed):
    page = _owned_page(owner, title="Horaires")
    live_revision = page.live_revision_id
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    staff_sign_in(client, aed)

    data = _publish_data(client, page, title="Horaires d'été")
    assert OVERRIDE_REASON_FIELD in data
    data[OVERRIDE_REASON_FIELD] = ""
    response = client.post(edit, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live_revision_id == live_revision
    assert page.title == "Horaires"
    assert page.latest_revision.as_object().title == "Horaires d'été"  # kept as a draft

    # Choosing oneself as the owner in the same edit does not spare the reason.
    data = _publish_data(client, page, title="Horaires d'été", owner=str(aed.pk))
    data[OVERRIDE_REASON_FIELD] = ""
    client.post(edit, data)
    page.refresh_from_db()
    assert page.live_revision_id == live_revision
    assert page.owner_id == owner.pk

    data = _publish_data(client, page, title="Horaires d'été")
    data[OVERRIDE_REASON_FIELD] = "Correction des heures du jeudi."
    assert client.post(edit, data).status_code == 302
    page.refresh_from_db()
    assert page.title == "Horaires d'été"
    assert page.live_revision_id != live_revision
    entry = PageLogEntry.objects.get(page=page, action=PUBLISH_OVERRIDE_ACTION)
    assert entry.data["reason"] == "Correction des heures du jeudi."
    outbox_deliver_now()
    subjects = [m.subject for m in mail.outbox if owner.email in m.to]
    assert subjects == ["Your page “Horaires d'été” was published with changes"]


def test_the_aeds_own_page_needs_no_reason_and_creators_see_no_reason_field(client, owner, aed):
    page = _owned_page(aed, title="Mot de la direction")
    staff_sign_in(client, aed)
    data = _publish_data(client, page, title="Mot de la direction adjointe")
    assert OVERRIDE_REASON_FIELD not in data
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    page.refresh_from_db()
    assert page.title == "Mot de la direction adjointe"
    assert not PageLogEntry.objects.filter(page=page, action=PUBLISH_OVERRIDE_ACTION).exists()

    mine = _owned_page(owner, title="Ma page")
    staff_sign_in(client, owner)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk]))
    html = response.content.decode()
    assert OVERRIDE_REASON_FIELD not in html
    assert 'name="owner"' not in html  # only the AED reassigns a page


def test_the_aed_gives_a_live_page_to_another_owner_and_it_is_logged(client, owner, other, aed):
    page = _owned_page(owner, title="Horaires")
    staff_sign_in(client, aed)
    data = _publish_data(client, page, owner=str(other.pk))
    del data["action-publish"]  # "Save draft"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).owner_id == other.pk
    entry = PageLogEntry.objects.get(page=page, action=OWNER_ACTION)
    assert entry.data["previous_owner_id"] == owner.pk
    # The owner field is not in a content creator's form: a forged one changes nothing.
    staff_sign_in(client, other)
    data = _publish_data(client, page, owner=str(other.pk))
    del data["action-publish"]
    data["owner"] = str(owner.pk)
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert Page.objects.get(pk=page.pk).owner_id == other.pk
