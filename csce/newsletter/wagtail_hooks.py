"""The newsletter's place in the Wagtail admin (policy P3): its menu and its permissions."""

from django.contrib.auth.models import Permission
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

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


@hooks.register("insert_editor_js")
def rich_text_label_js() -> str:
    """Each rich-text block of a campaign's message is named after its block (the
    editor's axe check, both admin languages)."""
    return format_html(
        '<script src="{}" defer></script>', versioned_static("newsletter/js/rich-text-label.js")
    )
