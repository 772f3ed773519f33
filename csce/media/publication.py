"""No page goes live with media it may not use (policy C) or an image without a text
alternative (policy P2): the gate on Wagtail's publish action.

Every path to publication in Wagtail 8 ends in ``PublishPageRevisionAction``: the
editor's Publish (the edit view builds the action itself, never calling ``Page.publish``),
a new page's Publish, the approval that finishes a workflow (``publish_workflow_state``),
``publish_scheduled``, bulk publish, reverting to a revision and the admin API. The gate
therefore wraps that action's ``check``, which each of them runs before anything changes,
and refuses even when the caller skips the permission checks. Saving a draft is never
refused. docs/decisions/0022-media-rights.md says why this seam and not another.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page

from .selectors import MediaProblem, page_media_problems


class MediaPublicationRefused(ValidationError):
    """Publishing is refused: the page uses media it may not, or an image without a text
    alternative. A ValidationError, as the privacy notice's refusal: the admin API answers
    it with a 400 and its message; a path that does not catch it fails, never publishes.
    (Not a PermissionDenied: Wagtail's admin turns those into "no access to this area".)"""

    def __init__(self, *, page: Page, problems: list[MediaProblem]):
        self.page = page
        self.problems = problems
        message = gettext("This page cannot be published: %(reasons)s") % {
            "reasons": " ".join(str(problem.message) for problem in problems)
        }
        super().__init__({NON_FIELD_ERRORS: [message]})


def publication_refusal_html(*, problems: list[MediaProblem]) -> str:
    """The refusal as staff read it: one sentence, then each problem with a link to the
    image or document to fix (policy C, P2)."""
    return format_html(
        "{}<ul>{}</ul>",
        gettext("This page cannot be published until these media are fixed:"),
        format_html_join(
            "",
            '<li>{} <a href="{}">{}</a></li>',
            (
                (
                    problem.message,
                    problem.edit_url,
                    gettext("Edit “%(title)s”") % {"title": problem.title},
                )
                for problem in problems
            ),
        ),
    )


def page_publication_check(*, page: Page) -> None:
    """Raise MediaPublicationRefused when the page (a revision's content) may not go live."""
    problems = page_media_problems(page=page, today=timezone.localdate())
    if problems:
        raise MediaPublicationRefused(page=page, problems=problems)


def publication_gate_install() -> None:
    """Wrap the publish action's check once (idempotent: ``ready()`` may run twice)."""
    if getattr(PublishPageRevisionAction, "csce_media_gate", False):
        return
    wagtail_check = PublishPageRevisionAction.check

    def check(self, skip_permission_checks: bool = False):
        wagtail_check(self, skip_permission_checks=skip_permission_checks)
        # Not skippable: skip_permission_checks is about who publishes, not what.
        page_publication_check(page=self.object)

    PublishPageRevisionAction.check = check
    PublishPageRevisionAction.csce_media_gate = True
