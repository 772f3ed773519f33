"""Reading the access log: the chain check and the lists shown to the Privacy Officer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, AccessLogHead
from .services import GENESIS, HEAD_PK, entry_digest, entry_fields

LAST_VERIFICATION_CACHE_KEY = "audit:last-verification"

# What each kind of break means, for the command and the admin screen.
REASON_LABELS = {
    "altered": _("its content no longer matches its hash: it was edited in the database"),
    "unlinked": _("it does not follow the entry before it: an entry was deleted or rewritten"),
    "truncated": _("the chain ends before the newest entry recorded: entries were deleted"),
}


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""  # "altered", "unlinked" or "truncated": a code, translated on display
    last_entry_id: int | None = None
    last_hash: str = GENESIS
    verified_at: datetime.datetime | None = None


def access_log_verify(*, chunk_size: int = 2000) -> ChainVerification:
    """Walk the whole chain, oldest first, recomputing each entry's hash.

    An edited entry no longer matches its own hash ("altered"); a deleted or rewritten
    entry leaves its successor pointing at a hash that is not the one before it
    ("unlinked"); removing
    the newest entries leaves the chain ending before the recorded head ("truncated").
    The result is also kept in the cache for the admin's indicator.
    """
    checked = 0
    previous_hash = GENESIS
    last_id = None
    result = None
    rows = AccessLogEntry.objects.order_by("pk").values_list(
        "pk",
        "created_at",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "details",
        "previous_hash",
        "entry_hash",
    )
    for (
        pk,
        created_at,
        actor_id,
        action,
        object_type,
        object_id,
        details,
        prev,
        digest,
    ) in rows.iterator(chunk_size=chunk_size):
        checked += 1
        if prev != previous_hash:
            result = ChainVerification(
                ok=False, checked=checked, first_broken_id=pk, reason="unlinked"
            )
            break
        fields = entry_fields(
            created_at=created_at,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
        )
        if entry_digest(previous_hash=prev, fields=fields) != digest:
            result = ChainVerification(
                ok=False, checked=checked, first_broken_id=pk, reason="altered"
            )
            break
        previous_hash = digest
        last_id = pk
    if result is None:
        head = AccessLogHead.objects.filter(pk=HEAD_PK).first()
        if head is not None and head.last_hash != previous_hash:
            result = ChainVerification(
                ok=False,
                checked=checked,
                first_broken_id=head.last_entry_id,
                reason="truncated",
            )
        else:
            result = ChainVerification(
                ok=True, checked=checked, last_entry_id=last_id, last_hash=previous_hash
            )
    result = ChainVerification(**{**result.__dict__, "verified_at": timezone.now()})
    cache.set(LAST_VERIFICATION_CACHE_KEY, result, timeout=None)
    return result


def access_log_last_verification() -> ChainVerification | None:
    """The result of the most recent check (command or admin), if the cache still has it."""
    return cache.get(LAST_VERIFICATION_CACHE_KEY)


def access_log_entries() -> QuerySet[AccessLogEntry]:
    """Every entry, newest first, with the actor's current name looked up from the id.

    The log stores only the id; the name shown is the account's name today, or nothing
    when the account no longer exists.
    """
    User = get_user_model()
    full_name = NullIf(
        Trim(Concat(F("first_name"), Value(" "), F("last_name"), output_field=CharField())),
        Value(""),
    )
    name = User.objects.filter(pk=OuterRef("actor_id")).annotate(
        display_name=Coalesce(full_name, F(User.USERNAME_FIELD), output_field=CharField())
    )
    return AccessLogEntry.objects.annotate(
        actor_name=Subquery(name.values("display_name")[:1], output_field=CharField())
    ).order_by("-pk")
