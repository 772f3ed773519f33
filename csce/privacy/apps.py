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
