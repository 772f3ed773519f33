"""The public side of a personal-data form: display, check, store, thank.

No cookie is set for anonymous visitors (policy P5): instead of Django's CSRF
cookie, a form POST must come from our own origin (the browser's Origin header, or its
Referer when Origin is absent) and carry the signed token of the form it was shown
(docs/decisions/0010-forms-without-cookies.md).
"""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from csce.common.client import client_address
from csce.common.faults import database_unavailable_notice
from csce.common.links import page_public_url
from csce.common.spam import guard_token_refresh, public_form_refusal

from .services import submission_create


def _render_form(page, request: HttpRequest, form, *, status: int = 200, notice: str = ""):
    # A fresh token each time the form is shown, so the fill time starts now.
    guard_token_refresh(form, token_scope=page.pk)
    context = page.get_context(request)
    context.update({"form": form, "form_notice": notice})
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    # The page holds a one-time token: never kept by a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def form_page_serve(page, request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_form(page, request, page.get_form(page=page, user=request.user))

    form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
    try:
        # One savepoint: a database that refuses a write leaves nothing half-stored.
        with transaction.atomic():
            refusal = public_form_refusal(request, form=form, token_scope=page.pk)
            if refusal is None:
                submission = submission_create(
                    page=page,
                    form=form,
                    language=get_language(),
                    ip=client_address(request),
                    page_url=page_public_url(page),
                )
    except DatabaseError:
        # Read-only, full or unreachable database (policy M): the visitor keeps what they
        # typed and is asked to send it again; never a value in the log.
        notice = database_unavailable_notice()
        return _render_form(page, request, form, status=503, notice=notice)
    if refusal is not None and refusal.silent:
        # A robot filled the hidden field: thank it and keep nothing.
        return page.render_landing_page(request, None)
    if refusal is not None:
        return _render_form(page, request, form, status=refusal.status, notice=refusal.notice)
    return page.render_landing_page(request, submission)
