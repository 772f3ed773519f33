"""Sending a campaign through a real SMTP server (policy P3, M, F; CASL s.11): each
confirmed subscriber of its topics gets it once, in their language; nobody pending,
suppressed or gone meanwhile gets it; a refusing server is retried with back-off, then
given up on; two workers on the same campaign never send anyone the message twice."""

from __future__ import annotations

import asyncio
import datetime
import threading
from collections import Counter

import pytest
from django.db import connection as db_connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from csce.newsletter import sending
from csce.newsletter.factories import campaign_create, subscriber_create, topics_create
from csce.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    DeliveryState,
    Subscriber,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from csce.newsletter.sending import (
    campaign_progress,
    campaign_schedule,
    campaign_send_now,
    campaigns_resume,
)

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "newsletter"]}
}


@pytest.fixture
def newsletter_smtp(settings, smtp_inbox):
    """The real SMTP server, with the retry wait the back-off tests count on."""
    settings.OUTBOX_RETRY_SECONDS = 60
    return smtp_inbox


def _recipients(inbox) -> Counter:
    return Counter(str(message["To"]) for message in inbox.messages)


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _suppress(email: str) -> None:
    Suppression.objects.create(
        address_hash=suppression_hash(email), reason=SuppressionReason.UNSUBSCRIBED
    )


def _run_until_done(campaign: Campaign, *, runs: int = 20) -> None:
    """What the worker does: run the task again until the campaign is sent."""
    for _ in range(runs):
        campaign_send_now(campaign_id=campaign.pk)
        campaign.refresh_from_db()
        if campaign.status == CampaignStatus.SENT:
            return
    raise AssertionError("the campaign did not finish")


@pytest.mark.django_db
def test_a_campaign_reaches_each_confirmed_subscriber_once_in_their_language(
    centre, newsletter_smtp
):
    subscriber_create(email="lea@example.org", language="fr")
    subscriber_create(email="sam@example.org", language="en")
    subscriber_create(email="pending@example.org", confirmed=False)
    subscriber_create(email="left@example.org")
    _suppress("  LEFT@Example.org ")  # the list holds the normalised address's hash
    campaign = campaign_create()

    campaign_schedule(campaign=campaign, at=None, actor=None)

    inbox = newsletter_smtp.wait(2)
    assert _recipients(newsletter_smtp) == Counter({"lea@example.org": 1, "sam@example.org": 1})
    by_address = {str(m["To"]): m for m in inbox}
    assert by_address["lea@example.org"]["Subject"] == "Nouvelles de décembre"
    assert by_address["sam@example.org"]["Subject"] == "December news"
    assert "Les ateliers reprennent" in _text(by_address["lea@example.org"])
    assert "Workshops start again" in _text(by_address["sam@example.org"])
    for address, message in by_address.items():
        # One Message-ID per delivery, the one kept for a re-send; never the address.
        row = CampaignDelivery.objects.get(message_id=message["Message-ID"])
        assert row.state == DeliveryState.SENT
        assert address.split("@")[0] not in row.message_id
        assert message["List-Unsubscribe"].strip().startswith("<http")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert campaign.started_at <= campaign.finished_at
    assert campaign_progress(campaign=campaign) == sending.CampaignProgress(
        total=2, sent=2, failed=0, skipped=0, remaining=0
    )


@pytest.mark.django_db
def test_the_workers_keep_to_their_pace_so_pages_keep_the_machine(
    centre, newsletter_smtp, settings
):
    """Policy M: at most NEWSLETTER_MAX_PER_SECOND messages a second from the TASK_WORKERS
    together, whatever the server takes: at 20 a second shared by two workers, one worker
    sends 11 messages over at least one second."""
    settings.NEWSLETTER_MAX_PER_SECOND = 20
    settings.TASK_WORKERS = 2
    for n in range(11):
        subscriber_create(email=f"pace{n}@example.org")
    campaign = campaign_create()

    campaign_schedule(campaign=campaign, at=None, actor=None)

    newsletter_smtp.wait(11)
    sent = sorted(CampaignDelivery.objects.values_list("sent_at", flat=True))
    assert len(sent) == 11
    assert (sent[-1] - sent[0]).total_seconds() >= 0.95


