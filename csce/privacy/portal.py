"""The public side of the privacy-rights portal: the form, then the confirmation link.

Like the forms of csce/submissions, no cookie is set (policy P5, decision 0010): a POST
must come from our own origin and carry the signed token of the form it was shown. The
confirmation link's GET only shows what will be confirmed, so that e-mail scanners that
open links confirm nothing; its button POSTs from our origin.
"""

from __future__ import annotations

import contextlib

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from csce.common.faults import database_unavailable_notice
from csce.common.http import no_store
from csce.common.spam import guard_token_refresh, public_form_refusal, same_origin

from .forms import PrivacyRightsForm
from .models.records import RequestKind
from .services import (
    CONFIRM_PARAMETER,
    VerificationExpired,
    VerificationInvalid,
    VerificationRecentlySent,
    privacy_request_verification_create,
    privacy_request_verification_for_token,
    privacy_request_verify,
)

CONFIRM_TEMPLATE = "privacy/confirm.html"


def _render(page, request: HttpRequest, form, *, status: int = 200, notice: str = "", sent=False):
    context = page.get_context(request)
    if not sent:
        guard_token_refresh(form, token_scope=page.pk)
    context.update({"form": form, "form_notice": notice, "sent": sent})
    # A one-time form token: never kept by a cache.
    return no_store(TemplateResponse(request, page.get_template(request), context, status=status))


def privacy_rights_serve(page, request: HttpRequest) -> HttpResponse:
    if CONFIRM_PARAMETER in request.GET:
        return privacy_request_confirm_view(
            request, page=page, token=request.GET.get(CONFIRM_PARAMETER, "")
        )
    if request.method != "POST":
        return _render(page, request, PrivacyRightsForm())
    form = PrivacyRightsForm(request.POST)
    try:
        # One savepoint: a database that refuses a write leaves nothing half-stored.
        with transaction.atomic():
            return _privacy_rights_receive(page, request, form)
    except DatabaseError:
        # Read-only, full or unreachable database (policy M): what was typed is kept.
        notice = database_unavailable_notice()
        return _render(page, request, form, status=503, notice=notice)


def _privacy_rights_receive(page, request: HttpRequest, form) -> HttpResponse:
    refusal = public_form_refusal(request, form=form, token_scope=page.pk)
    if refusal is not None and refusal.silent:
        # A robot filled the hidden field: the same answer as everyone, nothing kept.
        return _render(page, request, PrivacyRightsForm(), sent=True)
    if refusal is not None:
        return _render(page, request, form, status=refusal.status, notice=refusal.notice)
    data = form.cleaned_data
    # One link per address and hour (policy U): a second form within the hour is neither
    # kept nor mailed, and the answer, which says so, is the same: it reveals nothing.
    with contextlib.suppress(VerificationRecentlySent):
        privacy_request_verification_create(
            kind=data["kind"],
            email=data["email"],
            name=data.get("name", "").strip(),
            details=data.get("details", "").strip(),
            language=get_language(),
            page_url=page.get_url(request),
        )
    # The same answer whether or not the address is known: it reveals nothing.
    return _render(page, request, PrivacyRightsForm(), sent=True)


def privacy_request_confirm_view(request: HttpRequest, *, page, token: str) -> HttpResponse:
    """GET shows the kind of request and a button; POST from our origin confirms it."""
    context = page.get_context(request)
    status = 200
    try:
        verification = privacy_request_verification_for_token(token=token)
    except VerificationExpired:
        context["state"], status = "expired", 410
    except VerificationInvalid:
        context["state"], status = "invalid", 404
    else:
        kind = RequestKind(verification.payload["kind"])
        context.update({"state": "confirm", "kind": kind.label, "token": token})
        if request.method == "POST":
            if not same_origin(request):
                context["form_notice"] = _("Please use the button on this page to confirm.")
                status = 403
            else:
                try:
                    privacy_request = privacy_request_verify(token=token)
                except VerificationExpired:
                    context["state"], status = "expired", 410
                except VerificationInvalid:
                    context["state"], status = "invalid", 404
                else:
                    context.update({"state": "done", "privacy_request": privacy_request})
    # A personal link: never kept by a cache.
    return no_store(TemplateResponse(request, CONFIRM_TEMPLATE, context, status=status))
