"""Views of the public site that are not Wagtail pages."""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_language_from_request,
)
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction
from wagtail.views import serve as wagtail_serve

from csce.common.spam import rate_limit_hit, same_origin

from . import cache
from .centre import centre_contacts
from .selectors import page_search, search_suggestion

MAX_QUERY_LENGTH = 200
logger = logging.getLogger(__name__)


@require_safe
def language_redirect(request: HttpRequest) -> HttpResponse:
    """``/`` sends each visitor to their language; French when the browser is unsure."""
    language = get_language_from_request(request, check_path=False)
    response = HttpResponseRedirect(f"/{language}/")
    patch_vary_headers(response, ["Accept-Language"])
    patch_cache_control(response, private=True, max_age=0)
    return response


@csrf_exempt
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, with the site and the route taken from the cache when known.

    Exempt from Django's CSRF cookie so that anonymous visitors get no cookie (policy P5):
    the only pages that accept a POST, the forms of csce/submissions, check the origin
    and a signed token themselves (docs/decisions/0010-forms-without-cookies.md).
    """
    cache.route_for_request(request, path, language=get_language())
    return wagtail_serve(request, path)


class PageUnlockForm(PasswordViewRestrictionForm):
    """Wagtail's password form, with its error in the visitor's language (ours)."""

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not constant_time_compare(password, self.restriction.password):
            raise forms.ValidationError(
                _("This password is not the right one. Check it and try again.")
            )
        return password


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def page_unlock(request: HttpRequest, page_view_restriction_id: int, page_id: int) -> HttpResponse:
    """Wagtail's unlock form of a password-restricted page, at Wagtail's URL name.

    Without a CSRF cookie, like the other public forms (docs/decisions/0010): the origin
    is checked instead, and guesses count against the forms' per-address limit (policy M).
    """
    restriction = get_object_or_404(
        PageViewRestriction, id=page_view_restriction_id, restriction_type="password"
    )
    page = get_object_or_404(Page, id=page_id).specific
    if request.method == "POST":
        form = PageUnlockForm(request.POST, instance=restriction)
        if not same_origin(request):
            form.add_error(None, _("Please send the password from the page itself."))
        elif rate_limit_hit(request, scope="unlock"):
            form.add_error(
                None,
                _("Many passwords were tried from your connection. Please wait a few minutes."),
            )
        elif form.is_valid():
            return_url = form.cleaned_data["return_url"]
            if not url_has_allowed_host_and_scheme(
                return_url, request.get_host(), request.is_secure()
            ):
                return_url = page.get_url(request=request) or "/"
            restriction.mark_as_passed(request)
            return redirect(return_url)
    else:
        form = PageUnlockForm(
            instance=restriction, initial={"return_url": page.get_url(request=request)}
        )
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    response = page.serve_password_required_response(request, form, action_url)
    if request.method == "POST" and form.errors:
        response.status_code = 400
    return response


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    results = page_search(query=query, language=get_language()) if query else []
    suggestion = None
    if query and not results:
        # Nothing matched: a misspelt word is replaced by the nearest word of the site, and
        # the pages of the corrected words are shown under a "did you mean" (docs/search.md).
        suggestion = search_suggestion(query=query)
        if suggestion:
            results = page_search(query=suggestion, language=get_language())
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results, "suggestion": suggestion},
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    content = render_to_string(
        "robots.txt", {"sitemap_url": request.build_absolute_uri("/sitemap.xml")}
    )
    response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """The centre's colours as CSS custom properties, so no inline style is ever needed."""
    site = cache.site_for_request(request)
    centre = centre_contacts(site=site)["settings"] if site else None
    primary = centre.primary_colour if centre else "#00607a"
    accent = centre.accent_colour if centre else "#8c3b00"
    body = f":root{{--colour-primary:{primary};--colour-accent:{accent};}}\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
    # The URL carries the content generation, so a changed colour is a new URL.
    max_age = 31_536_000 if request.GET.get("v") else 300
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors or database: it must work when they fail.
    return HttpResponse(
        render_to_string("500.html", {"LANGUAGE_CODE": settings.LANGUAGE_CODE}), status=500
    )


def _visitor_language(request: HttpRequest) -> str:
    """The URL's /fr/ or /en/, else the browser's preference; French when unsure."""
    return get_language_from_path(request.path_info) or get_language_from_request(
        request, check_path=False
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a malformed or suspicious request (unknown Host, too many fields...).

    Rendered without the request: what a malformed request carries (its Host, first of
    all) is not trusted, so the page shows the site's frame without its menus.
    """
    language = _visitor_language(request)
    with translation.override(language):
        try:
            html = render_to_string("400.html", {"LANGUAGE_CODE": language})
        except Exception:  # the page must not turn a 400 into a 500
            logger.exception("the 400 page could not be rendered")
            html = render_to_string("500.html", {"LANGUAGE_CODE": language})
    return HttpResponse(html, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 when a staff form comes back without its CSRF token (expired page, blocked
    cookie). The reason stays in the logs: it helps no visitor and names our defences."""
    language = _visitor_language(request)
    with translation.override(language):
        return render(request, "403_csrf.html", {"LANGUAGE_CODE": language}, status=403)
