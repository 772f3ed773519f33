"""The demo's online properties (policy P1): the website and three social accounts, shown
in the footer, once."""

from __future__ import annotations

import pytest

from csce.accounts.factories import staff_user
from csce.common.roles import AED
from csce.properties.demo import properties_demo_load
from csce.properties.models import OnlineProperty, PropertyKind

pytestmark = pytest.mark.django_db


def test_the_demo_registers_the_website_and_three_accounts_once():
    aed = staff_user(role=AED)
    assert properties_demo_load() is True
    kinds = list(OnlineProperty.objects.values_list("kind", flat=True))
    assert kinds.count(PropertyKind.WEBSITE) == 1
    assert len(kinds) == 4
    assert set(OnlineProperty.objects.values_list("owner", flat=True)) == {aed.pk}
    assert OnlineProperty.objects.in_footer().count() == 3
    assert properties_demo_load() is False
    assert OnlineProperty.objects.count() == 4
