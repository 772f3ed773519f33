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

        # Policy P7: the forms' option "newsletter" becomes a double opt-in request.
        from csce.common.purposes import optional_purpose_handler_register

        from .hooks import PURPOSE_KEY, newsletter_form_option_request

        optional_purpose_handler_register(key=PURPOSE_KEY, handler=newsletter_form_option_request)

        # The demo's topics and a draft campaign (make run).
        from csce.common.demo import demo_loader_register

        from .demo import newsletter_demo_load

        demo_loader_register(name="newsletter", order=40, load=newsletter_demo_load)
