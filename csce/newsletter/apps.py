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
