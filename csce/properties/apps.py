from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertiesConfig(AppConfig):
    name = "csce.properties"
    label = "properties"
    verbose_name = _("Online properties")

    def ready(self):
        from csce.common.compliance import audit_check_registry, indicator_registry
        from csce.common.demo import demo_loader_register
        from csce.pages.centre_accounts import centre_accounts_reader_set

        from . import signals  # noqa: F401 - connects the public pages' cache invalidation
        from .audit_checks import MFA_CONFIRMED
        from .demo import properties_demo_load
        from .indicators import ACCESS_REVIEWS
        from .public import centre_accounts_read

        indicator_registry.register(ACCESS_REVIEWS)
        audit_check_registry.register(MFA_CONFIRMED)
        # Policy O: the social post counts and twitter:site follow the registry.
        centre_accounts_reader_set(centre_accounts_read)
        # After the pages (the AED's account comes with the roles, not the demo).
        demo_loader_register(name="properties", order=50, load=properties_demo_load)
