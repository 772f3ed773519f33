from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "csce.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import PRIVACY_REQUESTS_SOURCE

        personal_data_registry.register(PRIVACY_REQUESTS_SOURCE)

        from csce.common.demo import demo_loader_register

        from .demo_portal import privacy_portal_demo_load

        demo_loader_register(name="privacy_portal", order=30, load=privacy_portal_demo_load)

        import datetime

        from csce.common.schedule import ScheduledJob, job_schedule

        # PHIPA: the Privacy Officer is reminded 7 and 2 days before each due date.
        job_schedule.register(
            ScheduledJob(
                name="remind_privacy_requests",
                at=datetime.time(7, 0),
                command="remind_privacy_requests",
            )
        )
