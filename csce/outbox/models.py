"""The outbox: every e-mail the site sends is a row here first, then the task worker
delivers it (policy M: nothing slow on the request path; F: personal values encrypted).

The recipients and the whole message are encrypted; the first recipient's blind index
lets a privacy request find the row and the portal count its messages per address. When
a message has gone out its content and recipients are wiped at once; the row (kind,
state, times, the index) goes with the retention job.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.fields import EncryptedJSONField

# The row of a message (no content once sent) is kept this long for the backlog view and
# the per-address limits; a failed message's content too, so that staff may retry it.
OUTBOX_RECORD_DAYS = 7


class OutboxState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    # What the sending code calls the message ("privacy.verification"...), and the id of
    # its own row, so that it can tell what became of it; never a personal value.
    kind = models.CharField(_("kind"), max_length=64, blank=True, db_index=True)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    recipient_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    recipients = EncryptedJSONField(null=True, editable=False)
    content = EncryptedJSONField(null=True, editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=OutboxState.choices, default=OutboxState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The exception's class and the SMTP code only: never an address or the text.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
