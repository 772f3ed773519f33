import pytest

from csce.analytics import collection
from csce.analytics import salts as daily_salts
from csce.analytics.factories import FIREFOX, IPHONE, beacon_post

__all__ = ["FIREFOX", "IPHONE", "beacon_post"]


@pytest.fixture(autouse=True)
def _fresh_salts():
    """Each test starts with no salt in this process's memory (the database is rolled back)."""
    daily_salts._salts.clear()
    collection.beacon_rates_forget()
    yield
    daily_salts._salts.clear()
    collection.beacon_rates_forget()