def test_a_worker_held_up_sends_at_most_one_seconds_worth_at_once(monkeypatch):
    """A worker that lost the CPU for a while (the site under load) makes up for late
    wake-ups, but after a long stall sends at most one second's worth of messages before
    its pace holds again (policy M; no burst at the mail server)."""
    clock = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 6))
        clock[0] += seconds

    monkeypatch.setattr(sending.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(sending.time, "sleep", sleep)
    pace = sending._Pace(10)

    pace.wait()  # after the first message: the second waits its tenth of a second
    assert slept == [0.1]
    clock[0] += 5  # held up five seconds before the second message was done
    waited = []
    for _ in range(14):
        before = clock[0]
        pace.wait()
        waited.append(round(clock[0] - before, 3))

    # One second's worth goes at once, then the pace holds again.
    assert waited == [0.0] * 10 + [0.1] * 4


@pytest.mark.django_db
def test_a_subscriber_who_leaves_while_the_campaign_runs_gets_nothing(
    centre, newsletter_smtp, settings
):
    settings.TASKS = DB_TASKS
    settings.NEWSLETTER_BATCH_SIZE = 1
    first = subscriber_create(email="first@example.org")
    gone = subscriber_create(email="gone@example.org")
    erased = subscriber_create(email="erased@example.org")
    subscriber_create(email="last@example.org")
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)

    progress = campaign_send_now(campaign_id=campaign.pk)  # starts, sends one batch

    assert progress == sending.CampaignProgress(total=4, sent=1, failed=0, skipped=0, remaining=3)
    assert _recipients(newsletter_smtp) == Counter({"first@example.org": 1})
    # The next batch is already a task of its own, low priority behind the site's mail.
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert task.task_path == "csce.newsletter.sending.campaign_send"
    assert task.args_kwargs["kwargs"] == {"campaign_id": campaign.pk}
    assert task.priority < 0
    # One unsubscribes (the row goes, its hash stays); one is on the list by another way.
    _suppress("gone@example.org")
    Subscriber.objects.filter(pk=gone.pk).delete()
    _suppress("erased@example.org")

    _run_until_done(campaign)

    assert _recipients(newsletter_smtp) == Counter({"first@example.org": 1, "last@example.org": 1})
    assert campaign_progress(campaign=campaign) == sending.CampaignProgress(
        total=4, sent=2, failed=0, skipped=2, remaining=0
    )
    assert CampaignDelivery.objects.get(subscriber=erased).state == DeliveryState.SKIPPED
    assert CampaignDelivery.objects.get(subscriber=first).attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("campaign_topics", "expected"),
    [
        (["programs"], {"programs@example.org", "any@example.org", "both@example.org"}),
        (
            [],
            {
                "centre@example.org",
                "programs@example.org",
                "any@example.org",
                "both@example.org",
            },
        ),
    ],
)
def test_a_campaign_goes_to_its_topics_and_to_those_who_chose_none(
    centre, newsletter_smtp, campaign_topics, expected
):
    topics = {topic.key: topic for topic in topics_create()}
    subscriber_create(email="centre@example.org", topics=[topics["centre"]])
    subscriber_create(email="programs@example.org", topics=[topics["programs"]])
    subscriber_create(email="both@example.org", topics=list(topics.values()))
    subscriber_create(email="any@example.org")
    campaign = campaign_create(topics=[topics[key] for key in campaign_topics])

    campaign_schedule(campaign=campaign, at=None, actor=None)

    newsletter_smtp.wait(len(expected))
    assert _recipients(newsletter_smtp) == Counter(dict.fromkeys(expected, 1))


def _refuse(inbox, *, times: int, reply: str) -> None:
    """The server answers ``reply`` to the first ``times`` messages, then accepts."""
    accept = inbox.handle_DATA
    refused = {"n": 0}

    async def handle_DATA(server, session, envelope):
        if refused["n"] < times:
            refused["n"] += 1
            return reply
        return await accept(server, session, envelope)

    inbox.handle_DATA = handle_DATA


