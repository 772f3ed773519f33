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
        from csce.common.registry import personal_data_registry

        from .registry import NEWSLETTER_SOURCE

        personal_data_registry.register(NEWSLETTER_SOURCE)

        from django.db.models.signals import post_delete, post_save

        from .models import Topic

        post_save.connect(_topics_changed, sender=Topic, dispatch_uid="newsletter-topics-saved")
        post_delete.connect(_topics_changed, sender=Topic, dispatch_uid="newsletter-topics-deleted")

        # Policy P7: the forms' option "newsletter" becomes a double opt-in request.
        from csce.common.purposes import optional_purpose_handler_register

        from .hooks import PURPOSE_KEY, newsletter_form_option_request

        optional_purpose_handler_register(key=PURPOSE_KEY, handler=newsletter_form_option_request)

        # The demo's topics and a draft campaign (make run).
        from csce.common.demo import demo_loader_register

        from .demo import newsletter_demo_load

        demo_loader_register(name="newsletter", order=40, load=newsletter_demo_load)

        import datetime

        from csce.common.schedule import ScheduledJob, job_schedule

        from .sending import campaigns_resume

        # A safety net for the campaigns' tasks: a campaign whose task was lost still
        # finishes at the next daily run (policy P3).
        job_schedule.register(
            ScheduledJob(
                name="resume_newsletter_campaigns", at=datetime.time(0, 40), func=campaigns_resume
            )
        )

        from csce.common.compliance import indicator_registry

        from .indicators import NEWSLETTER_FAILURES

        indicator_registry.register(NEWSLETTER_FAILURES)  # the compliance view (policy R)
