"""What the admin shows about retention: the last run and the oldest record of each store."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from csce.common.registry import personal_data_registry

from .models import PurgeRun


@dataclass(frozen=True)
class StoreAge:
    key: str
    label: str
    retention: str
    oldest: datetime.datetime | None

    @property
    def age_days(self) -> int | None:
        if self.oldest is None:
            return None
        return (timezone.now() - self.oldest).days


def purge_last_run() -> PurgeRun | None:
    return PurgeRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


def personal_store_ages() -> list[StoreAge]:
    return [
        StoreAge(
            key=source.key,
            label=str(source.label),
            retention=str(source.retention),
            oldest=source.oldest() if source.oldest else None,
        )
        for source in personal_data_registry
    ]
