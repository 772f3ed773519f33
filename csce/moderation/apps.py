from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "csce.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from csce.common.engagement import response_time_registry
        from csce.common.registry import personal_data_registry

        from .engagement import COMMENT_RESPONSE_SOURCE, REPORT_RESPONSE_SOURCE
        from .registry import MODERATION_SOURCE

        personal_data_registry.register(MODERATION_SOURCE)
        response_time_registry.register(COMMENT_RESPONSE_SOURCE)
        response_time_registry.register(REPORT_RESPONSE_SOURCE)

        from csce.common.compliance import indicator_registry

        from .indicators import MODERATION_OVERDUE

        indicator_registry.register(MODERATION_OVERDUE)  # the compliance view (policy R)
