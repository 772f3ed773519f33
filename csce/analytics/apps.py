from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "csce.analytics"
    label = "analytics"
    verbose_name = _("Website statistics")

    def ready(self):
        import datetime

        from csce.common.registry import personal_data_registry
        from csce.common.schedule import ScheduledJob, job_schedule

        from .registry import ANALYTICS_SOURCE
        from .rollups import rollup_nightly
        from .salts import salt_rotate

        # Policy M, P5: raw events are purged by the retention job within the cap; the
        # privacy notice's "collected automatically" section reads this entry.
        personal_data_registry.register(ANALYTICS_SOURCE)
        from csce.common.compliance import audit_check_registry

        from .audit_checks import AUDIT_CHECKS

        # Policy M, P5: the salt's rotation on time, in the annual security audit.
        for check in AUDIT_CHECKS:
            audit_check_registry.register(check)
        # Policy P5: the day's salt is destroyed just after midnight (the beacon also
        # destroys it when it creates the new day's salt), then yesterday is rolled up.
        job_schedule.register(
            ScheduledJob(name="rotate_analytics_salt", at=datetime.time(0, 0), func=salt_rotate)
        )
        job_schedule.register(
            ScheduledJob(name="rollup_analytics", at=datetime.time(0, 15), func=rollup_nightly)
        )

        from csce.common.demo import demo_loader_register

        from .demo import analytics_demo_load

        # After the pages and forms: invented page views of the demo's real pages.
        demo_loader_register(name="analytics", order=90, load=analytics_demo_load)
