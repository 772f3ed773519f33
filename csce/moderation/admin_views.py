"""The moderation queue in the Wagtail admin (policy U, R, X): reports of a concern and
comments waiting for moderation together, oldest first, each with the moment its answer
is due and "Overdue" in words; one page per comment and per report, with its content, its
history and the moderators' actions. Reading and acting need
``moderation.moderate_comment`` (content creators/administrators and the AED: roles.py);
every other staff member gets the 403 page that says why.

The queue shows kinds, categories, article titles and dates, never what a visitor wrote:
it is not a read of personal data. An item's page shows it: each opening is an
access-log read (csce/audit/reads.py), once per request.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Q, Value
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.audit.reads import PersonalDataReadMixin
from csce.common import policy
from csce.common.admin_views import CaseDetailView, NoStoreMixin, PermissionRequiredMixin
from csce.common.incident_intake import IncidentIntakeUnavailable, incident_intake
from csce.common.typography import datetime_display

from . import admin_forms, services
from .admin_forms import NOTE_REQUIRED
from .models import (
    ActionKind,
    Category,
    Comment,
    CommentState,
    ConcernReport,
    ModerationAction,
    ReportState,
    Subject,
)

MODERATE_PERMISSION = "moderation.moderate_comment"
# Who may open the incident an escalation created (the register's keepers): the link to
# it shows only to them (policy F, need to know).
INCIDENT_VIEW_PERMISSION = "incidents.view_incident"

FORBIDDEN_REASON = _(
    "The moderation queue is for the content creators/administrators and the Assistant "
    "Executive Director: it shows what visitors wrote (policy U, need to know)."
)

COMMENT, REPORT = "comment", "report"
WAITING, DECIDED, ALL = "waiting", "decided", "all"
STATUS_CHOICES = [
    (WAITING, pgettext_lazy("moderation queue", "Waiting")),
    (DECIDED, pgettext_lazy("moderation queue", "Decided or closed")),
    (ALL, pgettext_lazy("moderation queue", "All")),
]
PAGE_SIZE = 50


# --- what waits -----------------------------------------------------------------------


def _waiting_comments(queryset=None):
    return (queryset if queryset is not None else Comment.objects).filter(
        state=CommentState.PENDING
    )


def _waiting_reports(queryset=None):
    return (queryset if queryset is not None else ConcernReport.objects).filter(
        state=ReportState.OPEN
    )


def waiting_counts(*, now=None) -> dict[str, int]:
    """Policy R: what waits for a moderator and what is past its due moment; two queries
    whatever the queue holds, no personal value."""
    now = now or timezone.now()
    counts = {"waiting": 0, "overdue": 0}
    for queryset in (_waiting_comments(), _waiting_reports()):
        row = queryset.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        counts["waiting"] += row["waiting"]
        counts["overdue"] += row["overdue"]
    return counts


def waiting_count() -> int:
    return _waiting_comments().count() + _waiting_reports().count()


def _rows(status: str):
    """Comments and reports as one list, oldest first: codes, titles and dates only."""
    comments = Comment.objects.all()
    reports = ConcernReport.objects.all()
    if status == WAITING:
        comments, reports = _waiting_comments(comments), _waiting_reports(reports)
    elif status == DECIDED:
        comments = comments.exclude(state=CommentState.PENDING)
        reports = reports.exclude(state=ReportState.OPEN)
    text = CharField()
    comment_rows = (
        comments.order_by()
        .annotate(
            item=Value(COMMENT, output_field=text),
            label=F("page__title"),
            about=Value("", output_field=text),
            reference=Value("", output_field=text),
        )
        .values("pk", "created_at", "due_at", "state", "item", "label", "about", "reference")
    )
    report_rows = (
        reports.order_by()
        .annotate(
            item=Value(REPORT, output_field=text),
            label=F("category"),
            about=F("subject"),
            reference=F("incident_reference"),
        )
        .values("pk", "created_at", "due_at", "state", "item", "label", "about", "reference")
    )
    return comment_rows.union(report_rows, all=True).order_by("created_at", "item", "pk")


def _row_display(row: dict, *, now) -> dict:
    categories, subjects = dict(Category.choices), dict(Subject.choices)
    if row["item"] == COMMENT:
        waiting = row["state"] == CommentState.PENDING
        return {
            **row,
            "kind": gettext("Comment"),
            "what": row["label"],
            "what_prefix": gettext("Article"),
            "state_label": CommentState(row["state"]).label,
            "url": reverse("moderation_admin:comment", args=[row["pk"]]),
            "waiting": waiting,
            "overdue": waiting and row["due_at"] is not None and row["due_at"] < now,
        }
    waiting = row["state"] == ReportState.OPEN
    return {
        **row,
        "kind": gettext("Report of a concern"),
        "what": f"{categories.get(row['label'], row['label'])} — "
        f"{subjects.get(row['about'], row['about'])}",
        "what_prefix": gettext("Category"),
        "state_label": ReportState(row["state"]).label,
        "url": reverse("moderation_admin:report", args=[row["pk"]]),
        "waiting": waiting,
        "overdue": waiting and row["due_at"] is not None and row["due_at"] < now,
    }


class ModerationPermissionMixin(PermissionRequiredMixin):
    permission = MODERATE_PERMISSION
    forbidden_reason = FORBIDDEN_REASON


class QueueView(ModerationPermissionMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView):
    """Policy U, R: what waits, oldest first; no visitor's text, so no read to log."""

    template_name = "moderation/admin/queue.html"
    page_title = _("Moderation")
    header_icon = "comment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", WAITING)
        if status not in dict(STATUS_CHOICES):
            status = WAITING
        paginator = Paginator(_rows(status), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        now = timezone.now()
        context.update(
            status=status,
            statuses=[
                {"value": value, "label": label, "current": value == status}
                for value, label in STATUS_CHOICES
            ],
            rows=[_row_display(row, now=now) for row in page.object_list],
            page_obj=page,
            paginator=paginator,
            counts=waiting_counts(now=now),
            response_days=policy.MODERATION_RESPONSE_BUSINESS_DAYS,
        )
        return context


# --- one item -------------------------------------------------------------------------


def _history(actions) -> list[ModerationAction]:
    return list(actions.select_related("actor").order_by("created_at", "pk"))


class _ItemView(ModerationPermissionMixin, PersonalDataReadMixin, CaseDetailView):
    header_icon = "comment"
    case_form_kwarg = "item"
    action_permission = MODERATE_PERMISSION

    def personal_read_details(self, record) -> dict:
        return {"reason": "moderation"}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("moderation_admin:queue"), "label": gettext("Moderation")},
            {"url": "", "label": self.get_page_title()},
        ]

    def shown_actions(self) -> dict[str, bool]:
        raise NotImplementedError

    def _shown(self, context) -> dict[str, bool]:
        """The actions that apply to the item as it is, and the one just refused (its form
        comes back with its error and what was typed)."""
        shown = self.shown_actions()
        for action in self.action_forms:
            if context[f"{action}_form"].is_bound:
                shown[action] = True
        return shown

    def _cleaned(self, data: dict) -> dict:
        return {"actor": self.request.user, "reason": data["reason"], "note": data["note"]}

    def _block(self, data: dict, **item) -> None:
        count = services.sender_block(days=data["days"], **self._cleaned(data), **item)
        if count:
            until = timezone.now() + datetime.timedelta(days=data["days"])
            messages.success(
                self.request,
                gettext("The sender is blocked until %(date)s.")
                % {"date": datetime_display(until)},
            )
        else:
            messages.warning(
                self.request,
                gettext(
                    "The sender left neither a network nor an address to block them by: "
                    "the decision is in the history, nothing is blocked."
                ),
            )


