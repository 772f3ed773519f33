"""Sending a campaign (policy P3; CASL s.11; policy M: nothing slow on the request path).

The public API the admin calls:

- ``campaign_schedule(campaign=..., at=..., actor=...)``: a draft goes out at ``at``
  (now when None): status SCHEDULED, and a task for the worker, deferred to ``at``.
- ``campaign_cancel(campaign=..., actor=...)``: a scheduled campaign goes back to draft.
- ``campaign_progress(campaign=...)``: sent, failed, skipped and remaining, for the
  admin's progress view while it runs.

The worker's side: ``campaign_send`` (the task) starts the campaign when it is due,
writes one delivery row per subscriber it goes to, and sends them in batches
(docs/decisions/0020-newsletter-delivery-exactly-once.md):

- starting is one transaction: the status SCHEDULED → SENDING (conditional, so two tasks
  start it once) and one ``CampaignDelivery`` per confirmed, unsuppressed subscriber of
  the campaign's topics, with the subscriber's language and a Message-ID of its own;
- each task sends one batch (NEWSLETTER_BATCH_SIZE) over one connection of the delivery
  backend. It first writes the task of the next batch, so a worker killed mid-batch
  leaves the rest to the next worker; each row is claimed by a conditional update just
  before its message leaves, and marked sent, committed, the moment the server accepts
  it; a claim older than NEWSLETTER_CLAIM_LEASE_SECONDS was a dead worker's and is taken
  again;
- while an e-mail provider is configured but not declared in the processors register
  (policy F), nothing is sent: the rows wait, with the reason, and are tried again;
- a failed try goes back to the queue with the outbox's doubling back-off, and fails
  after OUTBOX_MAX_ATTEMPTS; a subscriber gone or suppressed meanwhile is skipped,
  never sent (CASL s.11: an unsubscribe is honoured even mid-campaign);
- when nothing is waiting or being sent any more, the campaign is SENT.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from csce.outbox.delivery import (
    PROVIDER_NOT_DECLARED,
    delivery_connection,
    delivery_error_text,
    delivery_held,
    delivery_retry_delay,
)

from .composing import campaign_missing_languages
from .links import MANAGE, one_click_url, subscriber_token, subscriber_url
from .models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    DeliveryState,
    Subscriber,
    SubscriberStatus,
    Suppression,
    suppression_hash,
)
from .rendering import Recipient, campaign_message

logger = logging.getLogger(__name__)

# Campaign tasks yield to the site's own mail (password resets, confirmations: policy M).
CAMPAIGN_TASK_PRIORITY = -10
_CHUNK = 500
# Rows claimed in one statement. A claim is read back with its subscribers and checked
# against the suppression list at once; the last row of a group leaves within a second of
# that check, far inside the claim's lease (decision 0020).
CLAIM_GROUP = 20


class CampaignNotEditable(Exception):
    """The campaign has started or finished: it cannot be scheduled or cancelled."""


class CampaignIncomplete(Exception):
    """A language version is still empty: the campaign cannot be sent (policy P2)."""


@dataclass(frozen=True)
class CampaignProgress:
    total: int
    sent: int
    failed: int
    skipped: int
    remaining: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped


def campaign_progress(*, campaign: Campaign) -> CampaignProgress:
    counts = dict(
        campaign.deliveries.order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    sent = counts.get(DeliveryState.SENT, 0)
    failed = counts.get(DeliveryState.FAILED, 0)
    skipped = counts.get(DeliveryState.SKIPPED, 0)
    remaining = counts.get(DeliveryState.QUEUED, 0) + counts.get(DeliveryState.SENDING, 0)
    return CampaignProgress(
        total=sent + failed + skipped + remaining,
        sent=sent,
        failed=failed,
        skipped=skipped,
        remaining=remaining,
    )


def campaign_schedule(*, campaign: Campaign, at: datetime.datetime | None, actor) -> Campaign:
    """Send the campaign at ``at`` (at once when None). Only a draft or a scheduled
    campaign may be (re)scheduled; the status change is conditional, so two staff
    members pressing "send" at once start it once."""
    if campaign_missing_languages(campaign=campaign):
        raise CampaignIncomplete
    when = at or timezone.now()
    with transaction.atomic():
        updated = Campaign.objects.filter(
            pk=campaign.pk, status__in=[CampaignStatus.DRAFT, CampaignStatus.SCHEDULED]
        ).update(status=CampaignStatus.SCHEDULED, scheduled_at=when, scheduled_by=actor)
        if not updated:
            raise CampaignNotEditable
        campaign_send_later(campaign_id=campaign.pk, at=when)
    campaign.refresh_from_db()
    return campaign


def campaign_cancel(*, campaign: Campaign, actor) -> Campaign:
    """A scheduled campaign that has not started goes back to draft."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SCHEDULED).update(
        status=CampaignStatus.DRAFT, scheduled_at=None
    )
    if not updated:
        raise CampaignNotEditable
    campaign.refresh_from_db()
    return campaign


