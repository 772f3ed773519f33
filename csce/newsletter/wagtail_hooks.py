"""The newsletter's place in the Wagtail admin (policy P3): its menu and its permissions."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from .viewsets import NewsletterViewSetGroup


@hooks.register("register_admin_viewset")
def register_newsletter_viewset_group():
    return NewsletterViewSetGroup()


@hooks.register("register_permissions")
def newsletter_permissions():
    """The group editor shows the sending permission with the model ones."""
    return Permission.objects.filter(
        content_type__app_label="newsletter", codename__in=["send_campaign", "view_subscriber"]
    )
