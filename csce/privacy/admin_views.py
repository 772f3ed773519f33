"""The Privacy Officer's workspace in the Wagtail admin: requests, deadlines, actions.

Policy P9, P10: one screen answers a request completely — find the person's data in
every app, send it, erase it, extend the deadline once, send the letters, close. Only
holders of ``privacy.view_privacyrequest`` enter; acting needs ``change_privacyrequest``.
"""

from __future__ import annotations

import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets import HeaderButton

from csce.audit.reads import PersonalDataReadMixin, personal_data_read
from csce.common.admin_views import (
    AssigneeColumn,
    CaseDetailView,
    DueColumn,
    NoStoreMixin,
    PermissionRequiredMixin,
    forbidden,
)
from csce.common.inquiries import InquiryNotOpen
from csce.common.typography import date_display

from . import admin_forms, intake, workspace
from .deadlines import request_days_left
from .models.records import (
    REMINDER_DAYS_BEFORE,
    EventKind,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from .registry import REQUEST_TYPE
from .services import unverified_requests_undelivered

VIEW_PERMISSION = "privacy.view_privacyrequest"
CHANGE_PERMISSION = "privacy.change_privacyrequest"


FORBIDDEN_REASON = _(
    "Privacy requests are handled by the Privacy Officer only (policy F, need to know)."
)


def _overdue_rule(now=None) -> Q:
    now = now or timezone.now()
    return ~Q(status=RequestStatus.CLOSED) & (
        Q(extended_due_at__lt=now) | Q(extended_due_at__isnull=True, due_at__lt=now)
    )


# The dashboard lists at most this many requests near their deadline.
NEAR_SHOWN = 10


def requests_overview(*, now=None) -> dict:
    """Open requests, those overdue, and the next one due (the dashboard panel)."""
    open_requests = PrivacyRequest.objects.open()
    next_due = (
        open_requests.exclude(_overdue_rule(now))
        .annotate(due=Coalesce("extended_due_at", "due_at"))
        .order_by("due", "pk")
        .first()
    )
    now = now or timezone.now()
    # Policy P10: those due within the first reminder's days, and the overdue, soonest first.
    horizon = now + datetime.timedelta(days=max(REMINDER_DAYS_BEFORE))
    near = list(
        open_requests.annotate(due=Coalesce("extended_due_at", "due_at"))
        .filter(due__lte=horizon)
        .only("pk", "reference", "kind", "due_at", "extended_due_at", "status")
        .order_by("due", "pk")[:NEAR_SHOWN]
    )
    return {
        "open_count": open_requests.count(),
        "overdue_count": open_requests.filter(_overdue_rule(now)).count(),
        "next_due": next_due,
        "near": [
            {
                "request": r,
                "days_left": request_days_left(request=r, now=now),
                "overdue": r.effective_due_at < now,
            }
            for r in near
        ],
        "near_days": max(REMINDER_DAYS_BEFORE),
        "inquiries_count": intake.privacy_inquiries_count(),
    }


class PrivacyRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RequestStatus.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Request"), choices=RequestKind.choices, empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = PrivacyRequest
        fields = ["status", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(_overdue_rule()) if value else queryset.exclude(_overdue_rule())


class PrivacyPermissionMixin(PermissionRequiredMixin):
    permission = VIEW_PERMISSION
    forbidden_reason = FORBIDDEN_REASON


class PrivacyRequestIndexView(PrivacyPermissionMixin, NoStoreMixin, BaseListingView):
    template_name = "privacy/admin/index.html"
    page_title = _("Privacy requests")
    header_icon = "lock"
    filterset_class = PrivacyRequestFilterSet
    index_url_name = "privacy_requests:index"
    index_results_url_name = "privacy_requests:index_results"
    paginate_by = 50
    verbose_name = _("privacy request")
    verbose_name_plural = _("privacy requests")
    columns = [
        TitleColumn("reference", label=_("Reference"), url_name="privacy_requests:detail"),
        Column("get_kind_display", label=_("Request")),
        DateColumn("verified_at", label=_("Address confirmed")),
        DueColumn("due_at", label=_("Answer due")),
        Column("get_status_display", label=_("Status")),
        AssigneeColumn("assigned_to", label=_("Assigned to")),
    ]

    def get_base_queryset(self):
        return PrivacyRequest.objects.select_related("assigned_to").order_by("-verified_at", "-pk")

    @cached_property
    def header_buttons(self):
        if not self.request.user.has_perm(CHANGE_PERMISSION):
            return []
        return [
            HeaderButton(
                gettext("Log a request (telephone, mail, in person)"),
                url=reverse("privacy_requests:log"),
                icon_name="plus",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict.fromkeys(RequestStatus.values, 0)
        for row in PrivacyRequest.objects.order_by().values_list("status", flat=True):
            counts[row] = counts.get(row, 0) + 1
        context["status_counts"] = [
            {"status": s.value, "label": s.label, "count": counts[s.value]} for s in RequestStatus
        ]
        context["overdue_count"] = PrivacyRequest.objects.filter(_overdue_rule()).count()
        if not getattr(self, "results_only", False):
            context["undelivered"] = _undelivered_rows(request=self.request)
            context["inquiries"] = privacy_inquiries_overview()
            context["may_act"] = self.request.user.has_perm(CHANGE_PERMISSION)
        return context


def privacy_inquiries_overview() -> dict:
    """The privacy topic's inquiries not yet converted: dates, language and a link only,
    no name or words (those are read, and logged, on the conversion screen)."""
    return {
        "count": intake.privacy_inquiries_count(),
        "rows": intake.privacy_inquiries_listed(),
    }


def _undelivered_rows(*, request) -> list[dict]:
    """Forms whose confirmation link failed: the officer reaches the person otherwise.
    Showing their address is a read of personal data, so it is logged (policy F)."""
    rows = []
    for unread in unverified_requests_undelivered():
        verification = personal_data_read(
            actor=request.user,
            record=unread,
            object_type="privacy.privacyrequestverification",
            details={"reason": "verification_undelivered"},
            request=request,
        )
        payload = verification.payload or {}
        rows.append(
            {
                "received_at": verification.created_at,
                "expires_at": verification.expires_at,
                "kind": RequestKind(payload.get("kind", RequestKind.OTHER)).label,
                "email": payload.get("email", ""),
                "language": payload.get("language", ""),
            }
        )
    return rows


ACTIONS = {
    form.action_name: form
    for form in (
        admin_forms.AssignForm,
        admin_forms.DiscoverForm,
        admin_forms.ExportForm,
        admin_forms.EraseForm,
        admin_forms.ExtendForm,
        admin_forms.LetterForm,
        admin_forms.NoteForm,
        admin_forms.CloseForm,
    )
}


# The actions that find the person's data by their e-mail address.
ADDRESS_ACTIONS = frozenset({"discover", "export", "erase"})


class PrivacyRequestDetailView(PrivacyPermissionMixin, PersonalDataReadMixin, CaseDetailView):
    template_name = "privacy/admin/detail.html"
    header_icon = "lock"
    personal_object_type = REQUEST_TYPE
    action_forms = ACTIONS
    case_form_kwarg = "privacy_request"
    action_permission = CHANGE_PERMISSION

    def personal_read_details(self, record) -> dict:
        return {"reason": "privacy_request"}

    def case_get(self, **kwargs):
        self.findings = None
        self.privacy_request = get_object_or_404(
            PrivacyRequest.objects.select_related("assigned_to", "closed_by"), pk=kwargs["pk"]
        )
        return self.privacy_request

    def case_url(self) -> str:
        return reverse("privacy_requests:detail", args=[self.privacy_request.pk])

    def action_allowed(self, action: str) -> bool:
        # A closed request keeps its record; only a note may still be added.
        if self.privacy_request.status == RequestStatus.CLOSED and action != "note":
            return False
        # The apps are searched by address: without one there is nothing to search.
        return bool(self.privacy_request.email) or action not in ADDRESS_ACTIONS

    def get_page_title(self):
        return gettext("Privacy request %(reference)s") % {
            "reference": self.privacy_request.reference
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("privacy_requests:index"), "label": gettext("Privacy requests")},
            {"url": "", "label": self.get_page_title()},
        ]

    def action_perform(self, action: str, data: dict):
        user = self.request.user
        privacy_request = self.privacy_request
        if action == "assign":
            workspace.privacy_request_assign(
                request=privacy_request, assignee=data["assignee"], actor=user
            )
            messages.success(self.request, gettext("Assignment saved."))
        elif action == "discover":
            # Shown at once, on this answer only: what was found is not kept in the page.
            self.findings = workspace.privacy_request_discover(request=privacy_request, actor=user)
            return self.render_to_response(self.get_context_data())
        elif action == "export":
            workspace.privacy_request_export(request=privacy_request, actor=user)
            messages.success(
                self.request, gettext("The requester was sent a single-use download link.")
            )
        elif action == "erase":
            results = workspace.privacy_request_erase(request=privacy_request, actor=user)
            erased = sum(r.get("erased", 0) for r in results.values())
            messages.success(
                self.request,
                gettext("%(count)d records erased; the records the law requires were kept.")
                % {"count": erased},
            )
        elif action == "extend":
            workspace.privacy_request_extend(
                request=privacy_request, actor=user, days=data["days"], reason=data["reason"]
            )
            messages.success(self.request, gettext("Deadline extended; the requester was told."))
        elif action == "letter":
            workspace.privacy_request_letter_send(
                request=privacy_request, actor=user, letter=data["letter"], message=data["message"]
            )
            messages.success(
                self.request,
                gettext(
                    "Letter queued: it goes out within minutes; a delivery failure is shown to "
                    "the AED and the Technical administrator."
                ),
            )
        elif action == "note":
            workspace.privacy_request_note_add(
                request=privacy_request, actor=user, text=data["text"]
            )
            messages.success(self.request, gettext("Note added."))
        elif action == "close":
            workspace.privacy_request_close(
                request=privacy_request, actor=user, outcome=data["outcome"]
            )
            messages.success(self.request, gettext("Request closed."))
        return None

    def get_context_data(self, **kwargs):
        # The requester's address and details are personal data: the case view logs each
        # showing, once per request (a form sent back with errors shows them again).
        context = super().get_context_data(**kwargs)
        privacy_request = self.privacy_request
        context["privacy_request"] = privacy_request
        context["may_act"] = self.request.user.has_perm(CHANGE_PERMISSION)
        context["is_closed"] = privacy_request.status == RequestStatus.CLOSED
        context["days_left"] = request_days_left(request=privacy_request)
        context["overdue"] = privacy_request.is_overdue()
        context["events"] = list(privacy_request.events.select_related("actor"))
        context["findings"] = self.findings
        context["last_discovery"] = next(
            (e for e in reversed(context["events"]) if e.kind == EventKind.DISCOVERY), None
        )
        context["exports"] = list(privacy_request.exports.order_by("-created_at"))
        return context


class PrivacyRequestCorrectView(
    PrivacyPermissionMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Correct one of the person's records, as a correction request asks (PHIPA s.55)."""

    template_name = "privacy/admin/correct.html"
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            return forbidden(request, reason=FORBIDDEN_REASON)
        self.privacy_request = get_object_or_404(
            PrivacyRequest.objects.exclude(status=RequestStatus.CLOSED), pk=kwargs["pk"]
        )
        self.source_key = kwargs["source"]
        self.object_id = kwargs["object_id"]
        return super().dispatch(request, *args, **kwargs)

    def _values(self):
        try:
            return workspace.privacy_request_correctable(
                request=self.privacy_request,
                source_key=self.source_key,
                object_id=self.object_id,
                actor=self.request.user,
            )
        except LookupError as error:
            raise Http404 from error

    def get_page_title(self):
        return gettext("Correct a record for %(reference)s") % {
            "reference": self.privacy_request.reference
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("privacy_requests:index"), "label": gettext("Privacy requests")},
            {
                "url": reverse("privacy_requests:detail", args=[self.privacy_request.pk]),
                "label": self.privacy_request.reference,
            },
            {"url": "", "label": gettext("Correction")},
        ]

    def get(self, request, *args, **kwargs):
        form = admin_forms.CorrectionForm(values=self._values())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = admin_forms.CorrectionForm(request.POST, values=self._values())
        if form.is_valid():
            try:
                workspace.privacy_request_correct(
                    request=self.privacy_request,
                    source_key=self.source_key,
                    object_id=self.object_id,
                    changes=form.changes(),
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            except LookupError as error:
                raise Http404 from error
            else:
                messages.success(request, gettext("The record is corrected."))
                return redirect("privacy_requests:detail", pk=self.privacy_request.pk)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["privacy_request"] = self.privacy_request
        context["detail_url"] = reverse("privacy_requests:detail", args=[self.privacy_request.pk])
        return context


# --- requests that do not come through the portal (policy P9) ---------------------------


class PrivacyIntakeMixin(PrivacyPermissionMixin, NoStoreMixin, WagtailAdminTemplateMixin):
    """Writing a request needs ``change_privacyrequest``, as acting on one does."""

    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(CHANGE_PERMISSION):
            return forbidden(request, reason=FORBIDDEN_REASON)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("privacy_requests:index"), "label": gettext("Privacy requests")},
            {"url": "", "label": self.get_page_title()},
        ]


class _PrivacyRequestCreateView(PrivacyIntakeMixin, TemplateView):
    """A form that creates a privacy request: refused input comes back with its message
    and what was typed (400); a created request opens with its due date said."""

    form_class: type
    success_message: str

    def request_create(self, form):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                privacy_request = self.request_create(form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext(self.success_message)
                    % {
                        "reference": privacy_request.reference,
                        "due": date_display(privacy_request.due_at),
                    },
                )
                return redirect("privacy_requests:detail", pk=privacy_request.pk)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class PrivacyRequestLogView(_PrivacyRequestCreateView):
    """A request received by telephone, mail or in person (policy P9, P10)."""

    template_name = "privacy/admin/log.html"
    page_title = _("Log a request received by telephone, mail or in person")
    form_class = admin_forms.PrivacyRequestLogForm
    success_message = gettext_noop("Request %(reference)s logged; the answer is due on %(due)s.")

    def request_create(self, form):
        return intake.privacy_request_log(actor=self.request.user, **form.cleaned_data)


class PrivacyInquiryConvertView(_PrivacyRequestCreateView):
    """An inquiry of the contact form's privacy topic becomes a request, in one action."""

    template_name = "privacy/admin/convert.html"
    page_title = _("Convert an inquiry into a privacy request")
    form_class = admin_forms.PrivacyInquiryConvertForm
    success_message = gettext_noop(
        "Request %(reference)s created from the inquiry, which is closed; "
        "the answer is due on %(due)s."
    )

    def dispatch(self, request, *args, **kwargs):
        self.inquiry_id = kwargs["submission_id"]
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Showing what the person wrote is a read of their data (policy F).
        try:
            context["carried"] = intake.privacy_inquiry_read(
                inquiry_id=self.inquiry_id, actor=self.request.user, request=self.request
            )
        except InquiryNotOpen as error:
            raise Http404 from error
        return context

    def request_create(self, form):
        try:
            return intake.privacy_request_convert(
                inquiry_id=self.inquiry_id, actor=self.request.user, **form.cleaned_data
            )
        except InquiryNotOpen as error:
            raise Http404 from error
