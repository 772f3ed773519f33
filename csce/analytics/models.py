"""First-party, cookie-less web analytics (policy P4, P5, M).

Three tables. ``DailySalt`` holds the one random key of the current day, deleted at
rotation, so a visitor hash can never be recomputed once its day is over. ``PageView``
is one raw page view: pseudonymous (the visitor hash), no IP address, no cookie; deleted
after 90 days through the personal-data registry. ``DailyCount`` holds the daily
rollups the dashboard reads; they hold no visitor hash and are kept.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from csce.common import policy

RAW_EVENT_RETENTION_DAYS = policy.RETENTION_CAP_DAYS


class DailySalt(models.Model):
    """The random key of one day's visitor hashes; only today's row ever exists."""

    day = models.DateField(_("day"), unique=True)
    salt = models.BinaryField(_("salt"), max_length=32)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:  # never the salt itself
        return f"salt of {self.day:%Y-%m-%d}"


class Device(models.TextChoices):
    DESKTOP = "desktop", _("Computer")
    MOBILE = "mobile", _("Phone")
    TABLET = "tablet", _("Tablet")
    OTHER = "other", _("Other")


class Screen(models.TextChoices):
    SMALL = "small", _("Small (under 576 px)")
    MEDIUM = "medium", _("Medium (576 to 991 px)")
    LARGE = "large", _("Large (992 to 1439 px)")
    WIDE = "wide", _("Wide (1440 px and more)")
    UNKNOWN = "", _("Unknown")


class PageView(models.Model):
    """One counted page view. Pseudonymous: ``visitor`` is a keyed hash that changes every
    day with a salt that is then destroyed; nothing here names or locates a person."""

    occurred_at = models.DateTimeField(_("time"))
    day = models.DateField(_("day"), db_index=True)  # local day (settings.TIME_ZONE)
    path = models.CharField(_("page"), max_length=500)
    language = models.CharField(_("language"), max_length=8, blank=True)
    referrer_host = models.CharField(_("referring site"), max_length=253, blank=True)
    browser = models.CharField(_("browser"), max_length=50, blank=True)
    browser_version = models.CharField(_("browser version"), max_length=10, blank=True)
    os = models.CharField(_("operating system"), max_length=50, blank=True)
    device = models.CharField(_("device"), max_length=10, choices=Device.choices)
    screen = models.CharField(_("screen size"), max_length=10, choices=Screen.choices, blank=True)
    # The first page of a visit: the person arrived from another site or typed the address.
    entry = models.BooleanField(_("entry page"), default=False)
    visitor = models.BigIntegerField(_("visitor hash"))

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.path}"


class Dimension(models.TextChoices):
    TOTAL = "total", _("All pages")
    PAGE = "page", _("Pages")
    ENTRY = "entry", _("Entry pages")
    REFERRER = "referrer", _("Referring sites")
    BROWSER = "browser", _("Browsers")
    BROWSER_VERSION = "browser_version", _("Browser versions")
    OS = "os", _("Operating systems")
    DEVICE = "device", _("Devices")
    SCREEN = "screen", _("Screen sizes")
    LANGUAGE = "language", _("Languages")


class DailyCount(models.Model):
    """One line of a day's rollup: the views and unique visitors of one value of one
    dimension (a page, a browser...). ``language`` is the page language for pages and
    entry pages, empty otherwise. Visitors are unique within the day only: hashes of two
    days cannot be linked, by design."""

    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    value = models.CharField(_("value"), max_length=500, blank=True)
    views = models.PositiveIntegerField(_("views"))
    visitors = models.PositiveIntegerField(_("visitors"))

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "language", "value"], name="analytics_daily_count_key"
            )
        ]
        indexes = [models.Index(fields=["dimension", "day"], name="analytics_count_dim_day")]
        permissions = [
            ("view_statistics", _("Can see the website statistics")),
            # Policy R: how long staff take to answer the public (no personal data).
            ("view_engagement", _("Can see the response times")),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.dimension} {self.value}"


class RollupRun(models.Model):
    """When a day was last rolled up, so the job knows what is left to do."""

    day = models.DateField(_("day"), unique=True)
    rolled_up_at = models.DateTimeField(_("rolled up at"))
    events = models.PositiveIntegerField(_("page views"))

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")

    def __str__(self) -> str:
        return f"rollup of {self.day:%Y-%m-%d}"