def campaign_send_later(*, campaign_id: int, at: datetime.datetime | None = None) -> None:
    """A task for the worker, written in the current transaction (the database task
    backend), deferred to ``at`` when the backend can defer."""
    send = campaign_send
    if at is not None and at > timezone.now() and default_task_backend.supports_defer:
        send = campaign_send.using(run_after=at)
    send.enqueue(campaign_id=campaign_id)


def _durable_queue() -> bool:
    """The database task backend: a task written now runs later, after a restart too.
    The immediate backend of the tests runs it inside the caller instead."""
    return bool(default_task_backend.supports_defer)


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE_SECONDS)


def _message_host() -> str:
    return re.sub(r"^https?://", "", settings.SITE_URL).split("/")[0].split(":")[0] or "localhost"


def _message_id(campaign_id: int, host: str) -> str:
    """Stable across tries, never holding the address (RFC 5322 Message-ID)."""
    return f"<campaign-{campaign_id}.{secrets.token_hex(10)}@{host}>"


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- starting ---------------------------------------------------------------------------


def campaign_audience(*, campaign: Campaign) -> list[tuple[int, str]]:
    """(subscriber id, language) of everyone the campaign goes to: confirmed, of one of
    its topics or of none (every subscriber when it has none), not suppressed."""
    subscribers = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
    topic_ids = list(campaign.topics.values_list("pk", flat=True))
    if topic_ids:
        subscribers = subscribers.filter(Q(topics__in=topic_ids) | Q(topics__isnull=True))
    rows = list(subscribers.order_by("pk").distinct().values_list("pk", "email", "language"))
    audience = []
    for chunk in _chunks(rows):
        hashes = {pk: suppression_hash(email) for pk, email, _language in chunk}
        suppressed = set(
            Suppression.objects.filter(address_hash__in=set(hashes.values())).values_list(
                "address_hash", flat=True
            )
        )
        audience.extend(
            (pk, language) for pk, _email, language in chunk if hashes[pk] not in suppressed
        )
    return audience


def _campaign_start(*, campaign_id: int, now: datetime.datetime) -> bool:
    """SCHEDULED and due → SENDING with every delivery row, in one transaction: a worker
    killed while starting leaves the campaign scheduled, never half-written."""
    due = Campaign.objects.filter(
        pk=campaign_id, status=CampaignStatus.SCHEDULED, scheduled_at__lte=now
    )
    campaign = due.first()
    if campaign is None:
        return False
    if campaign_missing_languages(campaign=campaign):
        # Emptied after it was scheduled (policy P2: both languages or nothing): it goes
        # back to draft, and its page says which version is missing.
        due.update(status=CampaignStatus.DRAFT, scheduled_at=None)
        logger.warning("newsletter campaign %s not started: a language is empty", campaign_id)
        return False
    host = _message_host()
    for _try in range(3):
        # Decrypting and hashing every address happens before the transaction: SQLite's
        # write lock is held only for the inserts.
        audience = campaign_audience(campaign=campaign)
        try:
            with transaction.atomic():
                if not due.update(status=CampaignStatus.SENDING, started_at=now):
                    return False  # another worker started it
                present = set()
                for chunk in _chunks([pk for pk, _language in audience]):
                    present.update(
                        Subscriber.objects.filter(
                            pk__in=chunk, status=SubscriberStatus.CONFIRMED
                        ).values_list("pk", flat=True)
                    )
                CampaignDelivery.objects.bulk_create(
                    [
                        CampaignDelivery(
                            campaign_id=campaign_id,
                            subscriber_id=pk,
                            language=language,
                            state=DeliveryState.QUEUED,
                            next_attempt_at=now,
                            message_id=_message_id(campaign_id, host),
                        )
                        for pk, language in audience
                        if pk in present
                    ],
                    batch_size=_CHUNK,
                    ignore_conflicts=True,
                )
        except IntegrityError:
            # A subscriber deleted between the check and the insert (PostgreSQL): the
            # whole start rolled back; read the audience again.
            continue
        logger.info("newsletter campaign %s started", campaign_id)
        return True
    raise RuntimeError("The campaign's audience kept changing while it started.")


