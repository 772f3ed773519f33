from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "csce.media"
    label = "media"
    verbose_name = _("Media rights")

    def ready(self):
        from csce.common.compliance import indicator_registry
        from csce.common.schedule import ScheduledJob, job_schedule

        from .indicators import MEDIA_RIGHTS_INDICATOR
        from .publication import publication_gate_install

        # Policy C: every path to publication goes through Wagtail's publish action.
        publication_gate_install()
        # Policy C, R: the compliance view shows whether live pages use media as allowed.
        indicator_registry.register(MEDIA_RIGHTS_INDICATOR)
        # Policy C: scheduled pages go live (through the gate above) at every scheduler
        # tick, not once a day; the command is this app's override of Wagtail's.
        job_schedule.register(
            ScheduledJob(name="publish_scheduled", command="publish_scheduled", every_tick=True)
        )
