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


@contextlib.contextmanager
def scope_people() -> Iterator[list[AffectedContact]]:
    """Register the test source for the duration; the list it yields is its people (a
    scope's targets name ``TARGET``); the pages resolve it through the registry as in
    production."""
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
    try:
        yield people
    finally:
        personal_data_registry.unregister(SOURCE_KEY)
