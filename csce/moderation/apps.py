from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "csce.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import MODERATION_SOURCE

        personal_data_registry.register(MODERATION_SOURCE)
