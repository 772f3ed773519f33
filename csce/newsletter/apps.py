from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _topics_changed(**kwargs) -> None:
    """The subscription forms show the active topics from the page cache (policy M): a
    topic saved or deleted starts a new content generation, so no form shows an old list."""
    from csce.pages.cache import site_generation_bump

    site_generation_bump()


class NewsletterConfig(AppConfig):
    name = "csce.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from csce.common.registry import personal_data_registry

        from .models import Topic
        from .registry import NEWSLETTER_SOURCE

        personal_data_registry.register(NEWSLETTER_SOURCE)
        post_save.connect(_topics_changed, sender=Topic, dispatch_uid="newsletter-topics-saved")
        post_delete.connect(_topics_changed, sender=Topic, dispatch_uid="newsletter-topics-deleted")
