"""Two months of invented page views for the demo, so the statistics dashboard shows
what it will look like (`make run`). Invented, deterministic, rolled up like real ones;
the raw events are purged after 90 days like any others."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from .models import DailyCount, Device, PageView, Screen
from .rollups import rollup_day
from .salts import local_day

REFERRERS = ["", "", "", "google.com", "bing.com", "ontario.ca", "facebook.com", "duckduckgo.com"]
SOFTWARE = [  # (browser, version, OS, device), the commonest first
    ("Chrome", "131", "Windows", Device.DESKTOP),
    ("Mobile Safari", "18", "iOS", Device.MOBILE),
    ("Chrome Mobile", "131", "Android", Device.MOBILE),
    ("Edge", "131", "Windows", Device.DESKTOP),
    ("Safari", "18", "Mac OS X", Device.DESKTOP),
    ("Firefox", "133", "Windows", Device.DESKTOP),
    ("Mobile Safari", "18", "iOS", Device.TABLET),
    ("Samsung Internet", "27", "Android", Device.MOBILE),
]
SCREENS = {
    Device.DESKTOP: [Screen.LARGE, Screen.WIDE],
    Device.MOBILE: [Screen.SMALL],
    Device.TABLET: [Screen.MEDIUM],
}


def _pages() -> list[tuple[str, str]]:
    pages = Page.objects.live().public().filter(depth__gt=1).select_related("locale")
    found = []
    for page in pages.order_by("path")[:60]:
        url = page.get_url()
        if url and url.startswith("/"):
            found.append((url, page.locale.language_code))
    return found


def analytics_demo_load(*, stdout: TextIO | None = None) -> bool:
    days = settings.ANALYTICS_DEMO_DAYS
    if not days or PageView.objects.exists() or DailyCount.objects.exists():
        return False
    pages = _pages()
    if not pages:
        return False
    rng = random.Random(6)  # noqa: S311 (invented demo figures, the same every time)
    today = local_day()
    weights = [1 / (rank + 1) for rank in range(len(pages))]  # a few pages are read most
    views = []
    for offset in range(days, 0, -1):
        day = today - datetime.timedelta(days=offset)
        weekday_factor = 0.45 if day.weekday() >= 5 else 1.0
        visitors = int(rng.randint(40, 70) * weekday_factor)
        noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        for visitor in range(visitors):
            browser, version, os_family, device = rng.choices(
                SOFTWARE, weights=[30, 22, 18, 10, 8, 6, 4, 2]
            )[0]
            screen = rng.choice(SCREENS[device])
            referrer = rng.choice(REFERRERS)
            # A visit: an entry page, then a few pages in the same language.
            entry_url, language = rng.choices(pages, weights=weights)[0]
            same_language = [page for page in pages if page[1] == language]
            visit = [entry_url] + [rng.choice(same_language)[0] for _ in range(rng.randint(0, 3))]
            for position, url in enumerate(visit):
                views.append(
                    PageView(
                        occurred_at=noon + datetime.timedelta(minutes=visitor, seconds=position),
                        day=day,
                        path=url,
                        language=language,
                        referrer_host=referrer if position == 0 else "",
                        browser=browser,
                        browser_version=version,
                        os=os_family,
                        device=device,
                        screen=screen,
                        entry=position == 0,
                        visitor=rng.getrandbits(63),  # invented: no salt, no address
                    )
                )
    PageView.objects.bulk_create(views, batch_size=2000)
    for offset in range(days, 0, -1):
        rollup_day(today - datetime.timedelta(days=offset))
    if stdout is not None:
        stdout.write(f"Website statistics: {len(views)} invented page views over {days} days.\n")
    return True
