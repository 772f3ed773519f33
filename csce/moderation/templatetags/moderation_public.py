"""Comments on a news article, rendered inside the article's page
(csce/templates/pages/news_page.html loads this library, so that the pages app never
imports the moderation's code).

Only approved comments show (policy U), read in one query; the form carries a fresh
fill-time token for this article. A page kept by the anonymous page cache keeps its
token, valid far longer than the page stays cached; a moderation decision starts a new
content generation, so the cached article shows the comments as they now are. The
"comment received" notice shows only on the address with the flag the comment view
redirects to, which the page cache never keeps (it has a query string).
"""

from __future__ import annotations

import logging

from django import template
from django.db import DatabaseError

from csce.common import policy
from csce.common.spam import guard_token_refresh

from ..forms import CommentForm
from ..publication import comments_published
from ..rules import acceptable_use_url
from ..views import comment_sent_flag

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("moderation/includes/comments.html", takes_context=True)
def news_comments(context, article) -> dict:
    """The approved comments of ``article`` and its comment form, when its editor opened
    comments; nothing otherwise (and no query)."""
    request = context.get("request")
    if request is None or not getattr(article, "comments_enabled", False) or not article.pk:
        return {"enabled": False}
    try:
        comments = comments_published(page_id=article.pk)
        rules_url = acceptable_use_url(request)
    except DatabaseError:
        # Policy M: the article still shows when the database stops answering mid-page.
        logger.warning("The comments were left out: the database did not answer.")
        return {"enabled": False}
    form = CommentForm()
    guard_token_refresh(form, token_scope=article.pk)
    return {
        "enabled": True,
        "article": article,
        "comments": comments,
        "form": form,
        "rules_url": rules_url,
        "sent": comment_sent_flag(request),
        "due_days": policy.MODERATION_RESPONSE_BUSINESS_DAYS,
        "request": request,
    }
