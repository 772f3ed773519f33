"""The inboxes in the Wagtail admin: list, item, actions, close and purge, CSV export,
attached files.

Policy F (need to know): a member of an item's inbox reads it; anyone else gets a real
403, whatever page permissions they hold. Every opening of an item, of a file and every
export is written to the access log (inbox/services.py, uploads.py). The list shows each
item's sender, topic and a short excerpt: one entry per screen names the items read, and
neither the list nor an item is logged again when re-read within the visit
(csce/audit/reads.py, VISIT_MINUTES).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page

from csce.accounts.roles import ROLE_LABELS
from csce.audit.reads import PersonalDataReadMixin, personal_data_read_many
from csce.common.admin_views import (
    AssigneeColumn,
    CaseDetailView,
    DueColumn,
    forbidden,
    need_to_know,
)
from csce.common.http import no_store
from csce.common.numbers import number_from_url
from csce.common.staff import staff_display_name

from ..models.pages import PersonalDataFormPage
from ..models.records import FormKind, Submission, SubmissionFile, SubmissionStatus
from ..programs.registration import session_label
from ..services import SUBMISSION_TYPE, submission_close
from ..uploads import submission_file_read
from . import exports, selectors
from . import services as inbox_services
from .admin_forms import (
    SubmissionAssignForm,
    SubmissionCloseForm,
    SubmissionNoteForm,
    SubmissionReplyForm,
    SubmissionReplyPreviewForm,
    SubmissionStatusForm,
)
from .selectors import INBOX_FORBIDDEN_REASON


def inbox_forbidden(request):
    """The 403 page of the inboxes, saying why (policy F)."""
    return forbidden(request, reason=INBOX_FORBIDDEN_REASON)


# --- list ------------------------------------------------------------------------------


def _visible(request):
    return selectors.submissions_visible_to(user=request.user)


def _form_choices(request):
    rows = _visible(request).order_by().values_list("page_id", "form_title").distinct()
    titles: dict = {}
    for page_id, title in rows:
        if page_id is not None:
            titles.setdefault(page_id, title)
    return sorted(titles.items(), key=lambda item: item[1].casefold())


def _assignee_choices(request):
    ids = _visible(request).exclude(assigned_to=None).values_list("assigned_to_id", flat=True)
    users = get_user_model().objects.filter(pk__in=ids)
    return sorted(
        ((user.pk, staff_display_name(user)) for user in users),
        key=lambda choice: choice[1].casefold(),
    )


class SubmissionFilterSet(WagtailFilterSet):
    page = django_filters.ChoiceFilter(
        label=_("Form"), field_name="page_id", choices=_form_choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SubmissionStatus.choices, empty_label=_("All")
    )
    assigned_to = django_filters.ChoiceFilter(
        label=_("Assigned to"),
        field_name="assigned_to_id",
        choices=_assignee_choices,
        null_label=_("Nobody"),
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=FormKind.choices, empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("First response overdue"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Submission
        fields = ["page", "status", "assigned_to", "kind", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The choices name only forms and colleagues of the user's own inboxes.
        self.filters["page"].extra["choices"] = lambda: _form_choices(request)
        self.filters["assigned_to"].extra["choices"] = lambda: _assignee_choices(request)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        rule = selectors.overdue_filter()
        return queryset.filter(rule) if value else queryset.exclude(rule)


class StatusColumn(Column):
    """The item's status and, for a registration, its place: confirmed, waitlisted or
    cancelled, in words."""

    cell_template_name = "submissions/admin/cells/status.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["registration_state"] = getattr(instance, "inbox_registration_state", "")
        return context


def _row_annotate(submission: Submission) -> None:
    """What a row shows of the item: set on the instance for the table's columns."""
    if submission.is_purged:
        submission.inbox_sender = gettext("Closed item #%(number)s") % {"number": submission.pk}
        submission.inbox_topic = submission.form_title
        submission.inbox_excerpt = ""
    else:
        submission.inbox_sender = selectors.submission_sender(submission=submission) or gettext(
            "Anonymous (#%(number)s)"
        ) % {"number": submission.pk}
        submission.inbox_topic = selectors.submission_topic(submission=submission)
        submission.inbox_excerpt = selectors.submission_excerpt(submission=submission)
    submission.inbox_registration_state = selectors.registration_state_label(
        registration=selectors.submission_registration(submission=submission)
    )


