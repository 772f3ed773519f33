from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "csce.outbox"
    label = "outbox"
    verbose_name = _("Outgoing e-mail")

    def ready(self):
        import datetime

        from csce.common.registry import personal_data_registry
        from csce.common.schedule import ScheduledJob, job_schedule

        from .registry import MAIL_FOLDER_SOURCE, OUTBOX_SOURCE
        from .tasks import outbox_sweep

        personal_data_registry.register(OUTBOX_SOURCE)
        personal_data_registry.register(MAIL_FOLDER_SOURCE)
        # A safety net for the task worker: anything due that no task picked up (a task
        # row lost with a restored backup, say) goes out at the next daily run at least.
        job_schedule.register(
            ScheduledJob(name="deliver_outbox", at=datetime.time(0, 30), func=outbox_sweep)
        )
