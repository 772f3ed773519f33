from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "csce.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import INCIDENTS_SOURCE

        personal_data_registry.register(INCIDENTS_SOURCE)
