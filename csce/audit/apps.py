import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "csce.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self):
        from csce.common.compliance import audit_check_registry, indicator_registry
        from csce.common.schedule import ScheduledJob, job_schedule

        from . import signals  # noqa: F401  (connects the receivers)
        from .audit_checks import AUDIT_CHECKS
        from .indicators import SECURITY_AUDIT_INDICATOR

        # Policy M: the chain's verification in the annual security audit, and the audit's
        # due date in the compliance view (policy R).
        for check in AUDIT_CHECKS:
            audit_check_registry.register(check)
        indicator_registry.register(SECURITY_AUDIT_INDICATOR)

        # Daily anchor of the chain's newest entry, kept off the server (docs/access-log.md).
        job_schedule.register(
            ScheduledJob(
                name="access_log_anchor", at=datetime.time(3, 30), command="access_log_anchor"
            )
        )
