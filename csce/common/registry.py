"""The personal-data registry (policy M, P3, P9-P10): each app declares its personal data.

Each app that holds personal data declares it here, from its own ``apps.py``: how to
find, export and erase it for a verified e-mail address, how to purge what is past its
retention, its purpose and retention for the privacy notice. The retention job, the
privacy-request workspace and the privacy notice read the registry; none of them
imports the apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class PersonalRecord:
    """One thing found for a person: enough to list it, nothing of its content."""

    source: str
    object_type: str
    object_id: str
    created_at: datetime.datetime | None
    summary: str  # e.g. the form's title; never a personal value


@dataclass(frozen=True)
class ExportedFile:
    """A file the person sent, for their export bundle (policy P10: access)."""

    name: str  # safe to use as a path inside the bundle; unique within its source
    content: bytes


@dataclass(frozen=True)
class CorrectableValue:
    """One value of a person's record that a correction may change (policy P10: correction)."""

    name: str
    label: str
    value: str
    multiline: bool = False


@dataclass(frozen=True)
class NoticeEntry:
    """A line of the privacy notice: what is collected, why, who sees it, how long."""

    title: str | Promise
    collected: str | Promise
    purpose: str | Promise
    recipients: str | Promise
    retention: str | Promise
    # Optional, so that sources written before them keep working.
    url: str = ""  # the page where the data is collected, if any
    retention_days: int | None = None


@dataclass(frozen=True)
class ScopeTarget:
    """Something a breach may have touched, for the officer to choose (policy P8): a form,
    the newsletter list... ``key`` is unique within its source."""

    key: str
    label: str | Promise


@dataclass(frozen=True)
class AffectedContact:
    """A person a breach's scope resolved to, with what it takes to notify them."""

    email: str
    name: str
    language: str  # "fr" or "en": the notice goes out in it
    object_type: str
    object_id: str
    # When the record was made: across sources, the most recent record gives the language.
    created_at: datetime.datetime | None = None
    # The registry sources the person was found in, once merged (keys only).
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScopeResolution:
    """What a source holds of a breach's scope: the people still held with an address,
    those held without one, and the records in scope already deleted (counted from the
    source's tombstones or purge records; ``purged_note`` says how, when only an upper
    bound or nothing can be known)."""

    contacts: list[AffectedContact] = field(default_factory=list)
    without_address: int = 0
    purged: int = 0
    purged_note: str | Promise = ""


