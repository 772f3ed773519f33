"""The centre's online properties: its website and each social media account (policy P1,
O, M, R).

Policy O: the centre owns every online property and the AED manages them; R: the AED
supervises each and ensures it complies; M: password and authentication protocols cover
the social media accounts too. Each property names its owner, the staff who administer
it (who added each and when), whether multi-factor authentication (MFA) is on and when
that was last confirmed, and its quarterly access review. What the public footer and the
pages' ``sameAs`` show comes from here (csce/properties/public.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.models import BaseModel

REVIEW_DAYS = policy.PROPERTY_ACCESS_REVIEW_DAYS


class PropertyKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", _("Other")


class OnlinePropertyQuerySet(models.QuerySet):
    def review_overdue(self, *, today: datetime.date):
        return self.filter(next_review_due__lt=today)

    def review_due_by(self, *, day: datetime.date):
        return self.filter(next_review_due__lte=day)

    def in_footer(self):
        return self.filter(shown_in_footer=True).exclude(kind=PropertyKind.WEBSITE)


class OnlineProperty(BaseModel):
    kind = models.CharField(_("kind"), max_length=12, choices=PropertyKind.choices)
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("How staff and visitors know it, for example « Facebook du Centre »."),
    )
    url = models.URLField(_("address (URL)"), max_length=300, unique=True)
    handle = models.CharField(
        _("handle"),
        max_length=100,
        blank=True,
        help_text=_("The account's name on the network, for example @CSCEsante."),
    )
    # Policy O: owned by the centre, managed by the AED. PROTECT: staff accounts are
    # disabled, never deleted (the access log keeps its actors), so this never blocks.
    # Empty only for a property loaded before any staff account (the demo); the form
    # requires one.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member answerable for it: the AED unless another is named."),
    )
    mfa_enabled = models.BooleanField(
        _("multi-factor authentication is on"),
        default=False,
        help_text=_("Policy M: every administrator signs in with a second factor."),
    )
    mfa_confirmed_on = models.DateField(
        _("MFA last confirmed"),
        null=True,
        blank=True,
        help_text=_("The day someone checked, in the property's own settings, that MFA is on."),
    )
    last_review_on = models.DateField(_("last access review"), null=True, blank=True)
    next_review_due = models.DateField(_("next access review due"), null=True, blank=True)
    shown_in_footer = models.BooleanField(
        _("shown in the public footer"),
        default=False,
        help_text=_("Link to it from every page's footer (the website itself never is)."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the footer.")
    )

    objects = OnlinePropertyQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("online property")
        verbose_name_plural = _("online properties")

    def __str__(self) -> str:
        return self.name

    @property
    def review_overdue(self) -> bool:
        due = self.next_review_due
        return due is not None and due < timezone.localdate()

    @property
    def mfa_status(self) -> str:
        """In words (WCAG 1.4.1: never colour alone)."""
        if not self.mfa_enabled:
            return str(_("Off"))
        if self.mfa_confirmed_on is None:
            return str(_("On, never confirmed"))
        return str(_("On, confirmed %(date)s") % {"date": _date(self.mfa_confirmed_on)})

    @property
    def footer_status(self) -> str:
        """Whether visitors see it in the footer, in words (never a raw True/False)."""
        return str(_("Shown") if self.shown_in_footer else _("Not shown"))

    @property
    def review_status(self) -> str:
        """The next review's date, and « overdue » in words when it is past."""
        due = self.next_review_due
        if due is None:
            return str(_("Not scheduled"))
        if self.review_overdue:
            return str(_("Overdue since %(date)s") % {"date": _date(due)})
        return _date(due)


def _date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


class PropertyAdministrator(models.Model):
    """A staff member who administers a property, with who added them and when (policy
    R: the AED knows at any moment who can publish as the centre)."""

    online_property = models.ForeignKey(
        OnlineProperty,
        verbose_name=_("online property"),
        on_delete=models.CASCADE,
        related_name="administrator_links",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administrator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("property administrator")
        verbose_name_plural = _("property administrators")
        constraints = [
            models.UniqueConstraint(
                fields=["online_property", "user"], name="property_administrator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.online_property} — {self.user}"
