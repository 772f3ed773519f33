from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "csce.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        import datetime

        from csce.common.compliance import audit_check_registry
        from csce.common.schedule import ScheduledJob, job_schedule

        from .audit_checks import AUDIT_CHECKS

        # Policy M: the job's last run and the oldest record of each store, in the audit.
        for check in AUDIT_CHECKS:
            audit_check_registry.register(check)

        # Policy M: the host deletes collected data every three months; we purge daily.
        job_schedule.register(
            ScheduledJob(
                name="purge_expired_data", at=datetime.time(3, 0), command="purge_expired_data"
            )
        )

        from csce.common.compliance import indicator_registry

        from .indicators import INDICATORS

        for indicator in INDICATORS:  # the compliance view (policy R)
            indicator_registry.register(indicator)
