from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "csce.pages"
    label = "pages"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from csce.common.compliance import indicator_registry
        from csce.common.demo import demo_loader_register

        from . import signals  # noqa: F401  (cache invalidation on publish)
        from .cookies import visitor_cookies_declare
        from .demo import demo_content_load
        from .indicators import PAGES_REVIEW_INDICATOR

        visitor_cookies_declare()  # for the privacy notice (csce/common/cookies.py)

        demo_loader_register(name="pages", order=0, load=demo_content_load)
        indicator_registry.register(PAGES_REVIEW_INDICATOR)  # policy C, R
