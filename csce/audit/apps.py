import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "csce.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self):
        from csce.common.schedule import ScheduledJob, job_schedule

        from . import signals  # noqa: F401  (connects the receivers)

        # Daily anchor of the chain's newest entry, kept off the server (docs/access-log.md).
        job_schedule.register(
            ScheduledJob(
                name="access_log_anchor", at=datetime.time(3, 30), command="access_log_anchor"
            )
        )
