from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..collection import BEACON_PATH

register = template.Library()


@register.simple_tag(takes_context=True)
def analytics_beacon(context) -> str:
    """The page-view beacon (policy P4, P5): a script from our origin, deferred, under 1 KB.

    A view whose address holds a secret may set ``analytics_path`` to what is counted.
    """
    if not settings.ANALYTICS_ENABLED:
        return mark_safe("")
    path = context.get("analytics_path", "")
    return format_html(
        '<script src="{}" data-endpoint="{}"{} defer></script>',
        static("analytics/beacon.js"),
        BEACON_PATH,
        format_html(' data-path="{}"', path) if path else "",
    )
