"""Test support for the notices (policy P8): a registry source whose breach scope is a
list of people the test controls, so the pages resolve a scope through the registry as
they do in production."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from csce.common.registry import (
    AffectedContact,
    PersonalDataSource,
    ScopeResolution,
    ScopeTarget,
    personal_data_registry,
)

SOURCE_KEY = "notices_test"
TARGET = f"{SOURCE_KEY}:all"


def _registry_walk(*, scope) -> list[AffectedContact]:
    """The scope's people through the registry's ``scope_resolve``, target by target."""
    found: list[AffectedContact] = []
    for target in scope.targets:
        key, _sep, name = target.partition(":")
        source = personal_data_registry.get(key)
        found.extend(
            source.scope_resolve(
                targets=[name], starts_on=scope.starts_on, ends_on=scope.ends_on
            ).contacts
        )
    return found


@contextlib.contextmanager
def scope_people() -> Iterator[list[AffectedContact]]:
    """Register the test source for the duration; the list it yields is its people (a
    scope's targets name ``TARGET``). Until csce/incidents/scope.py is present, the pages
    resolve a scope with the same walk over the registry."""
    from . import notice_views

    people: list[AffectedContact] = []
    source = PersonalDataSource(
        key=SOURCE_KEY,
        label="Test records",
        purpose="Tests",
        retention="Tests",
        scope_targets=lambda: [ScopeTarget(key="all", label="Everything")],
        scope_resolve=lambda *, targets, starts_on, ends_on: ScopeResolution(contacts=list(people)),
    )
    personal_data_registry.register(source)
    resolve = notice_views.scope_contacts
    try:
        from . import scope  # noqa: F401
    except ImportError:
        notice_views.scope_contacts = _registry_walk
    try:
        yield people
    finally:
        notice_views.scope_contacts = resolve
        personal_data_registry.unregister(SOURCE_KEY)
