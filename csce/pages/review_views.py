"""The review and override screens (policy C, X, R): pages due for review, marking a page
reviewed, and the AED's "unpublish with a reason".

Adversaries: a staff member reading another owner's list (each sees only the pages they
own unless they hold the override permission, the AED's), a forged POST marking someone
else's page reviewed or unpublishing a page (refused with the 403 page: the services
check again), an open redirect through ``next`` (only this host's paths are followed).
The screens show page titles, dates and staff names: no personal data of the public.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from csce.common import policy
from csce.common.admin_views import NoStoreMixin, forbidden
from csce.common.staff import staff_display_name

from .panels import OVERRIDE_PERMISSION, OVERRIDE_REASON_FIELD
from .review import (
    page_review_allowed,
    page_review_due_at,
    page_review_mark,
    page_unpublish_with_reason,
    pages_due_for_review,
    pages_with_review_base,
)

PAGE_SIZE = 50
REVIEW_REFUSED = _(
    "Only the page's content owner or the Assistant Executive Director marks it reviewed."
)
OVERRIDE_REFUSED = _("Only the Assistant Executive Director unpublishes a page with a reason.")


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def review_rows(pages, *, now, user) -> list[dict]:
    rows = []
    for page in pages:
        due_at = page_review_due_at(page)
        rows.append(
            {
                "page": page,
                "title": page.get_admin_display_title(),
                "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                "language": page.locale.get_display_name(),
                "owner": staff_display_name(page.owner) if page.owner else "",
                "reviewed_at": page.review_base,
                "due_at": due_at,
                "overdue": due_at is None or due_at <= now,
                "mark_url": reverse("pages_review:mark", args=[page.pk])
                if page_review_allowed(page=page, user=user)
                else "",
            }
        )
    return rows


class PagesDueView(NoStoreMixin, WagtailAdminTemplateMixin, TemplateView):
    """Policy C, R: each staff member sees the pages they own that are due for review (or
    due within the warning period); the AED sees every owner's, and may filter by one."""

    template_name = "pages/admin/review_due.html"
    page_title = _("Pages due for review")
    header_icon = "calendar-check"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        sees_all = user.has_perm(OVERRIDE_PERMISSION)
        owner_id = user.pk
        owners = []
        if sees_all:
            owner_id = None
            raw = self.request.GET.get("owner", "")
            if raw.isdigit():
                owner_id = int(raw)
            owner_ids = (
                pages_with_review_base()
                .exclude(owner__isnull=True)
                .values_list("owner_id", flat=True)
                .distinct()
            )
            owners = [
                {"pk": owner.pk, "name": staff_display_name(owner), "current": owner.pk == owner_id}
                for owner in get_user_model()
                .objects.filter(pk__in=owner_ids)
                .order_by("last_name", "first_name", "username")
            ]
        pages = pages_due_for_review(
            now=now, owner_id=owner_id, within_days=policy.PAGE_REVIEW_WARNING_DAYS
        )
        paginator = Paginator(pages, PAGE_SIZE)
        page_obj = paginator.get_page(self.request.GET.get("p"))
        context.update(
            rows=review_rows(page_obj.object_list, now=now, user=user),
            page_obj=page_obj,
            paginator=paginator,
            sees_all=sees_all,
            owners=owners,
            owner_id=owner_id or "",
            months=policy.PAGE_REVIEW_MONTHS,
            warning_days=policy.PAGE_REVIEW_WARNING_DAYS,
            here=self.request.get_full_path(),
        )
        return context


class _PageActionView(NoStoreMixin, WagtailAdminTemplateMixin, TemplateView):
    refused = REVIEW_REFUSED

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"], depth__gt=1).specific
        if not self.allowed():
            return forbidden(request, reason=self.refused)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request, reason=self.refused)

    def allowed(self) -> bool:
        raise NotImplementedError

    def default_next(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            title=self.page.get_admin_display_title(),
            next=_next_url(self.request, self.default_next()),
        )
        return context


class PageReviewMarkView(_PageActionView):
    """Policy C: the owner (or the AED) confirms the page is still accurate."""

    template_name = "pages/admin/review_mark.html"
    page_title = _("Mark as reviewed")
    header_icon = "calendar-check"

    def allowed(self) -> bool:
        return page_review_allowed(page=self.page, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        annotated = pages_with_review_base().filter(pk=self.page.pk).first()
        context.update(
            reviewed_at=annotated.review_base if annotated else None,
            due_at=page_review_due_at(annotated) if annotated else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        page_review_mark(page=self.page, user=request.user)
        messages.success(
            request,
            gettext("“%(title)s” is marked as reviewed today.")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect(_next_url(request, self.default_next()))


class PageUnpublishWithReasonView(_PageActionView):
    """Policy X: the AED takes a page down and says why; the reason goes in the page's
    history and the owner is told by e-mail."""

    template_name = "pages/admin/unpublish_reason.html"
    page_title = _("Unpublish with a reason")
    header_icon = "download"
    refused = OVERRIDE_REFUSED

    def allowed(self) -> bool:
        user = self.request.user
        return (
            user.has_perm(OVERRIDE_PERMISSION) and self.page.permissions_for_user(user).can_edit()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reason", "")
        context.setdefault("error", "")
        context.update(
            field_name=OVERRIDE_REASON_FIELD,
            max_length=policy.OVERRIDE_REASON_MAX_LENGTH,
            owner=staff_display_name(self.page.owner) if self.page.owner else "",
        )
        return context

    def post(self, request, *args, **kwargs):
        reason = request.POST.get(OVERRIDE_REASON_FIELD, "")
        try:
            page_unpublish_with_reason(page=self.page, user=request.user, reason=reason)
        except ValidationError as error:
            context = self.get_context_data(reason=reason, error=" ".join(error.messages))
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            gettext("“%(title)s” is unpublished; the reason is in its history.")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect(_next_url(request, self.default_next()))