@pytest.mark.django_db
def test_a_server_that_refuses_for_a_while_is_retried_with_back_off(
    centre, newsletter_smtp, settings
):
    settings.TASKS = DB_TASKS
    subscriber_create(email="lea@example.org")
    _refuse(newsletter_smtp, times=2, reply="451 4.3.0 Try again later")
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)
    waits = []

    for _try in range(2):
        before = timezone.now()
        campaign_send_now(campaign_id=campaign.pk)
        row = CampaignDelivery.objects.get()
        assert (row.state, row.last_error) == (DeliveryState.QUEUED, "SMTPDataError 451")
        waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
        campaign_send_now(campaign_id=campaign.pk)  # nothing due: a task for the retry
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert retry.run_after == row.next_attempt_at
        # Time passes: the retry is due.
        CampaignDelivery.objects.update(next_attempt_at=timezone.now())

    campaign_send_now(campaign_id=campaign.pk)

    assert waits == [1, 2]  # OUTBOX_RETRY_SECONDS, then doubled
    assert _recipients(newsletter_smtp) == Counter({"lea@example.org": 1})
    row = CampaignDelivery.objects.get()
    assert (row.state, row.attempts, row.last_error) == (DeliveryState.SENT, 3, "")
    campaign_send_now(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


@pytest.mark.django_db
def test_a_refused_address_fails_after_the_last_try_with_the_error_class_only(
    centre, newsletter_smtp, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    subscriber_create(email="lea@example.org")
    subscriber_create(email="nobody@example.org")

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if address.startswith("nobody"):
            return "450 4.2.1 Mailbox busy"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    newsletter_smtp.handle_RCPT = handle_RCPT
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)
    CampaignDelivery.objects.filter(state=DeliveryState.QUEUED).update(
        next_attempt_at=timezone.now()
    )

    _run_until_done(campaign)

    assert _recipients(newsletter_smtp) == Counter({"lea@example.org": 1})
    failed = CampaignDelivery.objects.get(state=DeliveryState.FAILED)
    assert failed.attempts == 2
    assert failed.last_error == "SMTPRecipientsRefused 450"
    assert campaign_progress(campaign=campaign) == sending.CampaignProgress(
        total=2, sent=1, failed=1, skipped=0, remaining=0
    )


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_sent_again_after_the_lease(
    centre, newsletter_smtp, settings
):
    settings.TASKS = DB_TASKS
    settings.NEWSLETTER_CLAIM_LEASE_SECONDS = 90
    subscriber_create(email="lea@example.org")
    subscriber_create(email="sam@example.org")
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)
    campaign_send_now(campaign_id=campaign.pk)
    newsletter_smtp.messages.clear()
    # Two rows a worker had claimed when it was killed: one long ago, one just now.
    now = timezone.now()
    old, recent = CampaignDelivery.objects.order_by("pk")
    CampaignDelivery.objects.filter(pk=old.pk).update(
        state=DeliveryState.SENDING, claimed_at=now - datetime.timedelta(seconds=91)
    )
    CampaignDelivery.objects.filter(pk=recent.pk).update(
        state=DeliveryState.SENDING, claimed_at=now
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING)

    campaign_send_now(campaign_id=campaign.pk)

    (resent,) = newsletter_smtp.wait(1)
    assert resent["Message-ID"] == old.message_id  # the same message, shown once
    assert CampaignDelivery.objects.get(pk=recent.pk).state == DeliveryState.SENDING
    # The campaign waits for the recent claim's lease, with a task at its end.
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after > now + datetime.timedelta(seconds=89)


@pytest.mark.django_db
def test_the_daily_safety_net_resumes_a_campaign_whose_task_was_lost(settings):
    settings.TASKS = DB_TASKS
    campaign = campaign_create()
    campaign_create()  # a draft: not resumed
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENDING, started_at=timezone.now()
    )

    assert campaigns_resume() == 1

    # Saving models may queue Wagtail's own tasks (the reference index): only ours count.
    (task,) = DBTaskResult.objects.filter(task_path__endswith=".campaign_send")
    assert task.args_kwargs["kwargs"] == {"campaign_id": campaign.pk}


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_campaign_never_send_anyone_twice(
    newsletter_smtp, settings, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 5
    addresses = [f"person{n}@example.org" for n in range(30)]
    for address in addresses:
        subscriber_create(email=address)
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SCHEDULED, scheduled_at=timezone.now()
    )
    accept = newsletter_smtp.handle_DATA

    async def slow_accept(server, session, envelope):
        await asyncio.sleep(0.01)
        return await accept(server, session, envelope)

    newsletter_smtp.handle_DATA = slow_accept
    built_by = Counter()
    build = sending.campaign_message

    def counted_build(**kwargs):
        built_by[threading.current_thread().name] += 1
        return build(**kwargs)

    monkeypatch.setattr(sending, "campaign_message", counted_build)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            campaign_send_now(campaign_id=campaign.pk)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert _recipients(newsletter_smtp) == Counter(dict.fromkeys(addresses, 1))
    assert set(built_by) == {"worker-0", "worker-1"}  # both really sent
    assert sum(built_by.values()) == len(addresses)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


