"""Opening an incident from another app (policy R, U, X).

A concern a visitor reports may turn out to be a security incident (a phishing link in a
comment, an account impersonating the centre). The app that keeps the incident register
provides this intake from its own ``apps.py``; the moderation queue escalates through it
without importing that app (sibling domains meet in ``common``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class IncidentIntakeUnavailable(RuntimeError):
    """No app provides the incident register."""


@dataclass(frozen=True)
class IncidentIntake:
    """- ``open(reporter=..., kind=..., description=..., property_name=...)`` → the new
      incident's reference (INC-2026-3), inside the caller's transaction; its alerts go
      out as for any report;
    - ``kinds``: the kinds an escalation may choose, as (value, label) pairs;
    - ``url(reference=...)`` → the register's page of that incident (for who may open it).
    """

    open: Callable[..., str]
    kinds: Callable[[], list[tuple[str, str]]]
    url: Callable[..., str]


_intake: IncidentIntake | None = None


def incident_intake_set(intake: IncidentIntake | None) -> None:
    global _intake
    _intake = intake


def incident_intake() -> IncidentIntake:
    if _intake is None:
        raise IncidentIntakeUnavailable
    return _intake
