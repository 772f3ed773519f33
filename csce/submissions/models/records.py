"""What the forms collect, as stored: submissions, their notes, replies, files and
registrations, with their statuses and data classes (policy P6, P7, F, M).

The bottom layer of the app: it imports no other module of submissions, so every
service, selector and page type can build on it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.fields import EncryptedJSONField, EncryptedTextField
from csce.common.models import CaseModel

# Policy M: the host deletes collected data every three months; we never keep it longer.
MAX_RETENTION_DAYS = policy.RETENTION_CAP_DAYS
DEFAULT_RETENTION_DAYS = policy.FORM_RETENTION_DEFAULT_DAYS

# The program's session choice on a registration form, and the cancel link's parameter.
PROGRAM_SESSION_FIELD = "program_session"
PROGRAM_CANCEL_PARAMETER = "cancel"


class FormKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    REGISTRATION = "registration", _("Service registration")
    SURVEY = "survey", _("Survey")


class DataClass(models.TextChoices):
    """The policy's classes of data (P3, P6), as they apply to one form field."""

    GENERAL = "general", _("Not personal")
    PERSONAL = "personal", _("Personal (name, e-mail, phone, message)")
    SENSITIVE = "sensitive", _("Sensitive (health information)")


def submission_email(*, answers: list[dict[str, Any]]) -> str:
    """The visitor's address: the first e-mail field's answer, if any."""
    for answer in answers:
        if answer.get("field_type") == "email" and answer.get("value"):
            return str(answer["value"])
    return ""


def submission_email_index(*, answers: list[dict[str, Any]] | None) -> str:
    """The blind index of the visitor's address, "" without one: privacy requests find
    the record by it without the address being stored or queried in clear (policy P10)."""
    email = submission_email(answers=answers or [])
    return blind_index(email) if email else ""


def submission_phone(*, answers: list[dict[str, Any]]) -> str:
    """The person's telephone number: the first answer named like one ("telephone",
    "phone", "tel"), "" if none."""
    for answer in answers:
        name = str(answer.get("name", ""))
        if answer.get("value") and any(part in name for part in ("phone", "tel")):
            return str(answer["value"])
    return ""


def submission_person_name(*, answers: list[dict[str, Any]]) -> str:
    """The visitor's name as they typed it: the first one-line personal field named like a
    name ("Nom", "Your name"...), else the first one-line personal field; "" if none."""
    lines = [
        a
        for a in answers
        if a.get("field_type") == "singleline" and a.get("data_class") == DataClass.PERSONAL
    ]
    named = [a for a in lines if "nom" in a["name"] or "name" in a["name"]]
    return str((named or lines or [{"value": ""}])[0]["value"] or "")


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=SubmissionStatus.CLOSED)

    def holding_personal_data(self):
        return self.filter(purged_at__isnull=True)

    def for_inboxes(self, group_ids):
        return self.filter(inbox_id__in=list(group_ids))


