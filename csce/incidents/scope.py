"""Finding the people a privacy breach affected (policy P8; PHIPA s.12(2): each person is
notified at the first reasonable opportunity).

The officer says what the breach touched (the personal-data registry's scope targets: a
form, the newsletter list, the privacy requests) and over which days; each registry
source resolves its part; the people are merged across sources by the blind index of
their address, once each. The scope keeps the counts only: the addresses are
re-resolved when the notices are sent (``breach_scope_contacts``), and every resolution,
which decrypts them, is a read in the access log (ids and counts, never a value).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from csce.audit.reads import personal_data_read
from csce.common.crypto import blind_index
from csce.common.registry import (
    AffectedContact,
    ScopeResolution,
    ScopeTarget,
    personal_data_registry,
)

from .models import BreachScope, EventKind, Incident
from .services import IncidentError, incident_event_add

SCOPE_TYPE = "incidents.breachscope"
SEPARATOR = ":"


@dataclass(frozen=True)
class ScopeTargetGroup:
    """One registry source's targets, for the officer to choose: ``targets`` carry the
    full key, "<source key>:<target key>"."""

    source: str
    label: str
    targets: list[ScopeTarget] = field(default_factory=list)


def _scope_sources() -> list:
    return [
        source
        for source in personal_data_registry
        if source.scope_targets is not None and source.scope_resolve is not None
    ]


def breach_scope_targets() -> list[ScopeTargetGroup]:
    """Every registered source's targets, grouped by source, in the order of the sources'
    names (in the active language); a source with nothing to touch is left out."""
    groups = []
    for source in _scope_sources():
        targets = [
            ScopeTarget(key=f"{source.key}{SEPARATOR}{target.key}", label=str(target.label))
            for target in source.scope_targets()
        ]
        if targets:
            groups.append(
                ScopeTargetGroup(source=source.key, label=str(source.label), targets=targets)
            )
    return sorted(groups, key=lambda group: group.label.casefold())


def _today() -> datetime.date:
    return timezone.localdate()


def breach_scope_validate(
    *, targets: list[str], starts_on: datetime.date | None, ends_on: datetime.date | None
) -> dict[str, list[str]]:
    """Refuse a scope that cannot be resolved, said in the staff member's language:
    no target, a target the registry does not offer, days in the future or out of order.
    Returns the targets' keys by source."""
    if not targets:
        raise IncidentError(gettext("Choose at least one thing the breach touched."))
    known = {target.key for group in breach_scope_targets() for target in group.targets}
    if any(target not in known for target in targets):
        raise IncidentError(gettext("One of the chosen items no longer exists: choose again."))
    if starts_on is None or ends_on is None:
        raise IncidentError(gettext("Give the first and the last day of the period."))
    if ends_on < starts_on:
        raise IncidentError(gettext("The last day of the period comes before the first."))
    if ends_on > _today():
        raise IncidentError(gettext("The period cannot end in the future."))
    by_source: dict[str, list[str]] = {}
    for target in targets:
        source, _sep, key = target.partition(SEPARATOR)
        by_source.setdefault(source, []).append(key)
    return by_source


@dataclass
class _Merged:
    contacts: dict[str, AffectedContact] = field(default_factory=dict)
    read: dict[str, list[str]] = field(default_factory=dict)

    def add(self, contact: AffectedContact, *, source: str) -> None:
        """One person once (the blind index of their address): the most recent record
        gives the address, name and language; the sources add up."""
        self.read.setdefault(contact.object_type, []).append(contact.object_id)
        index = blind_index(contact.email)
        if not index:
            return
        found = self.contacts.get(index)
        if found is None:
            self.contacts[index] = replace(contact, sources=(source,))
            return
        sources = tuple(dict.fromkeys((*found.sources, source)))
        newer = _is_newer(contact, found)
        latest, other = (contact, found) if newer else (found, contact)
        self.contacts[index] = replace(latest, name=latest.name or other.name, sources=sources)


def _is_newer(contact: AffectedContact, than: AffectedContact) -> bool:
    if contact.created_at is None:
        return False
    return than.created_at is None or contact.created_at > than.created_at


