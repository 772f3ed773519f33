"""Page ownership, yearly review and the AED's override (policy C, X, R).

- Every page has a content owner: Wagtail's own ``Page.owner`` (the creator, unless the
  AED reassigns it in the page's settings). Wagtail already keeps it, shows it in the
  page's status and carries it through copies; a field of our own would duplicate it.
- ``page_review_mark``: the owner (or the AED) confirms the page is still accurate; the
  date is kept in ``PageReview`` and the action in Wagtail's log (the page's history).
  A live page whose last review (or, never reviewed, its first publication) is older
  than ``policy.PAGE_REVIEW_DAYS`` is due: listed for its owner and on the AED's view.
- ``page_unpublish_with_reason``, ``page_publish_override_record``: the AED takes a page
  down, or publishes over its owner, with a reason kept in the page's history; the owner
  is told by e-mail, in their language, through the outbox.

Adversaries and faults: a content creator forging the override (refused: only holders
of ``pages.override_page``, the AED's role); an override with no reason (refused); the
owner's address missing or the owner disabled (nothing is sent, the log still holds).
The e-mail carries no reason and no personal value: the page's title and a link to its
history, behind the staff sign-in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page

from csce.common import policy
from csce.common.staff import staff_language

from .models import PageReview
from .panels import OVERRIDE_PERMISSION

REVIEW_ACTION = "csce_pages.review"
OWNER_ACTION = "csce_pages.owner"
UNPUBLISH_ACTION = "csce_pages.unpublish_with_reason"
PUBLISH_OVERRIDE_ACTION = "csce_pages.publish_override"

REASON_REQUIRED = _("Give the reason: it is kept in the page's history.")
REASON_TOO_LONG = _("The reason is too long.")


def review_period() -> datetime.timedelta:
    return datetime.timedelta(days=policy.PAGE_REVIEW_DAYS)


def pages_with_review_base() -> QuerySet:
    """Live pages below the root with ``review_base``: the last review, else the first
    publication (a new page is due a year after it went live)."""
    return (
        Page.objects.live()
        .filter(depth__gt=1, alias_of__isnull=True)
        .annotate(
            review_base=Coalesce(
                F("csce_review__reviewed_at"),
                F("first_published_at"),
                output_field=DateTimeField(),
            )
        )
    )


def pages_due_for_review(
    *, now: datetime.datetime, owner_id: int | None = None, within_days: int = 0
) -> QuerySet:
    """Live pages due for review by ``now`` (plus ``within_days``), oldest first;
    only ``owner_id``'s when given."""
    limit = now + datetime.timedelta(days=within_days) - review_period()
    queryset = pages_with_review_base().filter(
        Q(review_base__lte=limit) | Q(review_base__isnull=True)
    )
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    return queryset.select_related("owner", "locale").order_by(
        F("review_base").asc(nulls_first=True), "pk"
    )


def page_review_due_at(page: Page) -> datetime.datetime | None:
    base = getattr(page, "review_base", None)
    return base + review_period() if base is not None else None


def page_review_allowed(*, page: Page, user) -> bool:
    """The owner, or the AED, may mark a page reviewed; both must be able to edit it."""
    if not page.permissions_for_user(user).can_edit():
        return False
    return page.owner_id == user.pk or user.has_perm(OVERRIDE_PERMISSION)


@transaction.atomic
def page_review_mark(*, page: Page, user, now: datetime.datetime | None = None) -> PageReview:
    if not page_review_allowed(page=page, user=user):
        raise PermissionDenied
    now = now or timezone.now()
    review, _created = PageReview.objects.update_or_create(
        page_id=page.pk, defaults={"reviewed_at": now, "reviewed_by": user}
    )
    log(instance=page, action=REVIEW_ACTION, user=user, data={"reviewed_at": now.isoformat()})
    return review


@transaction.atomic
def owner_set(*, page: Page, owner_id: int | None, user) -> bool:
    """Policy C: the AED gives a page to another content owner; logged in the page's
    history. Returns whether the owner changed."""
    if not user.has_perm(OVERRIDE_PERMISSION):
        raise PermissionDenied
    current = Page.objects.filter(pk=page.pk).values_list("owner_id", flat=True).first()
    if current == owner_id:
        return False
    Page.objects.filter(pk=page.pk).update(owner_id=owner_id)
    log(
        instance=page,
        action=OWNER_ACTION,
        user=user,
        data={"owner_id": owner_id, "previous_owner_id": current},
    )
    return True


def override_reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="required")
    if len(reason) > policy.OVERRIDE_REASON_MAX_LENGTH:
        raise ValidationError(REASON_TOO_LONG, code="max_length")
    return reason


def _owner_tell(*, page: Page, user, action: str) -> None:
    """E-mail the owner, in their language, that the AED acted on their page."""
    owner = page.owner
    if owner is None or owner.pk == user.pk or not owner.is_active or not owner.email:
        return
    language = staff_language(owner)
    with translation.override(language):
        context = {
            "title": page.get_admin_display_title(),
            "unpublished": action == UNPUBLISH_ACTION,
            "history_url": _admin_url(reverse("wagtailadmin_pages:history", args=[page.pk])),
        }
        subject = render_to_string("pages/email/override_subject.txt", context)
        body = render_to_string("pages/email/override.txt", context)
    # The site's EMAIL_BACKEND writes it to the outbox, in this transaction (pages sits
    # below the outbox in docs/architecture.md's layers, so it does not import it).
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[owner.email]).send()


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def page_unpublish_with_reason(*, page: Page, user, reason: str) -> Page:
    """Policy X: the AED takes a live page (and its aliases) down, with a reason kept in
    the page's history; the owner is told."""
    if not user.has_perm(OVERRIDE_PERMISSION) or not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    reason = override_reason_clean(reason)
    page = page.specific
    if not page.live:
        raise ValidationError(_("The page is not published."), code="not_live")
    page.unpublish(user=user, log_action=False)
    log(instance=page, action=UNPUBLISH_ACTION, user=user, data={"reason": reason})
    _owner_tell(page=page, user=user, action=UNPUBLISH_ACTION)
    return page


@transaction.atomic
def page_publish_override_record(*, page: Page, user, reason: str) -> None:
    """Policy X: the AED published a page another staff member owns; the reason goes in
    the page's history and the owner is told."""
    if not user.has_perm(OVERRIDE_PERMISSION):
        raise PermissionDenied
    reason = override_reason_clean(reason)
    log(instance=page, action=PUBLISH_OVERRIDE_ACTION, user=user, data={"reason": reason})
    _owner_tell(page=page, user=user, action=PUBLISH_OVERRIDE_ACTION)
