"""Sending a campaign (policy P3; CASL s.11; policy M: nothing slow on the request path).

The public API the admin calls:

- ``campaign_schedule(campaign=..., at=..., actor=...)``: a draft goes out at ``at``
  (now when None): status SCHEDULED, and a task for the worker, deferred to ``at``.
- ``campaign_cancel(campaign=..., actor=...)``: a scheduled campaign goes back to draft.
- ``campaign_progress(campaign=...)``: sent, failed, skipped and remaining, for the
  admin's progress view while it runs.

The worker's side: ``campaign_send`` (the task) starts the campaign when it is due,
writes one delivery row per subscriber it goes to, and sends them in batches.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import default_task_backend, task

from .models import Campaign, CampaignStatus, DeliveryState


class CampaignNotEditable(Exception):
    """The campaign has started or finished: it cannot be scheduled or cancelled."""


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


def campaign_send_now(*, campaign_id: int) -> CampaignProgress | None:
    """Start the campaign if it is due, then send what is waiting (the engine)."""
    raise NotImplementedError("the sending engine is written next")


@task()
def campaign_send(campaign_id: int) -> None:
    campaign_send_now(campaign_id=campaign_id)
