"""The newsletter's records (policy P3, P7, F; CASL).

- ``Topic``: what a subscriber may choose to hear about, named in both languages.
- ``Subscriber``: an address (encrypted, found by its blind index), an optional first
  name (encrypted), a language and topics; pending until the e-mailed link is followed.
- ``ConsentRecord``: the proof of consent CASL asks the sender to keep: when, the exact
  wording and its version, the privacy notice version in force, the method and a
  truncated address of the request and of the confirmation.
- ``Suppression``: after an unsubscribe (or an erasure), only a keyed hash of the address,
  so that it is never added again without a new, confirmed opt-in.
- ``Campaign`` and ``CampaignDelivery``: a message in French and English, and one row per
  subscriber it goes to, unique, so that each gets it exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from csce.common.crypto import blind_index, normalise_email
from csce.common.fields import EncryptedTextField

from .blocks import CampaignBodyBlock

LANGUAGES = [("fr", _("French")), ("en", _("English"))]


class Topic(models.Model):
    key = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name in French"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Shown on the subscription form.")
    )

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("newsletter topic")
        verbose_name_plural = _("newsletter topics")

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        return self.name_en if (language or get_language() or "fr")[:2] == "en" else self.name


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")


class Subscriber(models.Model):
    email = EncryptedTextField(_("e-mail address"))
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    first_name = EncryptedTextField(_("first name"), blank=True, default="")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="fr")
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The last confirmation e-mail: at most one per address and hour (CASL, policy M).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A random secret carried by the signed links (confirm, preferences, unsubscribe), so
    # that a link dies with the subscription and never holds the address.
    link_key = models.CharField(max_length=43, unique=True, editable=False)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        # Never the address: this string reaches logs and the admin's messages.
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == SubscriberStatus.CONFIRMED


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Subscription form on the website, confirmed by e-mail")
    FORM_OPTION = "form_option", _("Option ticked on a form of the website, confirmed by e-mail")


class ConsentRecord(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    wording_version = models.CharField(_("wording version"), max_length=20)
    # The words the person agreed to, as shown to them (no personal value in them).
    wording = models.TextField(_("wording"))
    notice_version = models.PositiveIntegerField(_("privacy notice version"), null=True)
    # A truncated address (IPv4 /24, IPv6 /48): enough to show where the request came
    # from, not enough to point at one household (policy P5).
    request_network = models.CharField(_("network of the request"), max_length=64, blank=True)
    confirmation_network = models.CharField(
        _("network of the confirmation"), max_length=64, blank=True
    )
    page_url = models.CharField(_("page"), max_length=500, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    ERASED = "erased", _("Erased on request")
    WITHDRAWN = "withdrawn", _("Consent withdrawn through the privacy portal")


# The blind-index kind of the suppression list: not the subscribers' lookup index, so the
# two cannot be joined.
SUPPRESSION_INDEX_KIND = "newsletter-suppression"


def suppression_hash(email: str) -> str:
    """The keyed hash the suppression list holds for an address (HMAC-SHA256 under
    BLIND_INDEX_KEY of the normalised address): a copy of the database alone cannot tell
    whose it is (policy P5). Unsubscribing writes it; subscribing and sending read it."""
    return blind_index(normalise_email(email), kind=SUPPRESSION_INDEX_KIND)


class Suppression(models.Model):
    address_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=16, choices=SuppressionReason.choices)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(models.Model):
    title = models.CharField(_("internal name"), max_length=120, help_text=_("Seen by staff only."))
    # Each language may be drafted before the other (saved empty); sending waits for both
    # (policy P2: composing.campaign_missing_languages, checked by campaign_schedule).
    subject = models.CharField(_("subject in French"), max_length=150, blank=True)
    subject_en = models.CharField(_("subject in English"), max_length=150, blank=True)
    body = StreamField(CampaignBodyBlock(), verbose_name=_("message in French"), blank=True)
    body_en = StreamField(CampaignBodyBlock(), verbose_name=_("message in English"), blank=True)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="campaigns",
        verbose_name=_("topics"),
        help_text=_(
            "Sent to the subscribers of any of these topics, and to those who chose no "
            "topic. None chosen: sent to every subscriber."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter campaign")
        verbose_name_plural = _("newsletter campaigns")
        permissions = [("send_campaign", _("Can send newsletter campaigns"))]

    def __str__(self) -> str:
        return self.title

    def subject_in(self, language: str) -> str:
        return self.subject_en if language == "en" else self.subject

    def body_in(self, language: str):
        return self.body_en if language == "en" else self.body

    @property
    def editable(self) -> bool:
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent: unsubscribed meanwhile")


class CampaignDelivery(models.Model):
    """One campaign to one subscriber: written once when the send starts (unique), claimed
    by one worker at a time, marked sent the moment the mail server accepts it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    # Null once the subscriber is gone (unsubscribed, erased): a waiting row is skipped.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    language = models.CharField(max_length=8, choices=LANGUAGES)
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The random token of the claim that took the row: a worker claims a few rows in one
    # statement and then reads back exactly those it won.
    claim = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    # The exception's class and SMTP code only, never an address.
    last_error = models.CharField(max_length=200, blank=True)
    # The same Message-ID on every try, so that a mail system that got a message twice
    # (a worker killed between the server's acceptance and our record of it) shows it once.
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("campaign delivery")
        verbose_name_plural = _("campaign deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_one_delivery_each"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "state", "next_attempt_at"], name="newsletter_delivery_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