@pytest.mark.django_db
def test_the_worker_that_sends_the_last_message_ends_the_campaign(
    centre, newsletter_smtp, settings
):
    """With the database task backend, another worker may already have run the next batch's
    task while this batch's rows were claimed, and put it off by a lease: the campaign
    still reads sent as soon as its last message is accepted."""
    settings.TASKS = DB_TASKS
    for n in range(3):
        subscriber_create(email=f"last{n}@example.org")
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)

    campaign_send_now(campaign_id=campaign.pk)  # what the worker runs: one batch

    assert len(newsletter_smtp.wait(3)) == 3
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    # The next batch's task, when it runs, finds nothing to do.
    assert campaign_send_now(campaign_id=campaign.pk) is None
    assert len(newsletter_smtp.messages) == 3


@pytest.mark.django_db
def test_messages_built_for_a_batch_are_those_the_preview_builds(centre):
    """The engine renders each language once and fills in each recipient's values: the
    message must be the very one built for that recipient alone (what staff preview)."""
    from csce.newsletter.rendering import Recipient, campaign_message

    campaign = campaign_create()
    recipients = [
        Recipient(
            email="a@example.org",
            language="fr",
            first_name="Zoé <b>&</b> « Léa »",
            manage_url="http://testserver/fr/p/a&b/",
            one_click_url="http://testserver/one-click/a/",
        ),
        Recipient(email="b@example.org", language="fr", manage_url="http://testserver/fr/p/b/"),
        Recipient(email="c@example.org", language="en", first_name="Sam"),
    ]
    parts: dict = {}
    for recipient in [*recipients, *recipients]:
        alone = campaign_message(campaign=campaign, recipient=recipient, message_id="<m@x>")
        shared = campaign_message(
            campaign=campaign, recipient=recipient, message_id="<m@x>", parts=parts
        )
        assert shared.body == alone.body
        assert shared.alternatives == alone.alternatives
        assert (shared.subject, shared.from_email, shared.to) == (
            alone.subject,
            alone.from_email,
            alone.to,
        )
    first = campaign_message(campaign=campaign, recipient=recipients[0], parts=parts)
    assert "Zoé &lt;b&gt;&amp;&lt;/b&gt; « Léa »" in first.alternatives[0][0]
    assert "Zoé <b>&</b> « Léa »" in first.body
    assert "http://testserver/fr/p/a&amp;b/" in first.alternatives[0][0]


@pytest.mark.django_db
def test_rows_claimed_but_not_tried_when_the_server_goes_wait_again_with_no_try_counted(
    centre, newsletter_smtp, settings
):
    """Rows are claimed by the group (decision 0020): when the server closes the
    connection mid-group, the rows it never saw go back to the queue as they were."""
    settings.TASKS = DB_TASKS
    addresses = [f"person{n}@example.org" for n in range(5)]
    for address in addresses:
        subscriber_create(email=address)
    accept = newsletter_smtp.handle_DATA
    calls = []

    async def closing_after_one(server, session, envelope):
        calls.append(envelope.rcpt_tos[0])
        if len(calls) == 2:
            return "421 4.3.2 Shutting down"  # smtplib then closes the connection
        return await accept(server, session, envelope)

    newsletter_smtp.handle_DATA = closing_after_one
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)

    campaign_send_now(campaign_id=campaign.pk)

    rows = list(CampaignDelivery.objects.order_by("pk"))
    assert [row.state for row in rows] == [DeliveryState.SENT] + [DeliveryState.QUEUED] * 4
    # The refused message and the one that met the closed connection used a try each;
    # the two the server never saw did not.
    assert [row.attempts for row in rows] == [1, 1, 1, 0, 0]
    assert all(row.next_attempt_at > timezone.now() for row in rows[1:])

    newsletter_smtp.handle_DATA = accept
    CampaignDelivery.objects.update(next_attempt_at=timezone.now())
    campaign_send_now(campaign_id=campaign.pk)
    assert Counter(str(m["To"]) for m in newsletter_smtp.messages) == Counter(
        dict.fromkeys(addresses, 1)
    )