class CommentView(_ItemView):
    template_name = "moderation/admin/comment.html"
    personal_object_type = services.COMMENT_TYPE
    action_forms = admin_forms.COMMENT_FORMS

    def case_get(self, **kwargs):
        self.comment = get_object_or_404(
            Comment.objects.select_related("page", "moderated_by"), pk=kwargs["pk"]
        )
        return self.comment

    def case_url(self) -> str:
        return reverse("moderation_admin:comment", args=[self.comment.pk])

    def get_page_title(self):
        return gettext("Comment no. %(number)s") % {"number": self.comment.pk}

    def shown_actions(self) -> dict[str, bool]:
        state = self.comment.state
        return {
            "approve": state in (CommentState.PENDING, CommentState.HIDDEN),
            "reject": state == CommentState.PENDING,
            "hide": state == CommentState.APPROVED,
            "edit": True,
            "delete": True,
            "block": True,
        }

    def _refused(self, action: str, error: services.ModerationError):
        """The action does not apply to the comment as it is now: said in words. The same
        decision taken twice (two moderators at once) changes nothing and says so."""
        if isinstance(error, services.NoteRequired):
            raise ValidationError(NOTE_REQUIRED) from error
        state = Comment.objects.filter(pk=self.comment.pk).values_list("state", flat=True).first()
        if state is None:
            messages.warning(self.request, gettext("This comment was deleted meanwhile."))
            return redirect("moderation_admin:queue")
        targets = {
            ActionKind.APPROVE: CommentState.APPROVED,
            ActionKind.REJECT: CommentState.REJECTED,
            ActionKind.HIDE: CommentState.HIDDEN,
        }
        if targets.get(action) == state:
            messages.info(
                self.request,
                gettext("Nothing changed: the comment was already “%(state)s”.")
                % {"state": CommentState(state).label},
            )
            return redirect(self.case_url())
        label = CommentState(state).label
        if action == ActionKind.APPROVE:
            message = gettext(
                "Only a comment waiting for moderation or hidden can be approved; this one "
                "is “%(state)s”."
            )
        elif action == ActionKind.REJECT:
            message = gettext(
                "Only a comment waiting for moderation can be rejected; this one is "
                "“%(state)s”. Hide or delete it instead."
            )
        elif action == ActionKind.HIDE:
            message = gettext("Only an approved comment can be hidden; this one is “%(state)s”.")
        else:
            message = gettext("This action is not possible on the comment as it is now.")
        raise ValidationError(message % {"state": label}) from error

    def action_perform(self, action: str, data: dict):
        comment = self.comment
        try:
            if action == "block":
                self._block(data, comment=comment)
                return None
            services.comment_moderate(
                comment=comment, kind=action, text=data.get("text"), **self._cleaned(data)
            )
        except services.ModerationError as error:
            return self._refused(action, error)
        if action == ActionKind.DELETE:
            messages.success(self.request, gettext("The comment is deleted; its history stays."))
            return redirect("moderation_admin:queue")
        message = {
            ActionKind.APPROVE: gettext("Comment approved: it is shown under the article."),
            ActionKind.REJECT: gettext("Comment rejected: it will never be shown."),
            ActionKind.HIDE: gettext("Comment hidden: it is no longer shown under the article."),
            ActionKind.EDIT: gettext(
                "Comment edited: it shows “edited by a moderator” wherever it is shown."
            ),
        }[action]
        messages.success(self.request, message)
        return None

    def get_context_data(self, **kwargs):
        # What the visitor wrote: the case view logs the read, once per request.
        context = super().get_context_data(**kwargs)
        comment = self.comment
        context.update(
            comment=comment,
            waiting=comment.state == CommentState.PENDING,
            overdue=comment.state == CommentState.PENDING and comment.case_is_overdue(),
            shown=self._shown(context),
            history=_history(ModerationAction.objects.filter(comment_id_kept=comment.pk)),
            reports=list(comment.reports.order_by("created_at", "pk").values("pk", "created_at")),
            article_url=comment.page.url,
        )
        return context


