"""The newsletter's staff side (policy P3, F, R; CASL s.6): who composes, who sends, what
the preview shows, the test to oneself, scheduling and its refusals, and the progress."""

from __future__ import annotations

import datetime
import json
import re
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from csce.accounts import roles
from csce.newsletter.factories import campaign_create, subscriber_create, topics_create
from csce.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    DeliveryState,
    Suppression,
)
from csce.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "newsletter"]}
}


@pytest.fixture
def queued_tasks(settings):
    """Production's queue: scheduling writes the task, no worker runs it here."""
    settings.TASKS = DB_TASKS


def _send_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="campaign_send")


def _subject(message) -> str:
    return str(make_header(decode_header(message.subject)))


def _local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="minutes")


# --- who may do what (policy R) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "compose", "send"),
    [
        (roles.COMMUNICATIONS, 200, 200),
        (roles.CONTENT, 200, 403),
        (roles.AED, 302, 200),
        (roles.PROGRAM_STAFF, 302, 403),
        (roles.PRIVACY_OFFICER, 302, 403),
    ],
)
def test_communications_composes_and_sends_content_composes_the_aed_sends(
    client, staff_login, role, compose, send
):
    campaign = campaign_create()
    staff_login(role=role, language="en")
    assert client.get(reverse("newsletter_campaigns:add")).status_code == compose
    response = client.get(reverse("newsletter_campaigns:schedule", args=[campaign.pk]))
    assert response.status_code == send
    if send == 403:
        assert "reserved to Communications and the AED" in response.content.decode()


