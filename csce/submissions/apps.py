from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "csce.submissions"
    label = "submissions"
    verbose_name = _("Forms and inboxes")

    def ready(self):
        from csce.common.registry import personal_data_registry

        from .registry import SUBMISSIONS_SOURCE

        personal_data_registry.register(SUBMISSIONS_SOURCE)

        from . import registration  # noqa: F401 (connects the program registration receivers)
