"""Staff accounts: who each staff member is for the policy (scope S) and until when."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.models import BaseModel


class PersonType(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    INTERN = "intern", _("Intern")
    VOLUNTEER = "volunteer", _("Volunteer")


class StaffProfile(BaseModel):
    """Policy S: employees, contractors, interns and volunteers; all but employees leave
    on a known date, after which their account cannot sign in. The last sign-in is
    Django's ``User.last_login``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    person_type = models.CharField(
        _("person type"),
        max_length=20,
        choices=PersonType.choices,
        default=PersonType.EMPLOYEE,
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_(
            "Last day of the contract, internship or volunteering. Required for everyone "
            "but employees: the account cannot sign in after this day."
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_person_type_display()})"

    def clean(self) -> None:
        if self.person_type != PersonType.EMPLOYEE and not self.end_date:
            raise ValidationError(
                {"end_date": _("An end date is required for contractors, interns and volunteers.")}
            )

    def has_ended(self, *, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.end_date is not None and self.end_date < today


class PolicyVersion(BaseModel):
    """A version of the online-property policy that every staff member acknowledges (S, V).

    Policy R, V: a version is a draft until the AED approves it; only an approved version
    whose effective date has come is in force and asked of staff. Approved, it no longer
    changes (what staff acknowledged is what was approved).
    """

    version_label = models.CharField(_("version"), max_length=20, unique=True)
    effective_date = models.DateField(
        _("effective date"),
        help_text=_(
            "From this day, once the version is approved, every staff member must acknowledge it."
        ),
    )
    next_review = models.DateField(
        _("next review"),
        help_text=_(
            "When the policy is reviewed again (policy V). The Assistant Executive Director "
            "is reminded by e-mail beforehand."
        ),
    )
    summary_fr = models.TextField(_("summary of changes (French)"), blank=True)
    summary_en = models.TextField(_("summary of changes (English)"), blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("The signed or formatted policy, when the text is not written above."),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("drafted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-effective_date", "-pk"]
        # Policy R, V: only the AED approves a version (csce/accounts/roles.py).
        permissions = [("approve_policyversion", _("Can approve a policy version"))]

    def __str__(self) -> str:
        return _("Policy version %(label)s") % {"label": self.version_label}

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def clean(self) -> None:
        if not self.document_id and not (self.body_fr and self.body_en):
            raise ValidationError(
                _("Write the text in French and in English, or choose a document.")
            )
        if self.next_review and self.effective_date and self.next_review <= self.effective_date:
            raise ValidationError(
                {"next_review": _("The next review comes after the effective date.")}
            )

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_fr

    def summary(self, language: str) -> str:
        return self.summary_en if language == "en" else self.summary_fr


class PolicyAcknowledgement(models.Model):
    """A staff member acknowledged a policy version (policy S); kept as proof."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="policy_acknowledgements",
        verbose_name=_("user"),
    )
    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("policy version"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="policy_ack_once")]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.version_id}"


class ReviewReminderStage(models.TextChoices):
    SOON = "soon", _("Review due soon")
    OVERDUE = "overdue", _("Review overdue")


class ReviewReminder(models.Model):
    """Policy V: the AED was reminded of a review (the policy's, a notice's), once per
    subject, review date and stage. The unique row is what makes the daily job send once
    across restarts and two nodes (csce/accounts/reviews.py)."""

    subject = models.CharField(_("subject"), max_length=40)
    review_date = models.DateField(_("review date"))
    stage = models.CharField(_("stage"), max_length=10, choices=ReviewReminderStage.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "review_date", "stage"], name="review_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.review_date} {self.stage}"


class RoleRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RoleRequest(models.Model):
    """A role that opens personal data, asked for one account and not yet given (R, F).

    Whoever edits the account only asks: the AED or the Executive Director, neither the
    requester nor the account's owner, approves it (csce/accounts/role_requests.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_requests",
        verbose_name=_("account"),
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("role")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RoleRequestStatus.choices,
        default=RoleRequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(status="pending"),
                name="role_request_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.group_id} ({self.status})"


# Recovery codes stored as keyed hashes (second factors, docs/decisions/0007-mfa.md).
from .mfa_models import RecoveryCode, RecoveryCodeDevice  # noqa: E402, F401


class StaffInvitation(BaseModel):
    """Policy M: a staff member sets their own password through a one-time link.

    Only a SHA-256 digest of the link's random token is kept, so a copy of the database
    opens no account; the row is marked used at the first success and expires after
    ``settings.STAFF_INVITATION_SECONDS``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.expires_at:%Y-%m-%d})"