def _resolve(
    *, by_source: dict[str, list[str]], starts_on: datetime.date, ends_on: datetime.date
) -> tuple[_Merged, dict[str, ScopeResolution]]:
    merged = _Merged()
    resolutions: dict[str, ScopeResolution] = {}
    for source_key, keys in sorted(by_source.items()):
        source = personal_data_registry.get(source_key)
        resolution = source.scope_resolve(targets=keys, starts_on=starts_on, ends_on=ends_on)
        resolutions[source_key] = resolution
        for contact in resolution.contacts:
            merged.add(contact, source=source_key)
    return merged, resolutions


def _note_in_each_language(note) -> dict[str, str]:
    """A source's note as the staff of either language will read it later."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(note)
    return texts


def _counts(*, merged: _Merged, resolutions: dict[str, ScopeResolution]) -> dict:
    per_source = {}
    notes = []
    for key, resolution in resolutions.items():
        people = {blind_index(contact.email) for contact in resolution.contacts} - {""}
        per_source[key] = {
            "records": len(resolution.contacts) + resolution.without_address,
            "held": len(people),
            "without_address": resolution.without_address,
            "purged": resolution.purged,
        }
        if str(resolution.purged_note):
            notes.append({"source": key, **_note_in_each_language(resolution.purged_note)})
    return {
        "held": len(merged.contacts),
        "records": sum(counts["records"] for counts in per_source.values()),
        "without_address": sum(counts["without_address"] for counts in per_source.values()),
        "purged": sum(counts["purged"] for counts in per_source.values()),
        "per_source": per_source,
        "notes": notes,
    }


def _read_logged(*, scope: BreachScope, merged: _Merged, actor, reason: str) -> None:
    """The resolution decrypted the addresses: a read of personal data (policy F), which
    names the records read by id, never a value."""
    personal_data_read(
        actor=actor,
        record=scope,
        object_type=SCOPE_TYPE,
        object_id=scope.pk,
        details={
            "reason": reason,
            "incident": scope.incident_id,
            "count": len(merged.contacts),
            "ids": dict(sorted(merged.read.items())),
        },
    )


def breach_scope_resolve(
    *,
    incident: Incident,
    targets: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
) -> BreachScope:
    """Resolve what the breach touched to the people it affected and keep the counts
    (policy P8). Nothing is sent here: the notices read the latest scope.

    The timeline says that the people were found, with the counts; the access log holds
    the read of their addresses. An incident whose number of people affected was not
    yet assessed takes the people found (with an address or not)."""
    if not incident.is_breach:
        raise IncidentError(gettext("Only a privacy breach has people to notify."))
    targets = list(dict.fromkeys(targets))
    by_source = breach_scope_validate(targets=targets, starts_on=starts_on, ends_on=ends_on)
    merged, resolutions = _resolve(by_source=by_source, starts_on=starts_on, ends_on=ends_on)
    counts = _counts(merged=merged, resolutions=resolutions)
    with transaction.atomic():
        scope = BreachScope.objects.create(
            incident=incident,
            created_by=actor,
            targets=targets,
            starts_on=starts_on,
            ends_on=ends_on,
            counts=counts,
        )
        details = {
            "scope": scope.pk,
            **{key: counts[key] for key in ("held", "records", "without_address", "purged")},
        }
        if incident.people_affected is None:
            incident.people_affected = counts["held"] + counts["without_address"]
            incident.save(update_fields=["people_affected", "updated_at"])
            details["people_affected"] = incident.people_affected
        incident_event_add(incident=incident, kind=EventKind.SCOPE, actor=actor, details=details)
        _read_logged(scope=scope, merged=merged, actor=actor, reason="breach_scope")
    return scope


def breach_scope_contacts(*, scope: BreachScope, actor=None) -> list[AffectedContact]:
    """The people of a stored scope, resolved again from the registry (the scope keeps no
    address): one contact per person, with the sources they were found in. A person whose
    record was deleted since is no longer found. The read is logged."""
    by_source: dict[str, list[str]] = {}
    for target in scope.targets:
        source, _sep, key = target.partition(SEPARATOR)
        by_source.setdefault(source, []).append(key)
    offered = {source.key for source in _scope_sources()}
    by_source = {key: keys for key, keys in by_source.items() if key in offered}
    merged, _resolutions = _resolve(
        by_source=by_source, starts_on=scope.starts_on, ends_on=scope.ends_on
    )
    _read_logged(scope=scope, merged=merged, actor=actor, reason="breach_notices")
    return list(merged.contacts.values())
