from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "csce.submissions"
    label = "submissions"
    verbose_name = _("Forms and inboxes")

    def ready(self):
        from csce.common.demo import demo_loader_register
        from csce.common.engagement import response_time_registry
        from csce.common.inquiries import privacy_inquiry_source_register
        from csce.common.registry import personal_data_registry

        from .demo import submissions_demo_load
        from .engagement import INQUIRY_RESPONSE_SOURCE
        from .privacy_topic import PRIVACY_TOPIC_SOURCE
        from .registry import SUBMISSIONS_SOURCE

        personal_data_registry.register(SUBMISSIONS_SOURCE)
        privacy_inquiry_source_register(PRIVACY_TOPIC_SOURCE)
        demo_loader_register(name="submissions", order=10, load=submissions_demo_load)
        response_time_registry.register(INQUIRY_RESPONSE_SOURCE)

        from csce.common.compliance import indicator_registry

        from .indicators import OVERDUE_INQUIRIES

        indicator_registry.register(OVERDUE_INQUIRIES)  # the compliance view (policy R)
