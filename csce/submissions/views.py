"""The public side of a personal-data form: display, check, store, thank.

No cookie is set for anonymous visitors (policy P5, issue 2): instead of Django's CSRF
cookie, a form POST must come from our own origin (the browser's Origin header, or its
Referer when Origin is absent) and carry the signed token of the form it was shown
(docs/decisions/0010-forms-without-cookies.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .altcha import CHALLENGE_FIELD, challenge_fallback_limited, challenge_verify
from .services import submission_create
from .spam import (
    HONEYPOT_FIELD,
    MIN_FILL_SECONDS,
    STARTED_FIELD,
    form_fill_seconds,
    form_started_token,
    rate_limit_hit,
)


def _same_origin(request: HttpRequest) -> bool:
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.get_host()}"


def _render_form(page, request: HttpRequest, form, *, status: int = 200, notice: str = ""):
    # A fresh token each time the form is shown, so the fill time starts now.
    data = form.data.copy() if form.is_bound else None
    if data is not None:
        data[STARTED_FIELD] = form_started_token(page_id=page.pk)
        form.data = data
    else:
        form.initial[STARTED_FIELD] = form_started_token(page_id=page.pk)
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
    if not _same_origin(request):
        return _render_form(
            page,
            request,
            form,
            status=403,
            notice=_("Your answers were not sent: please send the form from this page."),
        )
    if rate_limit_hit(request):
        return _render_form(
            page,
            request,
            form,
            status=429,
            notice=_(
                "Many forms were sent from your connection in the last few minutes. "
                "Please wait a moment, then send again: your answers are kept below."
            ),
        )
    if not form.is_valid():
        return _render_form(page, request, form, status=400)
    if form.cleaned_data.get(HONEYPOT_FIELD):
        # A robot filled the hidden field: thank it and keep nothing.
        return page.render_landing_page(request, None)
    seconds = form_fill_seconds(token=form.cleaned_data.get(STARTED_FIELD, ""), page_id=page.pk)
    if seconds is None or seconds < MIN_FILL_SECONDS:
        return _render_form(
            page,
            request,
            form,
            status=400,
            notice=_("Please take a moment to check your answers below, then send the form again."),
        )
    if settings.FORM_CHALLENGE_ENABLED:
        outcome = challenge_verify(payload=form.cleaned_data.get(CHALLENGE_FIELD, ""))
        # No payload: JavaScript is off; the other defences and a stricter limit apply.
        if outcome.missing and challenge_fallback_limited(request):
            return _render_form(
                page,
                request,
                form,
                status=429,
                notice=_(
                    "Many forms were sent from your connection in the last few minutes. "
                    "Please wait a moment, then send again: your answers are kept below."
                ),
            )
        if not outcome.verified and not outcome.missing:
            return _render_form(
                page,
                request,
                form,
                status=400,
                notice=_(
                    "The anti-spam check could not be confirmed. Please wait until it shows "
                    "“Verified”, then send the form again: your answers are kept below."
                ),
            )
    submission = submission_create(page=page, form=form, language=get_language())
    return page.render_landing_page(request, submission)
