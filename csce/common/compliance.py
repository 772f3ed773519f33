"""Whether the policy holds today (policy R, V, M): indicators and security-audit checks,
each registered by the app it belongs to.

Each app registers, from its own ``apps.py``, the indicators it contributes to the
compliance view (green, amber or red, with a link to act) and the automated checks it
contributes to the annual security audit. The compliance view, the weekly digest, the
``run_security_audit`` command and its screen read these registries; none of them
imports the apps, so a future app adds its own without touching them.

Both fail closed: an indicator or a check that raises reads red or failed, never green,
and says that it could not be read.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

GREEN = "green"
AMBER = "amber"
RED = "red"
LEVELS = (GREEN, AMBER, RED)
LEVEL_LABELS = {GREEN: _("Holds"), AMBER: _("Needs attention"), RED: _("Does not hold")}

PASS = "pass"  # noqa: S105 - a check's status, not a password
WARN = "warn"
FAIL = "fail"
STATUSES = (PASS, WARN, FAIL)
STATUS_LABELS = {PASS: _("Passed"), WARN: _("Warning"), FAIL: _("Failed")}


@dataclass(frozen=True)
class Reading:
    """What an indicator says now: its level, one sentence in the reader's language (no
    personal value: counts and dates only) and where to act on it."""

    level: str
    summary: str | Promise
    action_url: str = ""
    action_label: str | Promise = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"Unknown level {self.level!r}.")


@dataclass(frozen=True)
class Indicator:
    """- ``read(now=...)`` → a Reading, from a few counting queries;
    - ``clauses``: the policy clauses it watches (docs/policy.md), shown beside it."""

    key: str
    label: str | Promise
    clauses: tuple[str, ...]
    read: Callable[..., Reading]
    order: int = 100


@dataclass(frozen=True)
class CheckResult:
    """One automated check of the security audit: passed, warning or failed, with a
    sentence that says what was found (never a secret or a personal value)."""

    status: str
    detail: str | Promise

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Unknown status {self.status!r}.")


@dataclass(frozen=True)
class AuditCheck:
    """- ``run(now=...)`` → a CheckResult. A check may take seconds (it may fetch the live
    site's headers) but must bound its own waits."""

    key: str
    label: str | Promise
    clauses: tuple[str, ...]
    run: Callable[..., CheckResult]
    order: int = 100


class _Keyed(Protocol):
    key: str
    order: int


T = TypeVar("T", bound=_Keyed)


class _Registry(Generic[T]):
    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if item.key in self._items and self._items[item.key] != item:
            raise ValueError(f"{item.key!r} is registered.")
        self._items[item.key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T:
        return self._items[key]

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._items.values(), key=lambda item: (item.order, item.key)))

    def __len__(self) -> int:
        return len(self._items)


class IndicatorRegistry(_Registry[Indicator]):
    pass


class AuditCheckRegistry(_Registry[AuditCheck]):
    pass


indicator_registry = IndicatorRegistry()
audit_check_registry = AuditCheckRegistry()


def overdue_reading(
    *, summary: str, late: int, late_days: int, action_url: str, action_label: str
) -> Reading:
    """The reading of items that wait past their due time (policy R): amber, or red when
    ``late`` of them have waited more than ``late_days`` days beyond it. ``summary`` says
    how many wait, without its final full stop."""
    action = {"action_url": action_url, "action_label": action_label}
    if not late:
        return Reading(AMBER, f"{summary}.", **action)
    summary = ngettext(
        "%(summary)s; %(late)d of them for more than %(days)d days.",
        "%(summary)s; %(late)d of them for more than %(days)d days.",
        late,
    ) % {"summary": summary, "late": late, "days": late_days}
    return Reading(RED, summary, **action)


def indicators_read(
    *, now: datetime.datetime | None = None, registry: IndicatorRegistry | None = None
) -> list[tuple[Indicator, Reading]]:
    """Every indicator's reading, in the registry's order. One that raises reads red and
    says so (policy R: the AED is never shown green for what could not be checked); the
    log names the indicator and the error's type only."""
    now = now or timezone.now()
    results = []
    for indicator in registry if registry is not None else indicator_registry:
        try:
            reading = indicator.read(now=now)
        except Exception as exc:  # one indicator's fault must not hide the others
            logger.error(
                "compliance indicator %s could not be read: %s", indicator.key, type(exc).__name__
            )
            reading = Reading(
                RED, gettext("This indicator could not be read; it counts as not holding.")
            )
        results.append((indicator, reading))
    return results


def checks_run(
    *, now: datetime.datetime | None = None, registry: AuditCheckRegistry | None = None
) -> list[tuple[AuditCheck, CheckResult]]:
    """Every audit check's result, in the registry's order. One that raises has failed."""
    now = now or timezone.now()
    results = []
    for check in registry if registry is not None else audit_check_registry:
        try:
            result = check.run(now=now)
        except Exception as exc:  # one check's fault must not hide the others
            logger.error("security audit check %s could not run: %s", check.key, type(exc).__name__)
            result = CheckResult(
                FAIL,
                gettext("The check could not run (%(error)s); it counts as failed.")
                % {"error": type(exc).__name__},
            )
        results.append((check, result))
    return results
