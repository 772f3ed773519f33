"""The policy versions in the admin (policy R, S, V): drafted by the AED or the technical
administrator, approved by the AED, then in force from their effective date.

An approved version is what staff acknowledge: its text no longer changes. Only its next
review moves, by whoever approves (the AED records that the policy was reviewed).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.common import policy
from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin, forbidden
from csce.common.staff import staff_display_name
from csce.common.typography import short_date_display

from .models import PolicyVersion
from .services import (
    POLICY_APPROVE_PERMISSION,
    PolicyApprovalRefused,
    policy_version_approval_problems,
    policy_version_approve,
)

APPROVE_REASON = _("Only the Assistant Executive Director approves a version of the policy.")


def months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class PolicyVersionStatusColumn(TitleColumn):
    """Draft or approved, in words (never colour alone, WCAG 1.4.1), linking to the
    version's approval page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, url_name="policy_versions:approval", **kwargs)

    def get_value(self, instance):
        if instance.is_approved:
            return gettext("Approved on %(date)s") % {
                "date": short_date_display(timezone.localtime(instance.approved_at))
            }
        return gettext("Draft: awaiting the approval of the Assistant Executive Director")


class PolicyVersionCreateView(CreateView):
    def get_initial(self):
        # Policy V: a review a year (POLICY_REVIEW_INTERVAL_MONTHS) after taking effect.
        today = timezone.localdate()
        return {
            **super().get_initial(),
            "effective_date": today,
            "next_review": months_later(today, policy.POLICY_REVIEW_INTERVAL_MONTHS),
        }

    def save_instance(self):
        self.form.instance.drafted_by = self.request.user
        return super().save_instance()

    def get_success_url(self):
        return reverse("policy_versions:approval", args=[self.object.pk])

    def get_success_message(self, instance):
        return gettext(
            "Version %(label)s is saved as a draft: staff are asked to acknowledge it only "
            "once the Assistant Executive Director approves it."
        ) % {"label": instance.version_label}


# An approved version: only its next review changes.
APPROVED_PANEL = ObjectList([FieldPanel("next_review")]).bind_to_model(PolicyVersion)


class PolicyVersionChangedMeanwhile(Exception):
    pass


class PolicyVersionEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        version = PolicyVersion.objects.filter(pk=kwargs.get("pk")).only("approved_at").first()
        if (
            version is not None
            and version.is_approved
            and not request.user.has_perm(POLICY_APPROVE_PERMISSION)
        ):
            messages.error(
                request,
                gettext(
                    "This version is approved: its text no longer changes, and only the "
                    "Assistant Executive Director moves its next review. Draft a new version "
                    "to change the policy."
                ),
            )
            return redirect("policy_versions:approval", version.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_panel(self):
        if PolicyVersion.objects.filter(
            pk=self.kwargs.get("pk"), approved_at__isnull=False
        ).exists():
            return APPROVED_PANEL
        return super().get_panel()

    def get_form_class(self):
        # The viewset hands every edit view the whole form: an approved version gets its own.
        if self.panel is APPROVED_PANEL:
            return APPROVED_PANEL.get_form_class()
        return super().get_form_class()

    def save_instance(self):
        # The version may have been approved since the form was shown: a draft's form no
        # longer saves then (what staff acknowledge is what was approved).
        locked = PolicyVersion.objects.select_for_update().get(pk=self.object.pk)
        if locked.is_approved and self.panel is not APPROVED_PANEL:
            raise PolicyVersionChangedMeanwhile
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PolicyVersionChangedMeanwhile:
            messages.error(
                self.request,
                gettext("This version was approved meanwhile: your changes were not saved."),
            )
            return redirect("policy_versions:approval", self.object.pk)

    def get_success_url(self):
        return reverse("policy_versions:approval", args=[self.object.pk])


class ApprovalForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I approve this version of the policy: from its effective date, every staff "
            "member will be asked to acknowledge it."
        ),
        required=True,
    )


class PolicyVersionApprovalView(
    PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The version's state; for the AED, the approval of a draft (policy R, V)."""

    permission = "accounts.view_policyversion"
    template_name = "accounts/policy_version_approval.html"
    page_title = _("Approval")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.version = get_object_or_404(PolicyVersion, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.version)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("policy_versions:index"), "label": gettext("Policy versions")},
            {
                "url": reverse("policy_versions:edit", args=[self.version.pk]),
                "label": str(self.version),
            },
            {"url": "", "label": str(self.page_title)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.version
        may_approve = self.request.user.has_perm(POLICY_APPROVE_PERMISSION)
        context.update(
            version=version,
            may_approve=may_approve,
            problems=[]
            if version.is_approved
            else policy_version_approval_problems(version=version),
            drafted_by=staff_display_name(version.drafted_by) if version.drafted_by else "",
            approved_by=staff_display_name(version.approved_by) if version.approved_by else "",
        )
        context.setdefault("form", ApprovalForm() if may_approve else None)
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(POLICY_APPROVE_PERMISSION):
            return forbidden(request, reason=APPROVE_REASON)
        form = ApprovalForm(request.POST)
        if not form.is_valid():
            return self.render(form=form, status=400)
        try:
            with transaction.atomic():
                policy_version_approve(version=self.version, actor=request.user)
        except PolicyApprovalRefused as refusal:
            for problem in refusal.problems:
                messages.error(request, problem)
            return redirect("policy_versions:approval", self.version.pk)
        messages.success(
            request,
            gettext("Version %(label)s is approved.") % {"label": self.version.version_label},
        )
        return redirect("policy_versions:index")

    def render(self, *, status: int = 200, **context):
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = status
        return response
