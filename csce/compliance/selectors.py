"""What the compliance view and the weekly digest show (policy R, V): every indicator of
``indicator_registry`` (csce/common/compliance.py) with its level in words, its clauses,
its summary and where to act, the ones that do not hold first. This module imports no
app: each app registers its own indicators from its ``apps.py``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from csce.common.compliance import (
    AMBER,
    GREEN,
    LEVEL_LABELS,
    RED,
    IndicatorRegistry,
    indicators_read,
)
from csce.common.links import public_url

# Worst first: what does not hold, then what needs attention, then what holds.
LEVEL_RANK = {RED: 0, AMBER: 1, GREEN: 2}
# The icon of each level in Wagtail's sprite: the shape tells it as well as the word, so
# colour is never the only sign (WCAG 1.4.1).
LEVEL_ICONS = {RED: "warning", AMBER: "info-circle", GREEN: "success"}


@dataclass(frozen=True)
class IndicatorShown:
    key: str
    label: str
    clauses: tuple[str, ...]
    level: str
    level_label: str
    icon: str
    summary: str
    action_url: str
    action_label: str

    @property
    def holds(self) -> bool:
        return self.level == GREEN

    @property
    def action_absolute_url(self) -> str:
        """The link for an e-mail: a path on the public address, a full URL kept."""
        if not self.action_url or "://" in self.action_url:
            return self.action_url
        return public_url(self.action_url)


@dataclass(frozen=True)
class ComplianceBoard:
    read_at: datetime.datetime
    indicators: list[IndicatorShown]

    @property
    def not_holding(self) -> list[IndicatorShown]:
        return [indicator for indicator in self.indicators if not indicator.holds]

    @property
    def holding(self) -> list[IndicatorShown]:
        return [indicator for indicator in self.indicators if indicator.holds]

    def count(self, level: str) -> int:
        return sum(1 for indicator in self.indicators if indicator.level == level)

    @property
    def red_count(self) -> int:
        return self.count(RED)

    @property
    def amber_count(self) -> int:
        return self.count(AMBER)

    @property
    def green_count(self) -> int:
        return self.count(GREEN)


def compliance_board(
    *, now: datetime.datetime | None = None, registry: IndicatorRegistry | None = None
) -> ComplianceBoard:
    """Every indicator read now, in the active language; red, then amber, then green, each
    group in the registry's order (a sort is stable)."""
    now = now or timezone.now()
    shown = [
        IndicatorShown(
            key=indicator.key,
            label=str(indicator.label),
            clauses=tuple(indicator.clauses),
            level=reading.level,
            level_label=str(LEVEL_LABELS[reading.level]),
            icon=LEVEL_ICONS[reading.level],
            summary=str(reading.summary),
            action_url=reading.action_url,
            action_label=str(reading.action_label),
        )
        for indicator, reading in indicators_read(now=now, registry=registry)
    ]
    shown.sort(key=lambda item: LEVEL_RANK[item.level])
    return ComplianceBoard(read_at=now, indicators=shown)
