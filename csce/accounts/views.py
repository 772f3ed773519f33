"""Admin views of the accounts app: policy acknowledgement and its report (policy S)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from csce.audit.reads import personal_data_read

from .lockout import lockout_release
from .middleware import POLICY_ACKNOWLEDGED_KEY
from .selectors import policy_acknowledgement_status, policy_version_current
from .services import policy_acknowledge

REPORT_PERMISSION = "accounts.view_policyacknowledgement"


class PolicyAcknowledgementForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read this policy and I agree to follow it."), required=True
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def policy_acknowledge_view(request: HttpRequest) -> HttpResponse:
    version = policy_version_current()
    if version is None:
        raise Http404
    form = PolicyAcknowledgementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy_acknowledge(user=request.user, version=version)
        request.session[POLICY_ACKNOWLEDGED_KEY] = version.pk
        return redirect(_next_url(request))
    language = get_language()
    return TemplateResponse(
        request,
        "accounts/policy_acknowledge.html",
        {
            "version": version,
            "body": version.body(language),
            "summary": version.summary(language),
            "form": form,
            "next": _next_url(request),
        },
    )


@permission_required(REPORT_PERMISSION, raise_exception=True)
def policy_report_view(request: HttpRequest) -> HttpResponse:
    version = policy_version_current()
    rows = policy_acknowledgement_status(version=version) if version else []
    return TemplateResponse(
        request,
        "accounts/policy_report.html",
        {
            "version": version,
            "rows": rows,
            "pending": sum(1 for row in rows if not row["acknowledged_at"]),
        },
    )


UNLOCK_PERMISSION = "axes.delete_accessattempt"


@permission_required(UNLOCK_PERMISSION, raise_exception=True)
def lockouts_view(request: HttpRequest) -> HttpResponse:
    """The technical administrator sees locked usernames and unlocks one (policy M)."""
    if request.method == "POST":
        username = request.POST.get("username", "")
        if username:
            lockout_release(username=username, actor=request.user)
            messages.success(request, _("The account can sign in again."))
        return redirect(reverse("accounts_lockouts"))
    # A username counts its failures from every address (decision 0014).
    locked = (
        AccessAttempt.objects.exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username")
        .values_list("username", flat=True)
    )
    locked = list(locked)
    # Policy F: a failed sign-in's username is a registered personal-data store (the
    # typed name may be anyone's address): showing it is a logged read of its rows.
    for attempt in AccessAttempt.objects.filter(username__in=locked).order_by("pk"):
        personal_data_read(
            actor=request.user,
            record=attempt,
            object_type=attempt._meta.label_lower,
            details={"reason": "lockout"},
            request=request,
        )
    return TemplateResponse(request, "accounts/lockouts.html", {"usernames": locked})
