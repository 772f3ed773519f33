import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "csce.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from csce.common.schedule import ScheduledJob, job_schedule

        from .services import compliance_digest_run

        # Policy R: the AED is told, once a week, what does not hold (docs/compliance.md).
        job_schedule.register(
            ScheduledJob(
                name="send_compliance_digest", at=datetime.time(7, 0), func=compliance_digest_run
            )
        )
