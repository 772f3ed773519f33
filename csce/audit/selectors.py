"""Reading the access log: the chain check and the lists shown to the Privacy Officer."""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, AccessLogHead
from .services import GENESIS, HEAD_PK, access_log_keys, entry_digest, entry_fields

LAST_VERIFICATION_CACHE_KEY = "audit:last-verification"

# What each kind of break means, for the command and the admin screen.
REASON_LABELS = {
    "altered": _("its content no longer matches its hash: it was edited in the database"),
    "unlinked": _("it does not follow the entry before it: an entry was deleted or rewritten"),
    "truncated": _("the chain ends before the newest entry recorded: entries were deleted"),
    "unknown_key": _(
        "it was signed with a key this server does not hold: add that key to "
        "ACCESS_LOG_KEY_FALLBACKS, or the entry was forged"
    ),
    "unkeyed": _(
        "it is not signed where a signature is required: the log was rewritten without the key"
    ),
    "anchor_missing": _(
        "this anchored entry is no longer in the chain: entries were deleted or rewritten"
    ),
    "anchor_changed": _("this anchored entry's hash has changed: the log was rewritten"),
}


class AnchorFileError(ValueError):
    """A line of an anchor file is not ``<time> <entry id> <hash>``."""


def anchor_line(*, at: datetime.datetime, entry_id: int, entry_hash: str) -> str:
    """One anchor: when it was taken, the newest entry's id and hash, space-separated."""
    return f"{at.astimezone(datetime.UTC).isoformat(timespec='seconds')} {entry_id} {entry_hash}"


def anchors_parse(*, text: str) -> dict[int, str]:
    """The (entry id → hash) pairs of an anchor file; blank lines and ``#`` comments skipped."""
    anchors: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) != 64:
            raise AnchorFileError(number)
        anchors[int(parts[1])] = parts[2].lower()
    return anchors


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""  # "altered", "unlinked" or "truncated": a code, translated on display
    last_entry_id: int | None = None
    last_hash: str = GENESIS
    verified_at: datetime.datetime | None = None


def access_log_verify(
    *, anchors: dict[int, str] | None = None, chunk_size: int = 2000
) -> ChainVerification:
    """Walk the whole chain, oldest first, recomputing each entry's keyed hash.

    An edited entry no longer matches its own hash ("altered"); a deleted or rewritten
    entry leaves its successor pointing at a hash that is not the one before it
    ("unlinked"); removing the newest entries leaves the chain ending before the recorded
    head ("truncated"). An entry signed with a key not in ACCESS_LOG_KEY or its fallbacks
    is "unknown_key". Unkeyed (legacy SHA-256) entries are accepted only before the first
    keyed one, and the chain must end on a keyed entry ("unkeyed"): otherwise rewriting
    the whole log with plain SHA-256 would pass. ``anchors`` (entry id → hash, kept off
    the server) must each still be in the chain ("anchor_changed", "anchor_missing").
    The result is also kept in the cache for the admin's indicator.
    """
    anchors = anchors or {}
    keys = access_log_keys()
    checked = 0
    previous_hash = GENESIS
    last_id = None
    last_keyed = False
    anchored_seen: set[int] = set()
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
        "key_id",
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
        entry_key_id,
        digest,
    ) in rows.iterator(chunk_size=chunk_size):
        checked += 1
        reason = ""
        if prev != previous_hash:
            reason = "unlinked"
        elif entry_key_id and entry_key_id not in keys:
            reason = "unknown_key"
        elif last_keyed and not entry_key_id:
            reason = "unkeyed"
        if reason:
            result = ChainVerification(ok=False, checked=checked, first_broken_id=pk, reason=reason)
            break
        fields = entry_fields(
            created_at=created_at,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            key_id=entry_key_id,
        )
        key = keys[entry_key_id] if entry_key_id else None
        if not hmac.compare_digest(
            entry_digest(previous_hash=prev, fields=fields, key=key), digest
        ):
            reason = "altered"
        elif pk in anchors:
            anchored_seen.add(pk)
            if anchors[pk] != digest:
                reason = "anchor_changed"
        if reason:
            result = ChainVerification(ok=False, checked=checked, first_broken_id=pk, reason=reason)
            break
        previous_hash = digest
        last_id = pk
        last_keyed = bool(entry_key_id)
    if result is None:
        head = AccessLogHead.objects.filter(pk=HEAD_PK).first()
        missing = sorted(set(anchors) - anchored_seen)
        if head is not None and head.last_hash != previous_hash:
            result = ChainVerification(
                ok=False,
                checked=checked,
                first_broken_id=head.last_entry_id,
                reason="truncated",
            )
        elif last_id is not None and not last_keyed:
            # Legacy entries must be sealed by a keyed one (migration 0003 writes it).
            result = ChainVerification(
                ok=False, checked=checked, first_broken_id=last_id, reason="unkeyed"
            )
        elif missing:
            result = ChainVerification(
                ok=False, checked=checked, first_broken_id=missing[0], reason="anchor_missing"
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
