"""The AED's and the Executive Director's list of role requests, to approve or refuse (R, F)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import RoleRequest
from .role_requests import (
    RoleChangeRefused,
    role_approver_is,
    role_label,
    role_request_approve,
    role_request_refuse,
    role_requests_pending,
)


def role_requests_may_see(user) -> bool:
    # The approvers decide; the break-glass superuser may look, never decide.
    return role_approver_is(user=user) or bool(user.is_superuser)


def role_requests_view(request: HttpRequest) -> HttpResponse:
    if not role_requests_may_see(request.user):
        raise PermissionDenied
    rows = [{"request": item, "role": role_label(item.group)} for item in role_requests_pending()]
    decided = RoleRequest.objects.exclude(status="pending").select_related(
        "user", "group", "requested_by", "decided_by"
    )[:20]
    return TemplateResponse(
        request,
        "accounts/role_requests.html",
        {
            "rows": rows,
            "decided": [{"request": item, "role": role_label(item.group)} for item in decided],
            "may_decide": role_approver_is(user=request.user),
            "me": request.user.pk,
        },
    )


@require_POST
def role_request_decide_view(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    role_request = get_object_or_404(RoleRequest, pk=pk)
    decide = {"approve": role_request_approve, "refuse": role_request_refuse}.get(decision)
    if decide is None:
        raise PermissionDenied
    try:
        decide(role_request=role_request, approver=request.user)
    except RoleChangeRefused as refusal:
        if not role_approver_is(user=request.user):
            raise
        messages.error(request, str(refusal))
    else:
        if decision == "approve":
            messages.success(request, _("Approved: the role is given."))
        else:
            messages.success(request, _("Refused: the role is not given."))
    return redirect("accounts_role_requests")