# --- sending ----------------------------------------------------------------------------


def _claims_release(*, campaign_id: int, now: datetime.datetime) -> None:
    """A claim older than the lease was a worker's that died mid-send: the row is sent
    again (the same Message-ID), or fails when it has had all its tries."""
    stale = CampaignDelivery.objects.filter(
        campaign_id=campaign_id, state=DeliveryState.SENDING, claimed_at__lt=now - _lease()
    )
    stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        state=DeliveryState.FAILED, last_error="WorkerLost"
    )
    stale.update(state=DeliveryState.QUEUED, next_attempt_at=now)


def _recipient(subscriber: Subscriber, language: str) -> Recipient:
    # The preferences page and the one-click POST carry the same signed token.
    token = subscriber_token(subscriber=subscriber, purpose=MANAGE)
    return Recipient(
        email=subscriber.email,
        language=language,
        first_name=subscriber.first_name,
        manage_url=subscriber_url(
            subscriber=subscriber, purpose=MANAGE, language=language, token=token
        ),
        one_click_url=one_click_url(subscriber=subscriber, token=token),
    )


def _try_failed(*, pk: int, attempts: int, exc: BaseException, now: datetime.datetime) -> None:
    error = delivery_error_text(exc)
    mine = CampaignDelivery.objects.filter(pk=pk, state=DeliveryState.SENDING)
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        mine.update(state=DeliveryState.FAILED, last_error=error)
        logger.warning("campaign delivery %s failed after %s tries: %s", pk, attempts, error)
    else:
        mine.update(
            state=DeliveryState.QUEUED,
            next_attempt_at=now + delivery_retry_delay(attempts),
            last_error=error,
        )
        logger.info("campaign delivery %s not sent (%s)", pk, error)


def _server_fault(exc: BaseException) -> bool:
    """The connection failed rather than this one message: the rest of the batch waits."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        return False
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return False
    return isinstance(exc, OSError)  # smtplib's errors, refused or timed-out connections


class _Pace:
    """At most ``per_second`` messages a second on average (0: as fast as the server takes
    them), and never more than one second's worth at once: a worker held up (by the site's
    load, by a slow server) makes up for its late wake-ups, but not for a long stall.

    Policy M: the worker shares the machine with the web server, and visitors' pages come
    first; mail providers also trust a sender that does not burst."""

    # A lowered worker wakes from each wait late, when the busy site hands it a CPU; the
    # slack keeps those late wake-ups from lowering the pace itself.
    BURST_SECONDS = 1.0

    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self.next: float | None = None  # when the next message may leave

    def wait(self) -> None:
        """Called after each message: returns when the next one may leave."""
        now = time.monotonic()
        if self.next is None:  # the first message has just left
            self.next = now
        self.next = max(self.next, now - self.BURST_SECONDS) + self.interval
        if self.next > now:
            time.sleep(self.next - now)


def _worker_pace() -> _Pace:
    """This worker's share of the pace: TASK_WORKERS may each be sending a batch."""
    return _Pace(settings.NEWSLETTER_MAX_PER_SECOND / settings.TASK_WORKERS)


