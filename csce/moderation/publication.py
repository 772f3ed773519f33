"""What a visitor sees of the comments: the approved ones of an article (policy U).

A moderation decision changes a public page: the site's content generation goes up, so
the anonymous page cache (decision 0004) serves the article again with its comments as
they now are. The generation is a database row: a cache that forgets cannot show a
rejected comment again.
"""

from __future__ import annotations

from csce.pages.cache import site_generation_bump

from .models import Comment, CommentState


def comments_changed() -> None:
    """A comment was approved, or an approved one changed or went: pages are rebuilt."""
    site_generation_bump()


def comments_published(*, page_id: int) -> list[Comment]:
    """The article's approved comments, oldest first: one query."""
    return list(
        Comment.objects.filter(page_id=page_id, state=CommentState.APPROVED).order_by(
            "created_at", "pk"
        )
    )
