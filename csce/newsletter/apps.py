from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "csce.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import NEWSLETTER_SOURCE

        personal_data_registry.register(NEWSLETTER_SOURCE)

        import datetime

        from csce.common.schedule import ScheduledJob, job_schedule

        from .sending import campaigns_resume

        # A safety net for the campaigns' tasks: a campaign whose task was lost still
        # finishes at the next daily run (policy P3).
        job_schedule.register(
            ScheduledJob(
                name="resume_newsletter_campaigns", at=datetime.time(0, 40), func=campaigns_resume
            )
        )
