"""The demo's invented statistics (make run): the dashboard has two months to show."""

import datetime

import pytest

from csce.analytics.demo import analytics_demo_load
from csce.analytics.models import DailyCount, Dimension, PageView
from csce.analytics.salts import local_day
from csce.pages.factories import page_of_type
from csce.pages.models import ServicePage

pytestmark = pytest.mark.django_db


def test_the_demo_invents_rolled_up_visits_of_the_real_pages_once(settings):
    # The loader counts whatever pages the site has: a few, in French and English.
    page_of_type(ServicePage)
    settings.ANALYTICS_DEMO_DAYS = 14

    assert analytics_demo_load() is True

    today = local_day()
    totals = DailyCount.objects.filter(dimension=Dimension.TOTAL)
    assert sorted(totals.values_list("day", flat=True)) == [
        today - datetime.timedelta(days=n) for n in range(14, 0, -1)
    ]
    assert sum(totals.values_list("views", flat=True)) == PageView.objects.count()
    # Both languages, and every counted page is a page of the site.
    assert set(
        DailyCount.objects.filter(dimension=Dimension.LANGUAGE).values_list("value", flat=True)
    ) == {"fr", "en"}
    for path in PageView.objects.values_list("path", flat=True).distinct():
        assert path.startswith(("/fr/", "/en/"))
    assert analytics_demo_load() is False  # idempotent: nothing added the second time
