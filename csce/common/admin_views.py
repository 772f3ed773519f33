"""The staff-screen toolkit every domain app builds on: the need-to-know refusal, the
permission guard and the no-store detail view (policy F: only those who need the data
see it; nothing a staff screen shows is kept by a cache)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .http import no_store
from .staff import staff_display_name

FORBIDDEN_TEMPLATE = "common/admin/forbidden.html"
DEFAULT_REASON = _("This screen is open only to the staff members who need it for their work.")


def forbidden(request, *, reason: str | Promise = DEFAULT_REASON) -> TemplateResponse:
    """A plain 403 inside the admin, saying why (Wagtail's own refusal is a redirect to
    the dashboard, which hides that access was refused)."""
    # The admin's header shows the page title as the page's heading (WCAG 2.4.6: without
    # it the heading is empty).
    context = {"reason": reason, "page_title": gettext("Not allowed")}
    response = TemplateResponse(request, FORBIDDEN_TEMPLATE, context, status=403)
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


class CaseDetailView(NoStoreMixin, WagtailAdminTemplateMixin, TemplateView):
    """One case's page (an inquiry, a privacy request...): its personal content shown
    through the access log (policy F), never cached, and its actions as small forms posted
    back to it. The subclass mixes in ``csce.audit.reads.PersonalDataReadMixin`` before
    this class: common sits below the access log and does not import it.

    A subclass sets ``action_forms`` ({action: form class taking the case as
    ``case_form_kwarg``}), loads the case in ``case_get`` and performs an action in
    ``action_perform`` (a response, or None to come back to the page). A form with
    errors is shown again with what the staff member typed, with status 400; a mail
    server that refuses is said in words, never a 500.
    """

    action_forms: dict = {}
    case_form_kwarg = "case"
    # Acting may need more than reading (None: whoever reads may act).
    action_permission: str | None = None

    def case_get(self, **kwargs):
        raise NotImplementedError

    def personal_read(self, record):
        raise NotImplementedError("mix in csce.audit.reads.PersonalDataReadMixin first")

    def case_url(self) -> str:
        raise NotImplementedError

    def action_allowed(self, action: str) -> bool:
        """Whether ``action`` may be taken on the case as it stands (a closed case...)."""
        return True

    def action_perform(self, action: str, data: dict):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.case = self.case_get(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def action_form(self, action: str, data=None):
        return self.action_forms[action](data, **{self.case_form_kwarg: self.case})

    def post(self, request, *args, **kwargs):
        if self.action_permission and not request.user.has_perm(self.action_permission):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in self.action_forms or not self.action_allowed(action):
            return redirect(self.case_url())
        form = self.action_form(action, request.POST)
        if form.is_valid():
            try:
                response = self.action_perform(action, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except OSError:
                form.add_error(None, gettext("The e-mail could not be sent. Try again later."))
            else:
                return response if response is not None else redirect(self.case_url())
        response = self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Every showing of the page is a reading of the case, once per request (a form
        # sent back with errors shows it again).
        self.personal_read(self.case)
        for action in self.action_forms:
            context.setdefault(f"{action}_form", self.action_form(action))
        return context
