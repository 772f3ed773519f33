"""Incidents and privacy breaches: what staff report, the register the Privacy Officer,
the AED and the Executive Director keep, and the notices to the people affected.

Policy P8 (a breach is reported to the people concerned as soon as possible), R (staff
report security incidents and policy violations to the ED or the AED), X (violations).
PHIPA s.12(2): each person is notified at the first reasonable opportunity and told they
may complain to the Information and Privacy Commissioner (IPC); O. Reg. 329/04 s.6.3: the
seven situations in which the IPC is notified; s.6.4: the yearly counts. PIPEDA s.10.3:
a record of every breach for 24 months. Free text and people's addresses are encrypted;
an incident's record goes ``policy.BREACH_RECORD_RETENTION_DAYS`` after closing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.fields import EncryptedJSONField, EncryptedTextField
from csce.common.models import BaseModel, CaseModel

RECORD_RETENTION_DAYS = policy.BREACH_RECORD_RETENTION_DAYS


class IncidentKind(models.TextChoices):
    SECURITY = "security", _("Security incident")
    PRIVACY_BREACH = "privacy_breach", _("Privacy breach")
    POLICY_VIOLATION = "policy_violation", _("Policy violation")
    CONDUCT = "conduct", _("Inappropriate content or behaviour")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    """The register's workflow, in order; an incident may go back to assessing."""

    # A context of their own: other apps' "Closed" or "Sent" agree with other nouns in
    # French (une demande fermée, une inscription envoyée).
    REPORTED = "reported", pgettext_lazy("incident status", "Reported")
    ASSESSING = "assessing", pgettext_lazy("incident status", "Assessing")
    CONTAINED = "contained", pgettext_lazy("incident status", "Contained")
    NOTIFYING = "notifying", pgettext_lazy("incident status", "Notifying")
    CLOSED = "closed", pgettext_lazy("incident status", "Closed")


class PhipaCategory(models.TextChoices):
    """O. Reg. 329/04 s.6.4: the four counts of the yearly report to the IPC."""

    STOLEN = "stolen", _("Stolen")
    LOST = "lost", _("Lost")
    USED = "used", _("Used without authority")
    DISCLOSED = "disclosed", _("Disclosed without authority")


class DataCategory(models.TextChoices):
    """What kinds of information a breach touched (the notice says which)."""

    CONTACT = "contact", _("Names and contact details")
    HEALTH = "health", _("Health information")
    MESSAGES = "messages", _("Messages sent through the website's forms")
    REGISTRATIONS = "registrations", _("Program registrations")
    NEWSLETTER = "newsletter", _("Newsletter subscriptions")
    PRIVACY_REQUESTS = "privacy_requests", _("Privacy requests")
    STAFF_ACCOUNTS = "staff_accounts", _("Staff accounts")
    OTHER = "other", _("Other information")


class IpcSituation(models.TextChoices):
    """O. Reg. 329/04 s.6.3(1): the seven situations in which the custodian notifies the
    IPC of a theft, loss or use or disclosure without authority. Any one of them ticked
    means the IPC must be notified."""

    KNOWINGLY = (
        "knowingly",
        _(
            "Used or disclosed without authority by a person who knew or ought to have known "
            "they had no authority"
        ),
    )
    STOLEN = "stolen", _("The information was stolen")
    FURTHER = (
        "further",
        _(
            "After the first loss or use or disclosure, there are reasons to believe it was or "
            "will be further used or disclosed without authority"
        ),
    )
    PATTERN = "pattern", _("It is part of a pattern of similar losses, uses or disclosures")
    DISCIPLINE = (
        "discipline",
        _(
            "It is connected to an employee's or agent's termination, suspension or "
            "disciplinary action"
        ),
    )
    COLLEGE = "college", _("The centre must notify a regulatory College of it (PHIPA s.17.1)")
    SIGNIFICANT = (
        "significant",
        _(
            "It is significant, considering the sensitivity and volume of the information, the "
            "number of people affected and whether more than one custodian or agent is involved"
        ),
    )


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=IncidentStatus.CLOSED)

    def breaches(self):
        return self.filter(kind=IncidentKind.PRIVACY_BREACH)


