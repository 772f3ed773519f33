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

        # The privacy notice (policy P3, V): demo processors, versions kept in
        # step with the live system, and the version in force for other apps' consents.
        from csce.common.registry import notice_version_provider_set

        from . import signals  # noqa: F401 (connects the notice's receivers)
        from .demo import processors_demo_load
        from .notice import notice_version_number
        from .notice_versions import notice_versions_check

        demo_loader_register(name="privacy_processors", order=20, load=processors_demo_load)
        notice_version_provider_set(notice_version_number)
        # Policy F: an e-mail provider receives nothing until the register declares it.
        from csce.common.registry import email_processor_declared_provider_set

        from .notice import email_processor_declared

        email_processor_declared_provider_set(email_processor_declared)
        # Policy P3: what changes without a signal (a deployment, a setting) is caught daily.
        job_schedule.register(
            ScheduledJob(
                name="check_privacy_notice", at=datetime.time(4, 0), func=notice_versions_check
            )
        )
        # Policy V: the AED is reminded of the notice's reviews, and the compliance view
        # shows the policy's and the notice's (csce/privacy/notice_versions.py).
        from csce.common.compliance import indicator_registry

        from .notice_versions import REVIEWS_DUE_INDICATOR, notice_review_remind

        job_schedule.register(
            ScheduledJob(
                name="remind_notice_review", at=datetime.time(7, 5), func=notice_review_remind
            )
        )
        indicator_registry.register(REVIEWS_DUE_INDICATOR)

        from .indicators import OVERDUE_PRIVACY_REQUESTS

        indicator_registry.register(OVERDUE_PRIVACY_REQUESTS)  # the compliance view (policy R)