def test_a_role_without_the_newsletter_gets_a_403_in_words(client, staff_login):
    campaign = campaign_create()
    staff_login(role=roles.PROGRAM_STAFF, language="en")
    response = client.get(reverse("newsletter_campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 403
    assert "open to Communications, the AED and content creators" in response.content.decode()
    overview = client.get(reverse("newsletter_subscribers:index"))
    assert overview.status_code == 403


def test_a_content_creator_cannot_send_even_by_posting(client, staff_login, queued_tasks):
    campaign = campaign_create()
    staff_login(role=roles.CONTENT, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    response = client.post(url, {"step": "confirm", "when": "now", "confirm": "on"})
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not _send_tasks().exists()


def test_the_menu_shows_the_newsletter_to_whoever_has_a_part_in_it(client, staff_login):
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in ("newsletter_campaigns:index", "newsletter_topics:index"):
        assert reverse(url) in page
    assert reverse("newsletter_subscribers:index") in page
    client.logout()
    staff_login(role=roles.PROGRAM_STAFF, language="en")
    assert (
        reverse("newsletter_campaigns:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


# --- composing ---------------------------------------------------------------------------


def _campaign_form(topics) -> dict:
    def stream(prefix: str, text: str) -> dict:
        return {
            f"{prefix}-count": "1",
            f"{prefix}-0-type": "text",
            f"{prefix}-0-deleted": "",
            f"{prefix}-0-order": "0",
            f"{prefix}-0-value": json.dumps(
                {
                    "blocks": [
                        {
                            "key": "a",
                            "text": text,
                            "type": "unstyled",
                            "depth": 0,
                            "inlineStyleRanges": [],
                            "entityRanges": [],
                        }
                    ],
                    "entityMap": {},
                }
            ),
        }

    return {
        "title": "Infolettre de janvier",
        "topics": [str(topics[0].pk)],
        "subject": "Nouvelles de janvier",
        "subject_en": "January news",
        **stream("body", "Les ateliers reprennent."),
        **stream("body_en", "Workshops start again."),
    }


def test_a_content_creator_composes_a_draft_in_both_languages(client, staff_login):
    topics = topics_create()
    user = staff_login(role=roles.CONTENT, language="en")
    response = client.post(reverse("newsletter_campaigns:add"), _campaign_form(topics))
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(title="Infolettre de janvier")
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.created_by == user
    assert list(campaign.topics.all()) == [topics[0]]
    assert "Workshops start again." in campaign.body_en[0].value.source
    assert response["Location"] == reverse("newsletter_campaigns:detail", args=[campaign.pk])


def test_the_editor_has_a_french_tab_and_an_english_tab_and_topics_as_checkboxes(
    client, staff_login
):
    topics_create()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("newsletter_campaigns:add")).content.decode()
    assert 'type="checkbox" name="topics"' in page
    assert page.count('role="tab"') == 3


def test_a_campaign_that_started_is_read_only(client, staff_login):
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING)
    staff_login(role=roles.COMMUNICATIONS, language="en")
    edit = reverse("newsletter_campaigns:edit", args=[campaign.pk])
    response = client.get(edit)
    assert response["Location"] == reverse("newsletter_campaigns:detail", args=[campaign.pk])
    client.post(edit, {"title": "Changé"})
    client.post(reverse("newsletter_campaigns:delete", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.title == "Infolettre de décembre"
    detail = client.get(response["Location"]).content.decode()
    assert "it can no longer be changed" in detail
    assert edit not in detail


def test_a_campaign_is_copied_into_a_new_draft(client, staff_login):
    topics = topics_create()
    campaign = campaign_create(topics=topics[:1])
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)
    staff_login(role=roles.COMMUNICATIONS, language="en")
    response = client.post(
        reverse("newsletter_campaigns:detail", args=[campaign.pk]), {"action": "copy"}
    )
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == reverse("newsletter_campaigns:edit", args=[copy.pk])
    assert copy.status == CampaignStatus.DRAFT
    assert copy.subject_en == "December news"
    assert copy.body[0].value.source == campaign.body[0].value.source
    assert list(copy.topics.all()) == topics[:1]


# --- preview (decision 0006) ------------------------------------------------------------


def test_the_preview_shows_both_languages_with_their_headers_and_text(client, staff_login, centre):
    campaign = campaign_create()
    staff_login(role=roles.CONTENT, email="redactrice@example.org", language="en")
    page = client.get(reverse("newsletter_campaigns:preview", args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "Nouvelles de décembre",
        "December news",
        "Les ateliers reprennent en janvier.",
        "Workshops start again in January.",
        "List-Unsubscribe",
        "redactrice@example.org",
        "Estrie Community Health Centre",
    ):
        assert expected in text, expected
    for code in ("fr", "en"):
        assert reverse("newsletter_campaigns:email", args=[campaign.pk, code]) in text
    assert 'sandbox=""' in text


@pytest.mark.parametrize(("language", "text"), [("fr", "Les ateliers"), ("en", "Workshops")])
def test_the_framed_e_mail_is_sandboxed_and_framable_by_the_admin_only(
    client, staff_login, centre, language, text
):
    campaign = campaign_create()
    staff_login(role=roles.AED, language="en")
    response = client.get(reverse("newsletter_campaigns:email", args=[campaign.pk, language]))
    assert response.status_code == 200
    assert text in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;")
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]
    # Every other admin screen stays unframable.
    other = client.get(reverse("newsletter_campaigns:preview", args=[campaign.pk]))
    assert other["X-Frame-Options"] == "DENY"


def test_an_unknown_language_is_not_found(client, staff_login):
    campaign = campaign_create()
    staff_login(role=roles.AED, language="en")
    url = reverse("newsletter_campaigns:email", args=[campaign.pk, "de"])
    assert client.get(url, follow=True).status_code == 404


# --- the test to oneself (CASL s.6) -------------------------------------------------------


def test_a_test_goes_to_the_staff_members_own_address_only(client, staff_login, centre):
    campaign = campaign_create()
    subscriber_create(email="abonnee@example.org")
    staff_login(role=roles.COMMUNICATIONS, email="moi@example.org", language="en")
    response = client.post(
        reverse("newsletter_campaigns:detail", args=[campaign.pk]),
        # An address slipped into the form is ignored: it is not a field.
        {"action": "test", "language": "both", "email": "autre@example.org"},
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["moi@example.org", "moi@example.org"]
    subjects = sorted(_subject(m) for m in mail.outbox)
    assert subjects == ["[Essai] Nouvelles de décembre", "[Test] December news"]
    assert set(OutboxMessage.objects.values_list("kind", "reference")) == {
        ("newsletter.test", str(campaign.pk))
    }
    assert not CampaignDelivery.objects.exists()


def test_a_test_in_one_language(client, staff_login, centre):
    campaign = campaign_create()
    staff_login(role=roles.AED, email="direction@example.org", language="en")
    client.post(
        reverse("newsletter_campaigns:detail", args=[campaign.pk]),
        {"action": "test", "language": "en"},
    )
    assert [_subject(m) for m in mail.outbox] == ["[Test] December news"]


def test_without_an_address_the_staff_member_is_told_in_words(client, staff_login, centre):
    campaign = campaign_create()
    staff_login(role=roles.COMMUNICATIONS, email="", language="en")
    url = reverse("newsletter_campaigns:detail", args=[campaign.pk])
    response = client.post(url, {"action": "test", "language": "fr"}, follow=True)
    assert "Your account has no e-mail address" in response.content.decode()
    assert not mail.outbox


# --- sending (policy P3) -----------------------------------------------------------------


def test_the_confirmation_says_how_many_it_reaches_and_in_which_languages(
    client, staff_login, queued_tasks
):
    topics = topics_create()
    campaign = campaign_create(topics=topics[:1])
    subscriber_create(email="a@example.org", topics=topics[:1])
    subscriber_create(email="b@example.org", language="en")  # no topic: gets everything
    subscriber_create(email="c@example.org", topics=topics[1:])  # another topic only
    subscriber_create(email="d@example.org", confirmed=False, topics=topics[:1])
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    response = client.post(url, {"when": "now"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "it would reach 2 confirmed subscribers" in text
    assert "1 in French" in text
    assert "1 in English" in text
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT  # nothing happens before the confirmation


def test_send_now_after_confirmation_queues_the_campaign(client, staff_login, queued_tasks):
    campaign = campaign_create()
    user = staff_login(role=roles.AED, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    response = client.post(url, {"step": "confirm", "when": "now", "at": ""})
    assert response.status_code == 400
    assert "Tick the box to confirm the sending." in response.content.decode()
    assert not _send_tasks().exists()
    response = client.post(url, {"step": "confirm", "when": "now", "at": "", "confirm": "on"})
    assert response["Location"] == reverse("newsletter_campaigns:detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED
    assert campaign.scheduled_by == user
    assert _send_tasks().count() == 1


def test_schedule_for_a_date_in_the_centres_time_zone(client, staff_login, queued_tasks):
    campaign = campaign_create()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    when = timezone.localtime() + datetime.timedelta(days=3)
    typed = _local_input(when)
    confirmation = client.post(url, {"when": "later", "at": typed})
    assert f'value="{typed}"' in confirmation.content.decode()
    client.post(url, {"step": "confirm", "when": "later", "at": typed, "confirm": "on"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED
    assert _local_input(campaign.scheduled_at) == typed


def test_a_date_in_the_past_is_refused_and_what_was_typed_is_kept(
    client, staff_login, queued_tasks
):
    campaign = campaign_create()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    typed = _local_input(timezone.now() - datetime.timedelta(hours=2))
    response = client.post(
        reverse("newsletter_campaigns:schedule", args=[campaign.pk]),
        {"when": "later", "at": typed},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "must be in the future" in text
    assert f'value="{typed}"' in text
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_more_than_a_year_ahead_or_a_missing_date_is_refused(client, staff_login, queued_tasks):
    campaign = campaign_create()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    far = _local_input(timezone.now() + datetime.timedelta(days=400))
    assert (
        "At most one year ahead" in client.post(url, {"when": "later", "at": far}).content.decode()
    )
    missing = client.post(url, {"when": "later", "at": ""})
    assert missing.status_code == 400
    assert "Give the date and time of sending." in missing.content.decode()
    garbled = client.post(url, {"when": "later", "at": "demain"})
    assert garbled.status_code == 400
    assert 'value="demain"' in garbled.content.decode()


def test_an_empty_language_version_is_refused_in_words(client, staff_login, queued_tasks):
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(subject_en="")
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    assert "The English version is empty" in client.get(url).content.decode()
    detail = reverse("newsletter_campaigns:detail", args=[campaign.pk])
    assert "The English version is empty" in client.get(detail).content.decode()
    response = client.post(url, {"step": "confirm", "when": "now", "confirm": "on"})
    assert response.status_code == 400
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_a_campaign_that_started_cannot_be_sent_again(client, staff_login, queued_tasks):
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    response = client.post(url, {"step": "confirm", "when": "now", "confirm": "on"})
    assert response.status_code == 400
    assert "cannot be sent again" in response.content.decode()
    assert not _send_tasks().exists()


def test_a_schedule_is_cancelled_back_to_draft(client, staff_login, queued_tasks):
    campaign = campaign_create()
    staff_login(role=roles.AED, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    at = _local_input(timezone.now() + datetime.timedelta(days=1))
    client.post(url, {"step": "confirm", "when": "later", "at": at, "confirm": "on"})
    detail = reverse("newsletter_campaigns:detail", args=[campaign.pk])
    assert "Cancel the schedule" in client.get(detail).content.decode()
    response = client.post(detail, {"action": "cancel"}, follow=True)
    assert "the campaign is a draft again" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.scheduled_at is None


def test_a_content_creator_cannot_cancel(client, staff_login, queued_tasks):
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now() + datetime.timedelta(days=1)
    )
    staff_login(role=roles.CONTENT, language="en")
    response = client.post(
        reverse("newsletter_campaigns:detail", args=[campaign.pk]), {"action": "cancel"}
    )
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED


# --- progress -----------------------------------------------------------------------------


def _deliveries(campaign, **states: int) -> None:
    for state, count in states.items():
        for n in range(count):
            subscriber = subscriber_create(email=f"{state}{n}@example.org")
            CampaignDelivery.objects.create(
                campaign=campaign,
                subscriber=subscriber,
                language="fr",
                state=state,
                attempts=3 if state == DeliveryState.FAILED else 1,
                last_error="SMTPRecipientsRefused 550" if state == DeliveryState.FAILED else "",
            )


def test_progress_while_sending_shows_numbers_and_failures_without_addresses(client, staff_login):
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENDING, started_at=timezone.now()
    )
    _deliveries(campaign, sent=3, failed=1, skipped=1, queued=2)
    failed = CampaignDelivery.objects.get(state=DeliveryState.FAILED)
    staff_login(role=roles.AED, language="en")
    page = client.get(reverse("newsletter_campaigns:detail", args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Subscriber #{failed.subscriber_id}" in text
    assert "SMTPRecipientsRefused 550" in text
    assert "@example.org" not in text
    assert re.search(r'data-count="remaining">\s*2\s*<', text)
    assert re.search(r'data-count="sent">\s*3\s*<', text)
    # The page reads the numbers again while the campaign is sent.
    assert "data-progress-url=" in text
    numbers = client.get(reverse("newsletter_campaigns:progress", args=[campaign.pk])).json()
    assert numbers | {} == {
        "status": "sending",
        "status_label": "Sending",
        "total": 7,
        "sent": 3,
        "failed": 1,
        "skipped": 1,
        "remaining": 2,
        "finished": False,
    }


def test_a_finished_campaign_shows_its_totals_and_when_it_finished(client, staff_login):
    campaign = campaign_create()
    finished = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENT, started_at=finished, finished_at=finished
    )
    _deliveries(campaign, sent=2)
    staff_login(role=roles.COMMUNICATIONS, language="en")
    text = client.get(reverse("newsletter_campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Finished on" in text
    assert "data-progress-url=" not in text  # nothing left to read again
    listing = client.get(reverse("newsletter_campaigns:index")).content.decode()
    assert "2 sent of 2" in listing


# --- subscribers overview (policy F) ------------------------------------------------------


def test_the_overview_counts_and_lists_no_address(client, staff_login):
    topics = topics_create()
    subscriber_create(email="fr1@example.org", topics=topics[:1])
    subscriber_create(email="en1@example.org", language="en")
    subscriber_create(
        email="old@example.org",
        confirmed=False,
        requested_at=timezone.now() - datetime.timedelta(days=30),
    )
    Suppression.objects.create(address_hash="x" * 64, reason="unsubscribed")
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("newsletter_subscribers:index"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "@example.org" not in text
    assert re.search(r'id="count-suppressed">\s*1\s*<', text)
    assert re.search(r'id="count-expired">\s*1\s*<', text)
    assert "privacy request" in text
