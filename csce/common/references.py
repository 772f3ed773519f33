"""Yearly references staff quote and file by (DPR-2026-0001, INC-2026-0001): the next
number of the year, and a creation that survives two requests computing the same one."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models.functions import Length

REFERENCE_ATTEMPTS = 10


def yearly_reference_next(*, model, prefix: str, year: int, field: str = "reference") -> str:
    """``<prefix>-<year>-<n>``, n one more than the year's greatest, four digits at least."""
    start = f"{prefix}-{year}-"
    # Longest, then greatest: DPR-2026-10000 comes after DPR-2026-9999.
    last = (
        model.objects.filter(**{f"{field}__startswith": start})
        .order_by(Length(field).desc(), f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last.removeprefix(start)) + 1 if last else 1
    return f"{start}{number:04d}"


def yearly_numbered_create(
    *, model, year: int, fields: dict, next_reference: Callable[[int], str], field="reference"
):
    """Create a row under the next reference of its year. Two requests at the same moment
    may compute the same one: the unique constraint decides and the loser retries."""
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return model.objects.create(**{field: next_reference(year)}, **fields)
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
