"""What the admin and other apps read of the outbox: states, counts, references; never
the content."""

from __future__ import annotations

from django.db.models import Count

from .models import OutboxMessage, OutboxState


def outbox_failed_references(*, kind: str) -> list[str]:
    """The senders' references of the messages of one kind that finally failed."""
    return list(
        OutboxMessage.objects.filter(kind=kind, state=OutboxState.FAILED)
        .exclude(reference="")
        .values_list("reference", flat=True)
    )


def outbox_counts() -> dict[str, int]:
    """Messages per state, for the dashboard panel and the listing's summary."""
    counts = dict.fromkeys(OutboxState.values, 0)
    for row in OutboxMessage.objects.order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def address_masked(address: str) -> str:
    """Enough for staff to tell two messages apart, not to read the address (policy F):
    the first letter of the mailbox and of the domain, and the domain's ending."""
    local, _at, domain = (address or "").partition("@")
    if not domain:
        return "…"
    name, _dot, ending = domain.rpartition(".")
    return f"{local[:1]}…@{(name or ending)[:1]}…{'.' + ending if name else ''}"


def outbox_states(*, kind: str, references: list[str]) -> dict[str, str]:
    """What became of the messages of one kind that senders named by their references:
    {reference: state}. A reference missing here has no row left (OUTBOX_RECORD_DAYS)."""
    rows = OutboxMessage.objects.filter(kind=kind, reference__in=list(references))
    return dict(rows.order_by("pk").values_list("reference", "state"))


def outbox_records(*, kind: str, references: list[str]) -> dict[str, dict]:
    """What became of the messages of one kind that senders named by their references,
    with the facts a sender records: {reference: {"state", "attempts", "sent_at",
    "last_error"}} (the error's class and SMTP code only). A reference sent more than once
    reads its latest message; one missing has no row left (OUTBOX_RECORD_DAYS)."""
    rows = OutboxMessage.objects.filter(kind=kind, reference__in=list(references)).order_by("pk")
    return {
        row["reference"]: {
            "state": row["state"],
            "attempts": row["attempts"],
            "sent_at": row["sent_at"],
            "last_error": row["last_error"],
        }
        for row in rows.values("reference", "state", "attempts", "sent_at", "last_error")
    }
