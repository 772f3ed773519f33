"""User conduct: reports of a concern, comments on news articles, the moderators' actions
and the senders they block (policy U, R, X).

Nothing a visitor writes is public before a person approves it (policy U). What visitors
send is personal data (policy F, M): names, texts, addresses and the social media URL a
report points at are encrypted; an address is found through its blind index; a sender is
blocked by keyed hashes of their network and address, never the values themselves. The
retention job deletes what moderation has finished with after
``policy.MODERATION_RECORD_DAYS`` (csce/moderation/registry.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csce.common.fields import EncryptedTextField
from csce.common.models import BaseModel, CaseModel


class Category(models.TextChoices):
    """Policy U's prohibited conduct, and suspicious behaviour it asks visitors to report."""

    HARASSMENT = "harassment", _("Harassment")
    DISCRIMINATION = "discrimination", _("Discrimination")
    DEFAMATION = "defamation", _("Defamation")
    SPAM = "spam", _("Spam")
    MALICIOUS = "malicious", _("Malicious content (a dangerous link or file)")
    SUSPICIOUS = "suspicious", _("Suspicious behaviour")
    OTHER = "other", pgettext_lazy("concern category", "Other")


class Subject(models.TextChoices):
    """What a report is about."""

    PAGE = "page", _("A page of this website")
    COMMENT = "comment", _("A comment on this website")
    SOCIAL = "social", _("A post or account on one of the centre's social media")


class CommentState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("comment state", "Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("comment state", "Approved")
    REJECTED = "rejected", pgettext_lazy("comment state", "Rejected")
    HIDDEN = "hidden", pgettext_lazy("comment state", "Hidden")


class ReportState(models.TextChoices):
    OPEN = "open", pgettext_lazy("report state", "Open")
    CLOSED = "closed", pgettext_lazy("report state", "Closed")


class Reason(models.TextChoices):
    """Why a moderator acted (policy X: content is changed or removed for a stated
    reason). The code goes to the access log; a note of the moderator's own, encrypted,
    stays on the item's history."""

    WITHIN_RULES = "within_rules", _("Within the acceptable-use rules")
    HARASSMENT = "harassment", _("Harassment")
    DISCRIMINATION = "discrimination", _("Discrimination")
    DEFAMATION = "defamation", _("Defamation")
    SPAM = "spam", _("Spam or advertising")
    MALICIOUS = "malicious", _("Malicious content")
    PERSONAL_INFORMATION = "personal_information", _("Personal or health information about someone")
    OFF_TOPIC = "off_topic", _("Off topic")
    CORRECTION = "correction", _("Correction of a detail")
    SECURITY = "security", _("A security matter")
    HANDLED = "handled", _("Handled")
    OTHER = "other", pgettext_lazy("moderation reason", "Other (explained in the note)")


class ActionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    HIDE = "hide", _("Hidden")
    EDIT = "edit", _("Edited")
    DELETE = "delete", _("Deleted")
    BLOCK = "block", _("Sender blocked")
    ESCALATE = "escalate", _("Escalated to an incident")
    CLOSE = "close", pgettext_lazy("moderation action", "Closed")
    REOPEN = "reopen", pgettext_lazy("moderation action", "Reopened")


class Comment(CaseModel, BaseModel):
    """A visitor's comment on a news article: pending until a moderator approves it."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    name = EncryptedTextField(_("name"))
    text = EncryptedTextField(_("comment"))
    # Optional: lets the person find or erase their comment through the privacy portal.
    email = EncryptedTextField(_("e-mail address"), blank=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    # Keyed hash of the sender's network (csce.moderation.blocks), for a block.
    network_key = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CommentState.choices,
        default=CommentState.PENDING,
        db_index=True,
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Shown beside the comment: "edited by a moderator" (policy X).
    edited_at = models.DateTimeField(_("edited by a moderator"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "state"], name="moderation_comment_page")]
        permissions = [("moderate_comment", _("Can moderate comments and reports"))]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ConcernReport(CaseModel, BaseModel):
    """A visitor's report of inappropriate or suspicious behaviour (policy U)."""

    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    # The page's path on this site, or the social media post's or account's URL.
    url = EncryptedTextField(_("address"), blank=True)
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = EncryptedTextField(_("description"))
    # Optional: to acknowledge the report and answer it.
    contact = EncryptedTextField(_("contact e-mail address"), blank=True)
    contact_index = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    network_key = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=ReportState.choices,
        default=ReportState.OPEN,
        db_index=True,
    )
    incident_reference = models.CharField(_("incident"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("report of a concern")
        verbose_name_plural = _("reports of a concern")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ModerationAction(BaseModel):
    """One moderator's action on a comment or a report, with its reason (policy X). It
    outlives a deleted comment (the row keeps its id), so the history says what was done."""

    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    comment_id_kept = models.PositiveBigIntegerField(_("comment"), null=True, blank=True)
    report = models.ForeignKey(
        ConcernReport,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["comment_id_kept"], name="moderation_action_comment")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_reason_display()})"


class BlockKind(models.TextChoices):
    NETWORK = "network", _("Network")
    EMAIL = "email", _("E-mail address")


class SenderBlock(BaseModel):
    """A sender a moderator stopped from posting until ``until`` (policy U): a keyed
    hash only, deleted once expired."""

    kind = models.CharField(_("kind"), max_length=8, choices=BlockKind.choices)
    key = models.CharField(max_length=64, db_index=True)
    until = models.DateTimeField(_("blocked until"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.until:%Y-%m-%d}"
