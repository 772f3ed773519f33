from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "csce.pages"
    label = "pages"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (cache invalidation on publish)