class ReportView(_ItemView):
    template_name = "moderation/admin/report.html"
    personal_object_type = services.REPORT_TYPE
    action_forms = admin_forms.REPORT_FORMS

    def case_get(self, **kwargs):
        self.report = get_object_or_404(
            ConcernReport.objects.select_related("closed_by"), pk=kwargs["pk"]
        )
        return self.report

    def case_url(self) -> str:
        return reverse("moderation_admin:report", args=[self.report.pk])

    def get_page_title(self):
        return gettext("Report of a concern no. %(number)s") % {"number": self.report.pk}

    def _escalation_open(self) -> bool:
        try:
            incident_intake()
        except IncidentIntakeUnavailable:
            return False
        return not self.report.incident_reference

    def shown_actions(self) -> dict[str, bool]:
        is_open = self.report.state == ReportState.OPEN
        return {
            "close": is_open,
            "reopen": not is_open,
            "escalate": self._escalation_open(),
            "block": True,
        }

    def action_perform(self, action: str, data: dict):
        report = self.report
        cleaned = self._cleaned(data)
        try:
            if action == "block":
                self._block(data, report=report)
                return None
            if action == "close":
                services.report_close(report=report, **cleaned)
                message = gettext("Report closed.")
            elif action == "reopen":
                services.report_reopen(report=report, **cleaned)
                message = gettext("Report reopened: it is due again in the queue.")
            else:
                reference = services.report_escalate(report=report, kind=data["kind"], **cleaned)
                message = gettext(
                    "Escalated: incident %(reference)s is in the register, and its keepers "
                    "are alerted."
                ) % {"reference": reference}
        except services.NoteRequired as error:
            raise ValidationError(NOTE_REQUIRED) from error
        except IncidentIntakeUnavailable as error:
            raise ValidationError(gettext("The incident register is not available.")) from error
        except services.ModerationError as error:
            report.refresh_from_db()
            if action == "escalate" and report.incident_reference:
                messages.info(
                    self.request,
                    gettext("Nothing changed: this report is already incident %(reference)s.")
                    % {"reference": report.incident_reference},
                )
                return redirect(self.case_url())
            if action in ("close", "reopen"):
                messages.info(
                    self.request,
                    gettext("Nothing changed: the report was already “%(state)s”.")
                    % {"state": report.get_state_display()},
                )
                return redirect(self.case_url())
            raise ValidationError(
                gettext("This action is not possible on the report as it is now.")
            ) from error
        messages.success(self.request, message)
        return None

    def get_context_data(self, **kwargs):
        # What the visitor reported and their address: the case view logs the read.
        context = super().get_context_data(**kwargs)
        report = self.report
        incident_url = ""
        if report.incident_reference and self.request.user.has_perm(INCIDENT_VIEW_PERMISSION):
            try:
                incident_url = incident_intake().url(reference=report.incident_reference)
            except IncidentIntakeUnavailable:
                incident_url = ""
        context.update(
            report=report,
            waiting=report.state == ReportState.OPEN,
            overdue=report.state == ReportState.OPEN and report.case_is_overdue(),
            shown=self._shown(context),
            history=_history(report.actions.all()),
            incident_url=incident_url,
            comment_url=(
                reverse("moderation_admin:comment", args=[report.comment_id])
                if report.comment_id
                else ""
            ),
        )
        return context


urlpatterns: list = [
    path("", QueueView.as_view(), name="queue"),
    path("comments/<int:pk>/", CommentView.as_view(), name="comment"),
    path("reports/<int:pk>/", ReportView.as_view(), name="report"),
]