def _claim(*, pks: list[int]) -> tuple[str, list[CampaignDelivery]]:
    """Claim the rows of ``pks`` still waiting, in one statement, and read back with their
    subscribers exactly those this claim won (another worker may hold the others)."""
    token = secrets.token_hex(16)
    claimed_at = timezone.now()
    CampaignDelivery.objects.filter(
        pk__in=pks,
        state=DeliveryState.QUEUED,
        next_attempt_at__lte=claimed_at,
        subscriber__isnull=False,
    ).update(
        state=DeliveryState.SENDING,
        claimed_at=claimed_at,
        claim=token,
        attempts=F("attempts") + 1,
    )
    rows = list(
        CampaignDelivery.objects.filter(pk__in=pks, claim=token, state=DeliveryState.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    return token, rows


def _deliverable(rows: list[CampaignDelivery]) -> list[CampaignDelivery]:
    """The claimed rows whose subscriber is still confirmed and not on the suppression
    list; the others are skipped, never sent (CASL s.11: an unsubscribe is honoured even
    mid-campaign)."""
    live = {
        row.pk: suppression_hash(row.subscriber.email)
        for row in rows
        if row.subscriber is not None and row.subscriber.status == SubscriberStatus.CONFIRMED
    }
    suppressed = set(
        Suppression.objects.filter(address_hash__in=set(live.values())).values_list(
            "address_hash", flat=True
        )
    )
    keep = [row for row in rows if row.pk in live and live[row.pk] not in suppressed]
    kept = {row.pk for row in keep}
    skipped = [row.pk for row in rows if row.pk not in kept]
    if skipped:
        CampaignDelivery.objects.filter(pk__in=skipped).update(
            state=DeliveryState.SKIPPED, last_error=""
        )
    return keep


def _claims_return(*, token: str, pks: list[int]) -> None:
    """Rows claimed but not tried (the server failed first) wait again, their try not
    counted."""
    CampaignDelivery.objects.filter(pk__in=pks, claim=token, state=DeliveryState.SENDING).update(
        state=DeliveryState.QUEUED, attempts=F("attempts") - 1
    )


def _batch_send(*, campaign: Campaign, now: datetime.datetime, successor: bool) -> int:
    """One batch: the rows due, claimed a few at a time just before they are sent, over
    one connection. Returns how many rows were due."""
    deliveries = CampaignDelivery.objects.filter(campaign=campaign)
    _claims_release(campaign_id=campaign.pk, now=now)
    # Gone since the start (unsubscribed, erased): never sent.
    deliveries.filter(state=DeliveryState.QUEUED, subscriber__isnull=True).update(
        state=DeliveryState.SKIPPED
    )
    due = list(
        deliveries.filter(state=DeliveryState.QUEUED, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NEWSLETTER_BATCH_SIZE]
    )
    if not due:
        return 0
    if delivery_held():
        # Policy F: the provider is not in the processors register; the rows wait (no
        # try counted) and the task comes back after the first back-off.
        _batch_hold(campaign_id=campaign.pk, now=now)
        return 0
    if successor:
        # Written before sending: a worker killed mid-batch leaves it to the next one.
        campaign_send.enqueue(campaign_id=campaign.pk)
    connection = None
    # The blocks and the centre's identification, built once per language for the batch.
    parts: dict = {}
    pace = _worker_pace()
    try:
        for group in _chunks(due, CLAIM_GROUP):
            token, rows = _claim(pks=group)
            rows = _deliverable(rows)
            for index, row in enumerate(rows):
                try:
                    message = campaign_message(
                        campaign=campaign,
                        recipient=_recipient(row.subscriber, row.language),
                        message_id=row.message_id,
                        parts=parts,
                    )
                    if connection is None:
                        connection = delivery_connection()
                        connection.open()
                    if connection.send_messages([message]) != 1:
                        raise smtplib.SMTPException("not accepted")
                except Exception as exc:  # any fault of the server or the message: a failed try
                    _try_failed(pk=row.pk, attempts=row.attempts, exc=exc, now=timezone.now())
                    if _server_fault(exc):
                        _claims_return(token=token, pks=[r.pk for r in rows[index + 1 :]])
                        _batch_postpone(campaign_id=campaign.pk, exc=exc)
                        return len(due)
                    continue
                # Committed at once (autocommit): the window in which the server has the
                # message and we do not know it is this one statement.
                CampaignDelivery.objects.filter(pk=row.pk).update(
                    state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
                )
                pace.wait()
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection: nothing to do
                logger.debug("closing the mail connection failed", exc_info=True)
    return len(due)


def _batch_hold(*, campaign_id: int, now: datetime.datetime) -> None:
    CampaignDelivery.objects.filter(
        campaign_id=campaign_id, state=DeliveryState.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + delivery_retry_delay(1), last_error=PROVIDER_NOT_DECLARED)
    logger.warning(
        "newsletter campaign %s waits: the e-mail provider is not in the processors register",
        campaign_id,
    )


def _batch_postpone(*, campaign_id: int, exc: BaseException) -> None:
    """The mail server is unreachable: the waiting rows are due again after the first
    back-off, without a try counted against them."""
    at = timezone.now() + delivery_retry_delay(1)
    CampaignDelivery.objects.filter(
        campaign_id=campaign_id, state=DeliveryState.QUEUED, next_attempt_at__lt=at
    ).update(next_attempt_at=at)
    logger.warning(
        "newsletter campaign %s paused: the mail server failed (%s)",
        campaign_id,
        delivery_error_text(exc),
    )


def _campaign_finish_if_done(*, campaign: Campaign, now: datetime.datetime) -> dict | None:
    """The campaign is sent when none of its rows waits or is being sent; otherwise the
    earliest time a row is due (``queued``) and the oldest claim (``claimed``)."""
    times = CampaignDelivery.objects.filter(
        campaign=campaign, state__in=[DeliveryState.QUEUED, DeliveryState.SENDING]
    ).aggregate(
        queued=Min("next_attempt_at", filter=Q(state=DeliveryState.QUEUED)),
        claimed=Min("claimed_at", filter=Q(state=DeliveryState.SENDING)),
    )
    if times["queued"] is not None or times["claimed"] is not None:
        return times
    finished = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
        status=CampaignStatus.SENT, finished_at=now
    )
    if finished:
        logger.info("newsletter campaign %s sent", campaign.pk)
    return None


def _campaign_finish_or_wait(*, campaign: Campaign, now: datetime.datetime) -> None:
    """Nothing due: the campaign is sent when nothing waits or is being sent; otherwise
    a task comes back when the next row is due or the oldest claim expires."""
    times = _campaign_finish_if_done(campaign=campaign, now=now)
    if times is None:
        return
    if not _durable_queue():
        return  # the immediate backend of the tests: the next run (or the sweep) goes on
    candidates = [times["queued"]]
    if times["claimed"] is not None:
        candidates.append(times["claimed"] + _lease() + datetime.timedelta(seconds=1))
    at = max(min(t for t in candidates if t is not None), now + datetime.timedelta(seconds=1))
    campaign_send_later(campaign_id=campaign.pk, at=at)


def campaign_send_now(*, campaign_id: int) -> CampaignProgress | None:
    """Start the campaign if it is due, then send what is waiting (the engine).

    With the database task backend, one batch per task, the next batch being a task of
    its own; with the immediate backend (tests), every batch that is due, in turn."""
    _campaign_start(campaign_id=campaign_id, now=timezone.now())
    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).first()
    if campaign is None:
        return None
    durable = _durable_queue()
    while True:
        now = timezone.now()
        if not _batch_send(campaign=campaign, now=now, successor=durable):
            _campaign_finish_or_wait(campaign=campaign, now=now)
            break
        if durable:
            # The next batch's task may already have run on another worker, found only
            # this batch's claims and come back later: the worker that sends the last
            # message ends the campaign at once.
            _campaign_finish_if_done(campaign=campaign, now=timezone.now())
            break
    return campaign_progress(campaign=campaign)


# Its own queue: every task worker runs the batches of a campaign side by side (serve).
@task(priority=CAMPAIGN_TASK_PRIORITY, queue_name=settings.NEWSLETTER_TASK_QUEUE)
def campaign_send(campaign_id: int) -> None:
    campaign_send_now(campaign_id=campaign_id)


def campaigns_resume() -> int:
    """The daily safety net (csce/common/schedule.py): a task for every campaign that is
    due or sending, so that one whose task was lost (a restored backup, a worker killed
    while starting it) still finishes. Running it twice costs a task that finds nothing."""
    now = timezone.now()
    pending = list(
        Campaign.objects.filter(
            Q(status=CampaignStatus.SENDING)
            | Q(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now)
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        campaign_send_later(campaign_id=pk)
    return len(pending)
