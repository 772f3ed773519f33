"""The annual security audit in the Wagtail admin (policy M, R): the list of audits and
when the next is due, one audit's results and checklist, and its printable report.

Access (docs/access-matrix.md): ``audit.view_securityaudit`` reads (the AED and the
technical administrator), ``audit.run_securityaudit`` starts the checks (both),
``audit.sign_securityaudit`` signs off the checklist and completes (the AED only).
Everyone else gets a 403 in words, for a GET as for each POST. The reports hold counts,
dates and staff names only, so reading them is not a read of personal data.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.compliance import FAIL, PASS, STATUS_LABELS, WARN

from .models import SecurityAudit, SecurityAuditStatus
from .security_audit import (
    MANUAL_ITEMS,
    SecurityAuditError,
    security_audit_complete,
    security_audit_in_progress,
    security_audit_is_stale,
    security_audit_last_completed,
    security_audit_next_due,
    security_audit_request,
    security_audit_sign_off,
    staff_display_name,
)

VIEW_PERMISSION = "audit.view_securityaudit"
RUN_PERMISSION = "audit.run_securityaudit"
SIGN_PERMISSION = "audit.sign_securityaudit"


def user_may_view_security_audits(user) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


class SignOffForm(forms.Form):
    item = forms.ChoiceField(choices=[(item.key, item.label) for item in MANUAL_ITEMS])
    signed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was checked or changed; no password and no personal information."),
    )


class PermissionMixin:
    permission = VIEW_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not user_may_view_security_audits(request.user) or not request.user.has_perm(
            self.permission
        ):
            return self.forbidden()
        if "pk" in kwargs:  # looked up only once the permission is known (no 404 probing)
            self.audit = get_object_or_404(
                SecurityAudit.objects.select_related("run_by", "completed_by", "requested_by"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def forbidden(self):
        return TemplateResponse(self.request, "audit/security_audit/forbidden.html", status=403)


class SecurityAuditIndexView(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/security_audit/index.html"
    page_title = _("Security audits")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audits = list(
            SecurityAudit.objects.select_related("completed_by", "run_by").order_by(
                "-created_at", "-pk"
            )[:50]
        )
        now = timezone.now()
        for audit in audits:
            audit.failed_count = audit.count(FAIL)
            audit.warned_count = audit.count(WARN)
            audit.stale = security_audit_is_stale(audit=audit, now=now)
        context.update(
            audits=audits,
            next_due=security_audit_next_due(),
            last_completed=security_audit_last_completed(),
            in_progress=security_audit_in_progress(now=now),
            may_run=self.request.user.has_perm(RUN_PERMISSION),
            today=timezone.localdate(now),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(RUN_PERMISSION):
            return self.forbidden()
        try:
            audit = security_audit_request(actor=request.user)
        except SecurityAuditError as error:
            messages.error(request, str(error))
            return redirect("security_audits:index")
        messages.success(request, gettext("The automated checks were started."))
        return redirect("security_audits:detail", audit.pk)


def audit_context(audit: SecurityAudit) -> dict:
    sign_offs = {s.item: s for s in audit.sign_offs.all()}
    items = [{"item": item, "sign_off": sign_offs.get(item.key)} for item in MANUAL_ITEMS]
    results = [
        {**result, "status_label": STATUS_LABELS.get(result.get("status"), "")}
        for result in audit.results
    ]
    return {
        "audit": audit,
        "run_by_name": staff_display_name(audit.run_by) if audit.run_by else "",
        "completed_by_name": staff_display_name(audit.completed_by) if audit.completed_by else "",
        "results": results,
        "items": items,
        "counts": {status: audit.count(status) for status in (PASS, WARN, FAIL)},
        "all_signed": all(entry["sign_off"] for entry in items),
        "checks_done": audit.status == SecurityAuditStatus.DONE,
    }


class SecurityAuditDetailView(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/security_audit/detail.html"
    header_icon = "lock"

    def get_page_title(self):
        return gettext("Security audit of %(date)s") % {
            "date": timezone.localtime(self.audit.created_at).strftime("%Y-%m-%d")
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("security_audits:index"), "label": gettext("Security audits")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(audit_context(self.audit))
        may_sign = self.request.user.has_perm(SIGN_PERMISSION) and not self.audit.completed_at
        context.update(
            may_sign=may_sign,
            stale=security_audit_is_stale(audit=self.audit),
            form_errors=form,
            today=timezone.localdate().isoformat(),
            report_url=reverse("security_audits:report", args=[self.audit.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(SIGN_PERMISSION):
            return self.forbidden()
        action = request.POST.get("action")
        try:
            if action == "sign_off":
                form = SignOffForm(request.POST)
                if not form.is_valid():
                    response = self.render_to_response(self.get_context_data(form=form))
                    response.status_code = 400
                    return response
                security_audit_sign_off(
                    audit=self.audit,
                    item=form.cleaned_data["item"],
                    actor=request.user,
                    signed_on=form.cleaned_data["signed_on"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, gettext("The item is signed off."))
            elif action == "complete":
                security_audit_complete(audit=self.audit, actor=request.user)
                messages.success(request, gettext("The security audit is completed and signed."))
            else:
                return self.forbidden()
        except SecurityAuditError as error:
            messages.error(request, str(error))
        return redirect("security_audits:detail", self.audit.pk)


class SecurityAuditReportView(PermissionMixin, TemplateView):
    """The report as a document of its own, to print or save as PDF (print stylesheet)."""

    template_name = "audit/security_audit/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(audit_context(self.audit))
        context["detail_url"] = reverse("security_audits:detail", args=[self.audit.pk])
        return context


urlpatterns = [
    path("", SecurityAuditIndexView.as_view(), name="index"),
    path("<int:pk>/", SecurityAuditDetailView.as_view(), name="detail"),
    path("<int:pk>/report/", SecurityAuditReportView.as_view(), name="report"),
]
