"""The compliance view (policy R, V): whether the policy holds today, one indicator a
line, for the AED and the Executive Director (``compliance.view_compliance``), a 403
in words for everyone else. ``?print=1`` is the same reading on a page alone, for the
board. Counts and dates only, so reading it is not logged.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin

from .roles import VIEW
from .selectors import compliance_board

READ_REASON = _(
    "Whether the policy holds is read by the Assistant Executive Director and the Executive "
    "Director."
)


class ComplianceView(
    PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "compliance/admin/index.html"
    print_template_name = "compliance/admin/print.html"
    permission = VIEW
    forbidden_reason = READ_REASON
    page_title = _("Compliance with the policy")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = compliance_board()
        context["print_url"] = f"{reverse('compliance:index')}?print=1"
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("print"):
            return TemplateResponse(
                request, self.print_template_name, {"board": compliance_board()}
            )
        return super().get(request, *args, **kwargs)