class Incident(CaseModel, BaseModel):
    """One reported incident and, once assessed, its register entry (a case: owner in
    ``assigned_to``, closed at and by). Text a person wrote may name people: encrypted."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
        db_index=True,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    # When it happened, as far as the reporter knows (may be unknown), and when the
    # centre learned of it: policy P8's "as soon as possible" runs from detection.
    occurred_at = models.DateTimeField(_("happened"), null=True, blank=True)
    detected_at = models.DateTimeField(_("detected"), default=timezone.now, db_index=True)
    # The online property concerned: free text (a property outside the registry, or the
    # words of a report made before it), and the registry's entry when known (policy O).
    property_name = models.CharField(_("online property"), max_length=200, blank=True)
    # SET_NULL, not PROTECT: the register never stops the AED from retiring an account,
    # and loses nothing when it goes, since the property's name is kept in
    # ``property_name`` when the incident is linked (PIPEDA s.10.3: the record stays whole).
    online_property = models.ForeignKey(
        "properties.OnlineProperty",
        verbose_name=_("registered online property"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    description = EncryptedTextField(_("what happened"))
    containment = EncryptedTextField(_("containment steps"), blank=True)
    root_cause = EncryptedTextField(_("root cause"), blank=True)
    lessons = EncryptedTextField(_("lessons learned"), blank=True)

    # Privacy breaches (PHIPA s.12; O. Reg. 329/04 s.6.3, s.6.4).
    data_categories = models.JSONField(_("information involved"), default=list, blank=True)
    health_information = models.BooleanField(
        _("health information involved"), null=True, blank=True
    )
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    phipa_category = models.CharField(
        _("PHIPA category"), max_length=12, choices=PhipaCategory.choices, blank=True
    )
    # The situations of s.6.3(1) that apply (IpcSituation values); assessed once the
    # officer has gone through the checklist, even when none applies.
    ipc_situations = models.JSONField(_("IPC reporting situations"), default=list, blank=True)
    ipc_assessed_at = models.DateTimeField(_("IPC checklist completed"), null=True, blank=True)
    ipc_notified_at = models.DateTimeField(_("IPC notified"), null=True, blank=True)
    ipc_reference = models.CharField(_("IPC file number"), max_length=100, blank=True)

    # The notice to the people affected, in both languages: {"fr": {part: text}, "en":
    # {...}} with the parts of ``notices.NOTICE_PARTS``.
    notice_text = EncryptedJSONField(_("notice to the people affected"), default=dict, blank=True)
    # When the first notice left the outbox: the time from detection to notification.
    first_notified_at = models.DateTimeField(_("first person notified"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-detected_at", "-pk"]
        permissions = [
            ("notify_incident", _("Can notify the people affected by a breach")),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_breach(self) -> bool:
        return self.kind == IncidentKind.PRIVACY_BREACH

    @property
    def ipc_must_be_notified(self) -> bool | None:
        """None until the checklist is completed; then whether any situation applies."""
        if self.ipc_assessed_at is None:
            return None
        return bool(self.ipc_situations)

    @property
    def case_clock_running(self) -> bool:
        return self.status != IncidentStatus.CLOSED


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    STATUS = "status", _("Status changed")
    OWNER = "owner", _("Owner changed")
    KIND = "kind", _("Kind changed")
    ACTION = "action", _("Action taken")
    NOTE = "note", _("Note")
    CONTAINMENT = "containment", _("Containment steps recorded")
    ROOT_CAUSE = "root_cause", _("Root cause recorded")
    LESSONS = "lessons", _("Lessons learned recorded")
    ASSESSMENT = "assessment", _("Breach assessed")
    IPC_CHECKLIST = "ipc_checklist", _("IPC checklist completed")
    IPC_NOTIFIED = "ipc_notified", _("IPC notified")
    SCOPE = "scope", _("People affected found")
    NOTICE_DRAFTED = "notice_drafted", _("Notice written")
    NOTICES_SENT = "notices_sent", _("Notices sent")
    NOTICE_RETRIED = "notice_retried", _("Notice sent again")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class IncidentEvent(models.Model):
    """The timeline: each entry timestamped and attributed. ``details`` holds codes,
    counts and ids, never a personal value; free text is encrypted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    details = models.JSONField(default=dict, blank=True)
    text = EncryptedTextField(_("text"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class BreachScope(models.Model):
    """What the officer said the breach touched (registry scope targets and a date
    range) and what the registry resolved it to: counts only; the people are the
    notices. The latest scope of an incident is the one notified."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="scopes")
    created_at = models.DateTimeField(_("resolved"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # ["<source key>:<target>", ...]: the registry's scope targets.
    targets = models.JSONField(_("what it touched"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    # {"held": n, "purged": n, "without_address": n, "per_source": {key: {...}}}
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("breach scope")
        verbose_name_plural = _("breach scopes")

    def __str__(self) -> str:
        return f"{self.incident} {self.starts_on}–{self.ends_on}"


class NoticeState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("breach notice state", "Waiting")
    SENT = "sent", pgettext_lazy("breach notice state", "Sent")
    FAILED = "failed", pgettext_lazy("breach notice state", "Failed")


class BreachNotice(models.Model):
    """One person to notify of one breach, at most once per address (blind index), and
    what became of the notice. The address is kept, encrypted, with the breach record:
    the register says who was reached and who could not be."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    scope = models.ForeignKey(
        BreachScope, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    email = EncryptedTextField(_("e-mail"))
    email_index = models.CharField(max_length=64, db_index=True, editable=False)
    name = EncryptedTextField(_("name"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    # The registry sources the person was found in (keys only).
    sources = models.JSONField(_("found in"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=NoticeState.choices, default=NoticeState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The exception's class and the SMTP code only, as the outbox keeps it.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("breach notice")
        verbose_name_plural = _("breach notices")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "email_index"], name="incidents_one_notice_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} #{self.pk}"

    def save(self, *args, **kwargs):
        self.email_index = blind_index(self.email)
        super().save(*args, **kwargs)


class IpcAnnualReport(models.Model):
    """O. Reg. 329/04 s.6.4: that the year's counts were given to the IPC, and when."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The four counts as submitted (PhipaCategory value: count), for the record.
    counts = models.JSONField(_("counts submitted"), default=dict)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual report to the IPC")
        verbose_name_plural = _("annual reports to the IPC")

    def __str__(self) -> str:
        return str(self.year)
