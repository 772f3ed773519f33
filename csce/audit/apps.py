from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "csce.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