class Submission(CaseModel):
    """One visitor's answers to one form. Personal content is encrypted; closing or the
    retention job removes it, leaving a tombstone (form, dates, status, who closed it).

    A case (policy R): assigned to a member of the inbox, due (the first response, for
    inquiries), closed by someone at a time."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the form page is deleted: the tombstone still says which form it was.
    form_title = models.CharField(_("form"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=FormKind.choices)
    inbox = models.ForeignKey(
        "auth.Group", verbose_name=_("inbox"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # Set at creation from the form's retention, so a purge is one indexed range delete.
    expires_at = models.DateTimeField(_("deleted after"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.NEW,
        db_index=True,
    )
    # The case's due date is the first response's: an answer stops the clock.
    due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal content deleted"), null=True, blank=True)

    # The answers: [{"name", "label", "data_class", "value"}], encrypted as one value.
    answers = EncryptedJSONField(_("answers"), null=True, blank=True)
    # Blind index of the visitor's e-mail (policy P10): privacy requests find the record
    # without the address being stored or queried in clear; kept by save().
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Consent proof (policy P6, CASL): whether, to which wording version, when.
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_version = models.PositiveIntegerField(_("consent wording version"), null=True)
    consent_at = models.DateTimeField(_("consent time"), null=True, blank=True)
    optional_consents = models.JSONField(_("optional purposes agreed to"), default=list)
    # Policy P6: the consent proof names the privacy notice in force when it was given.
    notice_version = models.PositiveIntegerField(_("privacy notice version"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_inbox_overview", _("See inbox counts without their content")),
            # Policy F: which inbox receives a form or a topic decides who reads it.
            ("change_routing", _("Change which inbox receives a form or a topic")),
        ]

    def __str__(self) -> str:
        return f"{self.form_title} #{self.pk}"

    def save(self, *args, **kwargs):
        # Policy P10: the blind index follows the answers on every save (creation,
        # correction, purge), so a privacy request finds exactly the current address.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "answers" in update_fields:
            self.email_index = submission_email_index(answers=self.answers)
            if update_fields is not None and "email_index" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "email_index"]
        return super().save(*args, **kwargs)

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def case_clock_running(self) -> bool:
        # Policy R: the first answer stops the clock, as closing does.
        return self.answered_at is None and self.status in (
            SubmissionStatus.NEW,
            SubmissionStatus.IN_PROGRESS,
        )

    @property
    def is_overdue(self) -> bool:
        return self.case_is_overdue()

    def age(self) -> datetime.timedelta:
        return timezone.now() - self.created_at

    def optional_consent_labels(self) -> list[str]:
        """The optional purposes agreed to, in the words the person ticked (policy P2, P6),
        not their stored identifiers; a purpose the form no longer has keeps its key."""
        keys = list(self.optional_consents or [])
        purposes = getattr(self.page.specific, "optional_purposes", None) if self.page else None
        wording = dict(purposes.values_list("key", "label")) if purposes is not None else {}
        return [wording.get(key, key) for key in keys]


class SubmissionNote(models.Model):
    """An internal note of the inbox's staff; deleted with the submission's content."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SubmissionReply(models.Model):
    """A reply e-mailed to the visitor from the admin; deleted with the submission's content."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="replies")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    body = EncryptedTextField(_("message"))

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("reply")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SubmissionFile(models.Model):
    """A file a visitor attached, stored encrypted outside public media (policy F, M);
    served only through a permission-checked view and deleted with the submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    field_name = models.CharField(max_length=255)
    # The visitor's file name can be personal ("results-marie-tremblay.pdf").
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Path inside the private storage (PRIVATE_MEDIA_ROOT): a random name, no personal data.
    blob = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attached file")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationChannel(models.TextChoices):
    """How the person registered: online, or with program staff (policy P3)."""

    ONLINE = "online", _("Online form")
    PHONE = "phone", _("By telephone")
    WALK_IN = "walk_in", _("In person")


class RegistrationQuerySet(models.QuerySet):
    def of_session(self, session):
        """The registrations of one session in every language of its program: its French
        and English rows share one ``key`` and one pool of places."""
        return self.filter(
            session__key=session.key, session__page__translation_key=session.page.translation_key
        )


class Registration(models.Model):
    """A visitor's place (or place in line) in one session. Holds no personal data: the
    person is reached through the encrypted submission, deleted with it."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="registration"
    )
    # SET_NULL: an editor may remove a session from the page; the registration then
    # holds no place and the inbox still sees it.
    session = models.ForeignKey(
        "submissions.ProgramSession",
        verbose_name=_("session"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    # Order of arrival in the session: the waitlist moves up in this order.
    position = models.PositiveIntegerField(_("order of arrival"))
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # SHA-256 of the random part of the signed cancel link; emptied when it is used.
    cancel_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    channel = models.CharField(
        _("registration channel"),
        max_length=16,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.ONLINE,
    )
    # Policy P6: a registration taken by telephone or at the desk records who heard the
    # person's oral consent (the time is the submission's consent time).
    consent_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oral consent taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Attendance on the day: None until someone checks the person in (or marks absent).
    attended = models.BooleanField(_("present"), null=True, blank=True)
    attendance_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Cancelled by the centre with the whole session (not by the person).
    cancelled_with_session = models.BooleanField(default=False, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["session", "status", "position"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def waitlist_place(self) -> int | None:
        """1 for the first person in line; None when not on the waitlist."""
        if self.status != RegistrationStatus.WAITLISTED:
            return None
        if self.session is None:
            return 0
        return (
            Registration.objects.of_session(self.session)
            .filter(status=RegistrationStatus.WAITLISTED, position__lte=self.position)
            .count()
        )
