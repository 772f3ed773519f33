from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "csce.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import INCIDENTS_SOURCE

        personal_data_registry.register(INCIDENTS_SOURCE)

        from csce.common.incident_intake import incident_intake_set

        from . import signals  # noqa: F401 - links incidents to the property registry
        from .intake import INCIDENT_INTAKE

        # Policy R, U: the moderation queue escalates a report here without importing us.
        incident_intake_set(INCIDENT_INTAKE)

        import datetime

        from csce.common.schedule import ScheduledJob, job_schedule

        from .notices import breach_notice_states_sync_all

        # Policy P8: each notice's state follows the outbox, which forgets a row after
        # OUTBOX_RECORD_DAYS; the notices page syncs too, and this keeps the register
        # right when nobody opens it.
        job_schedule.register(
            ScheduledJob(
                name="sync_breach_notice_states",
                at=datetime.time(1, 10),
                func=breach_notice_states_sync_all,
            )
        )

        from csce.common.compliance import indicator_registry

        from .indicators import INDICATORS

        for indicator in INDICATORS:  # the compliance view (policy R)
            indicator_registry.register(indicator)