def scope_period(
    *, starts_on: datetime.date, ends_on: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """A scope's days, inclusive, in the centre's time zone (policy P8): the first
    moment of ``starts_on`` and the first moment after ``ends_on``, for
    ``created_at__gte`` and ``created_at__lt``."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(
        ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, after


def scope_language(language: str | None) -> str:
    """A record's language as a notice's: "fr" or "en" (French, the default, otherwise)."""
    return "en" if (language or "").lower().startswith("en") else "fr"


@dataclass(frozen=True)
class PersonalDataSource:
    """What one app declares. The callables take keyword arguments only.

    - ``find(email=...)`` → list[PersonalRecord]
    - ``export(email=..., language=...)`` → list[dict] (plain values, for the person)
    - ``export_files(email=..., actor=...)`` → list[ExportedFile]: files the person sent
      (attachments), added to the export bundle beside the values
    - ``erase(email=..., actor=...)`` → int (records erased)
    - ``purge_expired(now=..., batch_size=...)`` → int (records deleted), idempotent,
      each batch in its own short transaction
    - ``oldest()`` → datetime of the oldest personal record held, or None
    - ``notice()`` → list[NoticeEntry] for the privacy notice
    - ``rotate_keys(batch_size=...)`` → int, for encrypted values outside model fields
    - ``correctable(email=..., object_id=..., actor=...)`` → list[CorrectableValue]: the
      values of one found record that a correction request may change (a logged read)
    - ``correct(email=..., object_id=..., changes={name: value}, actor=...)`` → list of
      the names changed (logged); both refuse a record that is not the person's
    - ``withdraw_consent(email=..., actor=...)`` → int: optional purposes the person had
      agreed to (newsletter...) that are now withdrawn (policy P9)
    - ``scope_targets()`` → list[ScopeTarget]: what of this source a breach may touch
    - ``scope_resolve(targets=[ScopeTarget.key...], starts_on=date, ends_on=date)`` →
      ScopeResolution: the records created in that range (inclusive, the centre's days)
    - ``group_receives(group_id=...)`` → bool: whether this source sends personal data to
      the members of that staff group (a form's inbox), so that giving the group to
      someone needs a second person's approval (policy F)

    ``erase_exception``, when set, says why the law requires keeping this source's records
    for the person: a privacy request's erasure then records the exception, not a deletion.
    ``automatic`` marks data collected without the person typing it (policy P4, P5): the
    notice lists it under "collected automatically".

    ``models`` names ("app_label.ModelName") the models that hold the source's personal
    data, and ``retention_days`` the longest it keeps a record: the system checks
    (csce/common/checks.py) keep both honest. ``legal_hold``, when set, says which law
    requires keeping the records longer than policy M's cap.
    """

    key: str
    label: str | Promise
    purpose: str | Promise
    retention: str | Promise
    find: Callable[..., list[PersonalRecord]] | None = None
    export: Callable[..., list[dict[str, Any]]] | None = None
    export_files: Callable[..., list[ExportedFile]] | None = None
    erase: Callable[..., int] | None = None
    purge_expired: Callable[..., int] | None = None
    oldest: Callable[[], datetime.datetime | None] | None = None
    notice: Callable[[], list[NoticeEntry]] | None = None
    rotate_keys: Callable[..., int] | None = None
    withdraw_consent: Callable[..., int] | None = None
    correctable: Callable[..., list[CorrectableValue]] | None = None
    correct: Callable[..., list[str]] | None = None
    group_receives: Callable[..., bool] | None = None
    scope_targets: Callable[[], list[ScopeTarget]] | None = None
    scope_resolve: Callable[..., ScopeResolution] | None = None
    erase_exception: str | Promise = ""
    automatic: bool = False
    models: tuple[str, ...] = ()
    # policy.WHILE_SUBSCRIBED_DAYS (infinite) when a record has no fixed end.
    retention_days: int | float | None = None
    legal_hold: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict)


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, PersonalDataSource] = {}

    def register(self, source: PersonalDataSource) -> PersonalDataSource:
        if source.key in self._sources and self._sources[source.key] != source:
            raise ValueError(f"A personal-data source named {source.key!r} is registered.")
        self._sources[source.key] = source
        return source

    def unregister(self, key: str) -> None:
        self._sources.pop(key, None)

    def get(self, key: str) -> PersonalDataSource:
        return self._sources[key]

    def __iter__(self) -> Iterable[PersonalDataSource]:
        return iter(sorted(self._sources.values(), key=lambda s: s.key))

    def __len__(self) -> int:
        return len(self._sources)


personal_data_registry = PersonalDataRegistry()


def group_receives_personal_data(*, group_id: int) -> bool:
    """Policy F: whether any registered source sends personal data to this staff group."""
    return any(
        source.group_receives(group_id=group_id)
        for source in personal_data_registry
        if source.group_receives is not None
    )


# The privacy notice version in force, for the consent records of other apps (policy P3:
# a consent names the notice it was given under). The privacy app provides it; apps that
# record consent ask here, not there.
_notice_version_provider: Callable[..., int | None] | None = None


def notice_version_provider_set(provider: Callable[..., int | None] | None) -> None:
    global _notice_version_provider
    _notice_version_provider = provider


def notice_version_in_force(*, language: str) -> int | None:
    """The number of the notice version visitors of ``language`` read now, or None."""
    return _notice_version_provider(language=language) if _notice_version_provider else None


# Whether the processors register declares an active e-mail delivery processor (policy F:
# every third party that receives data is declared). The privacy app provides it; the
# outbox and the newsletter ask here before handing anything to an e-mail provider.
_email_processor_declared_provider: Callable[[], bool] | None = None


def email_processor_declared_provider_set(provider: Callable[[], bool] | None) -> None:
    global _email_processor_declared_provider
    _email_processor_declared_provider = provider


def email_processor_declared() -> bool:
    """True when an active processor of the "E-mail delivery" kind is declared. Without
    the privacy app nothing can be declared: False (fail closed)."""
    provider = _email_processor_declared_provider
    return bool(provider()) if provider is not None else False
