"""What the notice page shows from the live system (docs/decisions/0012).

The pages app's template loads this library; the pages app never imports the privacy
app's Python code.
"""

from __future__ import annotations

from django import template
from django.utils import translation

from ..notice import notice_sections, notice_version_in_force

register = template.Library()


@register.inclusion_tag("privacy/notice_sections.html")
def privacy_notice_sections():
    return {"sections": notice_sections(language=translation.get_language())}


@register.inclusion_tag("privacy/notice_version_line.html")
def privacy_notice_version(page):
    return {
        "version": notice_version_in_force(language=translation.get_language()),
        "page": page,
    }
