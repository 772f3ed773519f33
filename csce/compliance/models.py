"""The compliance view's own records (policy R): the permission to read it, and one row
per ISO week for the weekly digest, so that it goes exactly once a week whatever the
restarts and the number of nodes. Counts and indicator keys only, never a personal value.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from csce.common.models import BaseModel


class ComplianceDigest(BaseModel):
    """The weekly digest of one ISO week: created in the transaction that writes its
    e-mails to the outbox, so a second node (or a second run) finds the week taken."""

    week = models.CharField(_("ISO week"), max_length=8, unique=True)  # "2026-W49"
    read_at = models.DateTimeField(_("indicators read"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    not_holding = models.PositiveIntegerField(_("indicators that do not hold"), default=0)
    # The keys of the indicators that were amber or red (csce/common/compliance.py).
    indicator_keys = models.JSONField(_("indicators sent"), default=list, blank=True)

    class Meta:
        verbose_name = _("weekly compliance digest")
        verbose_name_plural = _("weekly compliance digests")
        ordering = ["-week"]
        default_permissions = ()
        permissions = [("view_compliance", _("Can see whether the policy holds"))]

    def __str__(self) -> str:
        return self.week
