"""The privacy app's records: processors, notice versions and privacy-rights requests.

Policy P3 (a privacy notice), F (never sold; shared only with the processors listed
here), P9–P10 (privacy rights; PHIPA deadlines). A request exists only once its
address is verified (``PrivacyRequestVerification`` holds the unverified form, encrypted,
for 7 days); its personal parts are encrypted and it is deleted 24 months after closing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin

from csce.common import policy
from csce.common.fields import EncryptedJSONField, EncryptedTextField
from csce.common.models import BaseModel, CaseModel

# PHIPA s.54 deadlines and the privacy records' lifetimes: csce/common/policy.py.
RESPONSE_DAYS = policy.PHIPA_RESPONSE_DAYS
MAX_EXTENSION_DAYS = policy.PHIPA_EXTENSION_MAX_DAYS
REMINDER_DAYS_BEFORE = policy.PHIPA_REMINDER_DAYS_BEFORE
VERIFICATION_DAYS = policy.PRIVACY_VERIFICATION_LINK_DAYS
RECORD_RETENTION_DAYS = policy.PRIVACY_RECORD_RETENTION_DAYS
EXPORT_LINK_DAYS = policy.PRIVACY_EXPORT_LINK_DAYS


class ProcessorCategory(models.TextChoices):
    HOSTING = "hosting", _("Website hosting")
    ANALYTICS = "analytics", _("Web analytics")
    EMAIL = "email", _("E-mail delivery")
    OTHER = "other", _("Other service")


class Processor(TranslatableMixin, BaseModel):
    """A third party that receives data from the website (policy F), shown in the notice."""

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("kind of service"), max_length=16, choices=ProcessorCategory.choices
    )
    data_received = models.TextField(
        _("what it receives"),
        max_length=1000,
        help_text=_("E.g. the site's files and database, encrypted; the pages visited."),
    )
    purpose = models.TextField(_("why"), max_length=1000)
    location = models.CharField(
        _("where it is located"),
        max_length=200,
        help_text=_("Country and region where the data is kept, e.g. Montréal, Canada."),
    )
    agreement_date = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_reference = models.CharField(_("agreement reference"), max_length=200, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active processors appear in the notice.")
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("processor")
        verbose_name_plural = _("processors")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class PrivacyNoticeVersion(models.Model):
    """One published state of the notice in one language: what it said, from when.

    A version is recorded when the notice page is published and whenever the sections
    generated from the live system change; past versions stay readable (policy P3, V).
    """

    language = models.CharField(_("language"), max_length=8)
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("in force since"), default=timezone.now)
    summary = models.TextField(_("summary of changes"), blank=True)
    # True: recorded because the live configuration changed, not by an editor.
    automatic = models.BooleanField(_("automatic"), default=False)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    # The whole notice as visitors read it then (editorial text and generated sections).
    html = models.TextField(_("content"))
    # Of the generated sections only: a change of the live system makes a new version.
    sections_hash = models.CharField(max_length=64)
    # One hash per generated section, so that an automatic version says which changed.
    section_hashes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "number"], name="privacy_notice_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} v{self.number}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See my information (access)")
    CORRECTION = "correction", _("Correct my information")
    DELETION = "deletion", _("Delete my information")
    WITHDRAWAL = "withdrawal", _("Withdraw my consent")
    COMPLAINT = "complaint", _("Make a complaint")
    OTHER = "other", _("Another question about my privacy")


class RequestChannel(models.TextChoices):
    """How the request reached the centre (policy P9: by any channel, answered on time)."""

    WEB = "web", _("Online form")
    PHONE = "phone", _("Telephone")
    MAIL = "mail", _("Mail")
    IN_PERSON = "in_person", _("In person")
    CONTACT_FORM = "contact_form", _("Contact form")


# The channels the Privacy Officer records by hand (the others arrive by themselves).
LOGGED_CHANNELS = (RequestChannel.PHONE, RequestChannel.MAIL, RequestChannel.IN_PERSON)


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class RequestOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")
    NO_DATA = "no_data", _("No information held")
    WITHDRAWN = "withdrawn", _("Withdrawn by the requester")
    ANSWERED = "answered", _("Answered")


class PrivacyRequestVerification(models.Model):
    """A request form sent but not yet confirmed from its address: not a request yet.

    Everything the visitor typed is encrypted in ``payload``; the row goes when the
    address is confirmed or, unconfirmed, after 7 days (the retention job).
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    payload = EncryptedJSONField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("unconfirmed privacy request")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class PrivacyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=RequestStatus.CLOSED)


