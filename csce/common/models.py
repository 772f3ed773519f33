"""Shared model foundations: every domain model carries its creation and change times."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class CaseModel(models.Model):
    """A piece of work staff must answer: who has it, when it is due, when and by whom
    it was closed (policy R: respond promptly; the AED supervises). Inquiries and
    privacy requests share it; incidents and moderation reuse it."""

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def case_due_at(self):
        """The moment the answer is due; a model whose clock can move (an extension)
        overrides it."""
        return self.due_at

    @property
    def case_is_extended(self) -> bool:
        return False

    @property
    def case_clock_running(self) -> bool:
        """Whether the case still waits for its answer: until it is closed, unless the
        model stops the clock otherwise (a first answer given)."""
        return self.closed_at is None

    def case_is_overdue(self, *, now=None) -> bool:
        """Still waiting for its answer after the due moment."""
        due = self.case_due_at
        return self.case_clock_running and due is not None and due < (now or timezone.now())

    def case_days_left(self, *, now=None) -> int | None:
        """Whole days until the due day in the centre's time zone (0 on the day itself,
        negative once overdue), or None without a due date."""
        due = self.case_due_at
        if due is None:
            return None
        today = timezone.localtime(now or timezone.now()).date()
        return (timezone.localtime(due).date() - today).days


class Generation(models.Model):
    """A counter that only goes up: the content generation cached values are keyed by.

    Kept in the database, not the cache: a cache that forgets it cannot start it again
    at an older number and bring back pages cached before a change (policy M).
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    value = models.BigIntegerField(_("value"), default=1)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class RateCounter(models.Model):
    """Forms sent from one address in one window, under a keyed hash of the address.

    In the database so that a cache cull or restart does not reset the limit (policy M);
    never the address itself (policy P5). Rows past their window are deleted on write.
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("form rate counter")
        verbose_name_plural = _("form rate counters")

    def __str__(self) -> str:
        return self.key


class UsedChallenge(models.Model):
    """A solved anti-spam challenge already accepted once, until the challenge expires.

    In the database so that a replay is refused even after the cache forgot it.
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("used anti-spam challenge")
        verbose_name_plural = _("used anti-spam challenges")

    def __str__(self) -> str:
        return self.key