class InboxIndexView(BaseListingView):
    template_name = "submissions/admin/index.html"
    page_title = _("Inboxes")
    header_icon = "mail"
    filterset_class = SubmissionFilterSet
    index_url_name = "submissions_admin:index"
    index_results_url_name = "submissions_admin:index_results"
    paginate_by = 50
    verbose_name = _("submission")
    verbose_name_plural = _("submissions")
    columns = [
        TitleColumn("inbox_sender", label=_("From"), url_name="submissions_admin:detail"),
        Column("inbox_topic", label=_("Topic")),
        Column("inbox_excerpt", label=_("Message")),
        DateColumn("created_at", label=_("Received")),
        StatusColumn("get_status_display", label=_("Status")),
        AssigneeColumn("assigned_to", label=_("Assigned to")),
        DueColumn("due_at", label=_("First response due"), with_time=True),
    ]

    def get_base_queryset(self):
        return _visible(self.request).select_related("assigned_to", "registration")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = list(object_list)
        for row in rows:
            _row_annotate(row)
        # Policy F: the names and excerpts shown are a read of those items: one entry for
        # the screen, naming the items not already read in this visit.
        personal_data_read_many(
            actor=self.request.user,
            records=[row for row in rows if not row.is_purged],
            object_type=SUBMISSION_TYPE,
            request=self.request,
            details={"view": "inbox_list"},
        )
        return paginator, page, rows, is_paginated

    @cached_property
    def header_buttons(self):
        buttons = []
        if selectors.user_has_program(user=self.request.user):
            buttons.append(
                HeaderButton(
                    gettext("Registrations per session"),
                    url=reverse("submissions_admin:programs"),
                    icon_name="date",
                )
            )
        page_id = number_from_url(self.request.GET.get("page"))
        if page_id is not None:
            buttons.append(
                HeaderButton(
                    gettext("Export this form (CSV)"),
                    url=reverse("submissions_admin:export", args=[page_id]),
                    icon_name="download",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = selectors.submission_status_counts(
            queryset=_visible(self.request)
        )
        context["overdue_count"] = _visible(self.request).filter(selectors.overdue_filter()).count()
        return context


# --- one item --------------------------------------------------------------------------

ACTION_FORMS = {
    "assign": SubmissionAssignForm,
    "status": SubmissionStatusForm,
    "note": SubmissionNoteForm,
    "reply_preview": SubmissionReplyPreviewForm,
    "reply": SubmissionReplyForm,
}


class SubmissionPermissionMixin:
    """Loads the item and refuses anyone outside its inbox with a real 403."""

    def dispatch(self, request, *args, **kwargs):
        self.submission = get_object_or_404(
            Submission.objects.select_related("assigned_to", "closed_by", "inbox"),
            pk=kwargs["pk"],
        )
        if not selectors.user_may_read_submission(user=request.user, submission=self.submission):
            return inbox_forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("submissions_admin:index"), "label": gettext("Inboxes")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_page_title(self):
        return gettext("%(form)s #%(number)s") % {
            "form": self.submission.form_title,
            "number": self.submission.pk,
        }


def _optional_url(name: str, *args) -> str:
    # Views of the survey results and attached files, when they are installed.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _file_url(file) -> str:
    return _optional_url("submissions_admin:submission_file_download", file.pk)


def _display(value) -> str:
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class SubmissionDetailView(SubmissionPermissionMixin, PersonalDataReadMixin, CaseDetailView):
    template_name = "submissions/admin/detail.html"
    header_icon = "mail"
    personal_object_type = SUBMISSION_TYPE
    # One read per visit: a reload, or coming back after an action, is not a new reading.
    personal_read_per_visit = True
    action_forms = ACTION_FORMS
    case_form_kwarg = "submission"

    def personal_read_details(self, record) -> dict:
        return {"kind": record.kind, "purged": record.is_purged}

    def case_get(self, **kwargs):
        # Loaded, and its inbox checked, by SubmissionPermissionMixin.
        return self.submission

    def case_url(self) -> str:
        return reverse("submissions_admin:detail", args=[self.submission.pk])

    def action_allowed(self, action: str) -> bool:
        # Policy M: once its content is deleted, an item keeps only its tombstone.
        return not self.submission.is_purged

    def action_perform(self, action: str, data: dict) -> None:
        user = self.request.user
        if action == "assign":
            inbox_services.submission_assign(
                submission=self.submission, assignee=data["assignee"], actor=user
            )
            messages.success(self.request, gettext("Assignment saved."))
        elif action == "status":
            inbox_services.submission_status_set(
                submission=self.submission, status=data["status"], actor=user
            )
            messages.success(self.request, gettext("Status saved."))
        elif action == "note":
            inbox_services.submission_note_add(
                submission=self.submission, author=user, text=data["text"]
            )
            messages.success(self.request, gettext("Note added."))
        elif action == "reply_preview":
            preview = inbox_services.submission_reply_compose(
                submission=self.submission, body=data["body"]
            )
            seal = inbox_services.reply_preview_seal(submission=self.submission, body=data["body"])
            send_form = SubmissionReplyForm(
                initial={"body": data["body"], "seal": seal}, submission=self.submission
            )
            return self.render_to_response(
                self.get_context_data(
                    reply_preview=preview,
                    reply_preview_form=self.action_form("reply_preview", self.request.POST),
                    reply_form=send_form,
                )
            )
        elif action == "reply":
            inbox_services.submission_reply_send(
                submission=self.submission, actor=user, body=data["body"]
            )
            messages.success(
                self.request,
                gettext(
                    "Reply queued: it goes out within minutes; a delivery failure is shown to "
                    "the AED and the Technical administrator."
                ),
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        context["submission"] = submission
        context["answers"] = [
            {**answer, "display": _display(answer.get("value"))}
            for answer in submission.answers or []
        ]
        context["notes"] = list(submission.notes.select_related("author"))
        replies = list(submission.replies.select_related("sent_by"))
        states = selectors.reply_delivery_states(replies=replies)
        context["replies"] = [
            {
                "reply": reply,
                "state": states[reply.pk],
                "state_label": selectors.REPLY_DELIVERY_LABELS[states[reply.pk]],
            }
            for reply in replies
        ]
        if "reply_form" in kwargs and "reply_preview_form" not in kwargs:
            # Sending failed: the text comes back in the box, as typed (never lost).
            retyped = self.action_form("reply_preview", {"body": self.request.POST.get("body", "")})
            retyped.is_valid()
            context["reply_preview_form"] = retyped
        registration = selectors.submission_registration(submission=submission)
        context["registration"] = registration
        context["registration_state"] = selectors.registration_state_label(
            registration=registration
        )
        if registration is not None and registration.session is not None:
            context["registration_session"] = session_label(session=registration.session)
        context["inbox_label"] = ROLE_LABELS.get(submission.inbox.name, submission.inbox.name)
        context["sender"] = selectors.submission_sender(submission=submission)
        context["topic"] = selectors.submission_topic(submission=submission)
        context["reply_language"] = inbox_services.submission_reply_language(submission=submission)
        context["files"] = [
            {"file": file, "url": _file_url(file)} for file in submission.files.all()
        ]
        context["reply_address"] = inbox_services.submission_reply_address(submission=submission)
        context["close_url"] = reverse("submissions_admin:close", args=[submission.pk])
        if submission.page_id:
            context["export_url"] = reverse("submissions_admin:export", args=[submission.page_id])
            if submission.kind == FormKind.SURVEY:
                # A survey is read as results per question (surveys/results.py).
                context["results_url"] = _optional_url(
                    "submissions_admin:survey_results", submission.page_id
                )
        return context


class SubmissionCloseView(SubmissionPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Policy M: "communications deletes confidential data": close and purge, confirmed."""

    template_name = "submissions/admin/close.html"
    header_icon = "bin"

    def get_page_title(self):
        return gettext("Close and delete %(item)s") % {"item": super().get_page_title()}

    def post(self, request, *args, **kwargs):
        form = SubmissionCloseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submission_close(submission=self.submission, actor=request.user)
        messages.success(request, gettext("The item is closed and its content deleted."))
        return redirect("submissions_admin:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SubmissionCloseForm())
        context["submission"] = self.submission
        context["detail_url"] = reverse("submissions_admin:detail", args=[self.submission.pk])
        return context


# --- export ----------------------------------------------------------------------------


def submissions_export_view(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, PersonalDataFormPage):
        raise Http404
    if not selectors.user_may_export_form(user=request.user, page=page):
        return inbox_forbidden(request)
    content, _count = exports.submissions_export_csv(page=page, user=request.user)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"submissions-{page.pk}-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)


# --- attached files ------------------------------------------------------------------


@login_required
@need_to_know(reason=INBOX_FORBIDDEN_REASON)
def submission_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    if not selectors.user_may_read_submission(user=request.user, submission=file.submission):
        raise PermissionDenied
    data = submission_file_read(file=file, actor=request.user)
    response = HttpResponse(data, content_type=file.content_type)
    extension = Path(file.original_name).suffix.lower()[:8]
    # The visitor's name for the file may be personal: it stays out of headers and URLs.
    response["Content-Disposition"] = f'attachment; filename="file-{file.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return no_store(response)