class PrivacyRequest(CaseModel):
    """A verified privacy-rights request and its PHIPA clock (policy P9, P10); a case
    like an inquiry (assigned to, due, closed at and by), due from the moment it exists."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("request"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    channel = models.CharField(
        _("received by"), max_length=16, choices=RequestChannel.choices, default="web"
    )
    # A request by telephone, mail or in person may come without an address: the
    # Privacy Officer answers it by the way it came.
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_index = models.CharField(max_length=64, db_index=True, editable=False)
    name = EncryptedTextField(_("name"), blank=True)
    contact_details = EncryptedTextField(_("telephone or postal address"), blank=True)
    details = EncryptedTextField(_("details"), blank=True)
    # The contact-form inquiry this request was converted from (its content moved here).
    source_submission = models.ForeignKey(
        "submissions.Submission",
        verbose_name=_("converted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    received_at = models.DateTimeField(_("received"))
    # The clock's start (PHIPA s.54): the address confirmed online, or the identity the
    # Privacy Officer checked for a request by telephone, mail, in person or converted.
    verified_at = models.DateTimeField(_("address confirmed"))
    due_at = models.DateTimeField(_("answer due"))
    extended_due_at = models.DateTimeField(_("extended to"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended on"), null=True, blank=True)
    reminder_7_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_2_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which version of the privacy notice was in force when the request was confirmed.
    notice_version = models.PositiveIntegerField(_("notice version"), null=True, blank=True)

    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RequestOutcome.choices, blank=True
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-verified_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def identity_checked_by_officer(self) -> bool:
        return self.channel != RequestChannel.WEB

    @property
    def effective_due_at(self) -> datetime.datetime:
        return self.extended_due_at or self.due_at

    @property
    def is_extended(self) -> bool:
        return self.extended_due_at is not None

    def is_overdue(self, *, now: datetime.datetime | None = None) -> bool:
        return self.case_is_overdue(now=now)

    # The shared case clock (the list's due column): the extended date once extended.
    @property
    def case_due_at(self) -> datetime.datetime:
        return self.effective_due_at

    @property
    def case_is_extended(self) -> bool:
        return self.is_extended

    @property
    def case_clock_running(self) -> bool:
        return self.status != RequestStatus.CLOSED


class EventKind(models.TextChoices):
    VERIFIED = "verified", _("Address confirmed")
    LOGGED = "logged", _("Logged by the Privacy Officer")
    CONVERTED = "converted", _("Converted from a contact-form inquiry")
    ACKNOWLEDGED = "acknowledged", _("Acknowledgement sent")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn everywhere")
    DISCOVERY = "discovery", _("Information searched")
    EXPORT = "export", _("Export prepared")
    EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
    ERASURE = "erasure", _("Information erased")
    CORRECTION = "correction", _("Information corrected")
    EXTENSION = "extension", _("Deadline extended")
    LETTER = "letter", _("Letter sent")
    REMINDER = "reminder", _("Reminder sent")
    NOTE = "note", _("Note")
    STATUS = "status", _("Status changed")
    CLOSED = "closed", _("Closed")


class PrivacyRequestEvent(models.Model):
    """What happened to a request, in order. ``details`` holds counts, source keys and
    ids, never a personal value; free text (notes, letters) is encrypted."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    details = models.JSONField(default=dict, blank=True)
    text = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request event")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ExportBundle(models.Model):
    """The requester's data, ready for one download through an expiring link; the
    content is encrypted and erased at the download or the expiry, whichever is first."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="exports")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A zip (JSON and HTML, in the requester's language), base64, encrypted.
    content = EncryptedTextField(blank=True)
    size = models.PositiveIntegerField(default=0)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export bundle")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_available(self) -> bool:
        return (
            bool(self.content) and self.downloaded_at is None and self.expires_at > timezone.now()
        )
