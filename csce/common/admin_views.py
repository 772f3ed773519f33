"""The staff-screen toolkit every domain app builds on: the need-to-know refusal, the
permission guard and the no-store detail view (policy F: only those who need the data
see it; nothing a staff screen shows is kept by a cache)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from .http import no_store
from .staff import staff_display_name

FORBIDDEN_TEMPLATE = "common/admin/forbidden.html"
DEFAULT_REASON = _("This screen is open only to the staff members who need it for their work.")


def forbidden(request, *, reason: str | Promise = DEFAULT_REASON) -> TemplateResponse:
    """A plain 403 inside the admin, saying why (Wagtail's own refusal is a redirect to
    the dashboard, which hides that access was refused)."""
    response = TemplateResponse(request, FORBIDDEN_TEMPLATE, {"reason": reason}, status=403)
    return no_store(response)


def need_to_know(view: Callable | None = None, *, reason: str | Promise = DEFAULT_REASON):
    """A view that raises PermissionDenied answers the 403 page instead.

    Usable bare (``@need_to_know``) or with the app's reason
    (``@need_to_know(reason=...)``)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return forbidden(request, reason=reason)

        return wrapped

    return decorate(view) if view is not None else decorate


class PermissionRequiredMixin:
    """Class-based admin views: refuse with the 403 page unless the user has
    ``permission``; ``forbidden_reason`` says why in the staff member's language."""

    permission: str = ""
    forbidden_reason: str | Promise = DEFAULT_REASON

    def dispatch(self, request, *args, **kwargs):
        if not self.permission or not request.user.has_perm(self.permission):
            return forbidden(request, reason=self.forbidden_reason)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request, reason=self.forbidden_reason)


class NoStoreMixin:
    """Every response of the view carries Cache-Control: private, no-store."""

    def dispatch(self, request, *args, **kwargs):
        return no_store(super().dispatch(request, *args, **kwargs))


class AssigneeColumn(Column):
    """Who has a case (``CaseModel.assigned_to``), or "Nobody" in words."""

    def get_value(self, instance):
        if instance.assigned_to is None:
            return gettext("Nobody")
        return staff_display_name(instance.assigned_to)


class DueColumn(Column):
    """A case's due date with the days left, "Overdue" and "Extended" in words: the flag
    is never colour alone (WCAG 1.4.1). Works on any ``CaseModel``."""

    cell_template_name = "common/admin/cells/due.html"

    def __init__(self, *args, with_time: bool = False, **kwargs):
        self.with_time = with_time
        super().__init__(*args, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(
            due=instance.case_due_at,
            with_time=self.with_time,
            running=instance.case_clock_running,
            overdue=instance.case_is_overdue(),
            days_left=instance.case_days_left(),
            extended=instance.case_is_extended,
        )
        return context
