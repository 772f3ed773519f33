"""The personal-data registry answers for the apps that registered, naming none of them."""

from __future__ import annotations

import pytest

from csce.common.registry import (
    PersonalDataSource,
    group_receives_personal_data,
    personal_data_registry,
)


@pytest.fixture
def inbox_source():
    """A source that sends personal data to one (unused) group id; unregistered afterwards."""
    source = PersonalDataSource(
        key="test_inbox",
        label="Test inbox",
        purpose="Test",
        retention="",
        retention_days=1,
        group_receives=lambda *, group_id: group_id == 987653,
    )
    personal_data_registry.register(source)
    yield source
    personal_data_registry.unregister(source.key)


@pytest.mark.django_db
def test_a_group_receives_personal_data_when_a_source_says_so(inbox_source):
    """Policy F: giving such a group to someone then needs a second person's approval."""
    assert group_receives_personal_data(group_id=987653)
    assert not group_receives_personal_data(group_id=987654)


@pytest.mark.django_db
def test_no_source_sends_to_a_group_nothing_routes_to():
    assert not group_receives_personal_data(group_id=987654)
