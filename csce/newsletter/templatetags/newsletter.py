"""The subscription forms inside other pages: the footer of every public page and the
page block (csce/pages/blocks.py renders it through this library, so that the pages app
never imports the newsletter's code).

Each form gets ids of its own on the page, a fresh fill-time token, and the active topics
from the cache (no query once warm: every public page type keeps within its budget of
queries, policy M). A page kept by the anonymous page cache keeps its token: it stays
valid for MAX_FORM_AGE_SECONDS, far longer than PAGE_CACHE_SECONDS (tested).
"""

from __future__ import annotations

import logging

from django import forms, template
from django.db import DatabaseError

from csce.common.altcha import CHALLENGE_FIELD
from csce.common.spam import guard_token_refresh

from ..forms import SubscriptionForm
from ..services import language_or_default
from ..views import TOKEN_SCOPE, page_centre

register = template.Library()
logger = logging.getLogger(__name__)
_COUNTER = "newsletter_form_count"


def _form(context, *, prefix: str, challenge: bool = True) -> SubscriptionForm | None:
    from django.utils.translation import get_language

    request = context.get("request")
    if request is None:
        return None
    # Unique ids when the footer and one or more blocks share a page: counted on the
    # request, since Wagtail renders each block in a context of its own.
    count = getattr(request, _COUNTER, 0) + 1
    setattr(request, _COUNTER, count)
    auto_id = f"newsletter-{prefix}{count}-%s"
    try:
        form = SubscriptionForm(
            language=language_or_default(get_language()),
            centre=page_centre(request),
            auto_id=auto_id,
        )
    except DatabaseError:
        # Policy M: an error page rendered while the database is down still renders.
        logger.warning("The newsletter form was left out: the database did not answer.")
        return None
    if not challenge:
        form.fields.pop(CHALLENGE_FIELD, None)
    guard_token_refresh(form, token_scope=TOKEN_SCOPE)
    return form


@register.inclusion_tag("newsletter/includes/form.html", takes_context=True)
def newsletter_signup_form(context, heading: str = "") -> dict:
    """The full form (address, first name, language, topics, consent): the page block."""
    return {"form": _form(context, prefix="block"), "heading": heading}


@register.inclusion_tag("newsletter/includes/form_footer.html", takes_context=True)
def newsletter_footer_form(context) -> dict:
    """The footer's short form, left out on the newsletter's own pages.

    Without the proof-of-work challenge: its script would load on every page of the site.
    The footer's POST takes the path of a browser without JavaScript (policy F): the
    honeypot, the fill time and the stricter limit of csce/common/spam.py, and nothing is
    sent but the confirmation e-mail until the address's owner confirms (policy P7)."""
    if context.get("newsletter_page"):
        return {"form": None}
    form = _form(context, prefix="footer", challenge=False)
    if form is not None:
        # A list rather than radio buttons: compact in the footer, and the only box
        # ticked in advance on any page stays none (policy P7: consent is never pre-ticked).
        language = form.fields["language"]
        language.widget = forms.Select(choices=language.choices)
    return {"form": form}
