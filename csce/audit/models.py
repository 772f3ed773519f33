"""The access log: append-only, hash-chained record of security events (policy F, M).

Entries name the actor by id only and never hold personal data: the object's type and
id say *what* was read, exported or deleted, not what it contained.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from csce.common.models import BaseModel


class AccessAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCKED = "unlocked", _("Unlocked")
    MFA_ADDED = "mfa_added", _("Second factor added")
    MFA_REMOVED = "mfa_removed", _("Second factor removed")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    ROLE_CHANGED = "role_changed", _("Roles changed")
    PERMISSION_CHANGED = "permission_changed", _("Role permissions changed")
    ROLE_REQUESTED = "role_requested", _("Role requested")
    ROLE_REQUEST_APPROVED = "role_request_approved", _("Role request approved")
    ROLE_REQUEST_REFUSED = "role_request_refused", _("Role request refused")
    ROLE_CHANGE_REFUSED = "role_change_refused", _("Role change refused")
    ROUTING_CHANGED = "routing_changed", _("Inbox routing changed")
    ACCOUNT_DISABLED = "account_disabled", _("Account disabled")
    ACCOUNT_ENABLED = "account_enabled", _("Account enabled")
    SUPERUSER_USED = "superuser_used", _("Superuser access used")
    POLICY_ACKNOWLEDGED = "policy_acknowledged", _("Policy acknowledged")
    PERSONAL_DATA_READ = "personal_data_read", _("Personal data read")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data exported")
    PERSONAL_DATA_DELETED = "personal_data_deleted", _("Personal data deleted")
    PERSONAL_DATA_CORRECTED = "personal_data_corrected", _("Personal data corrected")
    CONTENT_ACTION = "content_action", _("Content action")
    LOG_KEYED = "log_keyed", _("Access log signing started")
    SECURITY_AUDIT = "security_audit", _("Security audit")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an access log entry from Python."""


class AccessLogQuerySet(models.QuerySet):
    """Rows are only ever added, one at a time, by ``services.access_log_record``."""

    def update(self, **kwargs):
        raise AppendOnlyError("Access log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access log entries cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Access log entries cannot be changed.")

    def bulk_create(self, objs, *args, **kwargs):
        # Each entry needs the hash of the one before it: bulk inserts would skip the chain.
        raise AppendOnlyError("Access log entries are added one at a time.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Access log entries cannot be changed.")

    _update = update
    _raw_delete = delete


class AccessLogEntry(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    action = models.CharField(
        _("action"), max_length=40, choices=AccessAction.choices, db_index=True
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    # Which key signed the entry (services.key_id); empty: an unkeyed entry from before.
    key_id = models.CharField(_("key id"), max_length=16, blank=True, default="")
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-pk"]
        # Policy F: reading the log is the only permission there is to grant.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access log entries cannot be deleted.")


class AccessLogHead(models.Model):
    """One row: the newest entry's id and hash.

    Writers lock it (``select_for_update``) so that two processes appending at once
    take turns instead of both chaining onto the same entry; verification compares the
    end of the chain with it, so that removing the newest entries is detected too.
    """

    last_entry_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.last_entry_id}: {self.last_hash}"


class SecurityAuditStatus(models.TextChoices):
    PENDING = "pending", _("Checks waiting to run")
    RUNNING = "running", _("Checks running")
    DONE = "done", _("Checks done")
    FAILED = "failed", _("Checks could not run")


class SecurityAudit(BaseModel):
    """One annual security audit (policy M, R): the automated checks' results as they
    were when run, the manual items signed off by name, and the AED's completion, from
    which the next audit is due. ``results`` is a list of {check, label, status, detail}
    with counts and dates only, in the language it was run in."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SecurityAuditStatus.choices,
        default=SecurityAuditStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    run_at = models.DateTimeField(_("checks run"), null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: run by the command run_security_audit."),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    results = models.JSONField(_("results"), default=list, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("security audit")
        verbose_name_plural = _("security audits")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("run_securityaudit", _("Can run the security audit's checks")),
            ("sign_securityaudit", _("Can sign off and complete the security audit")),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} ({self.get_status_display()})"

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.get("status") == status)


class SecurityAuditSignOff(models.Model):
    """One manual item of the checklist, signed off by a named staff member (policy M)."""

    audit = models.ForeignKey(
        SecurityAudit,
        verbose_name=_("security audit"),
        on_delete=models.CASCADE,
        related_name="sign_offs",
    )
    item = models.CharField(_("item"), max_length=50)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The name as it was on the day: the report stays the same if the account changes.
    signed_by_name = models.CharField(_("signed by (name)"), max_length=200)
    signed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("security audit sign-off")
        verbose_name_plural = _("security audit sign-offs")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="audit_one_sign_off_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.signed_on:%Y-%m-%d}"
