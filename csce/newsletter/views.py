"""The public newsletter pages: subscribe, confirm, preferences, one-click unsubscribe
(policy P3, P5, P7, M; CASL s.10(1), s.11; RFC 8058).

No cookie for visitors (decision 0010): a form's POST must come from our own origin and
carry the signed fill-time token; the links' pages are personal and never cached
(``no_store``). A GET never changes anything, because mail scanners open links: the
confirm and preferences pages show a button that POSTs. The one exception to the origin
check is RFC 8058's one-click unsubscribe, which mail providers POST from their servers,
and which only ever removes a subscription.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from csce.common import policy
from csce.common.client import client_address
from csce.common.faults import database_unavailable_notice
from csce.common.http import no_store
from csce.common.spam import guard_token_refresh, public_form_refusal, same_origin
from csce.pages.cache import site_for_request
from csce.pages.centre import centre_contacts

from . import links
from .forms import PreferencesForm, SubscriptionForm
from .models import ConsentMethod
from .services import (
    language_or_default,
    subscription_confirm,
    subscription_preferences_update,
    subscription_request,
    subscription_unsubscribe,
)

# What the fill-time token of every newsletter form is made for: no page has id 0.
TOKEN_SCOPE = 0
SUBSCRIBE_TEMPLATE = "newsletter/public/subscribe.html"
CONFIRM_TEMPLATE = "newsletter/public/confirm.html"
MANAGE_TEMPLATE = "newsletter/public/manage.html"
ONE_CLICK_VALUE = "One-Click"

public_methods = require_http_methods(["GET", "HEAD", "POST"])


def page_centre(request: HttpRequest):
    """The centre's settings from the page cache (no query once warm), or None."""
    site = site_for_request(request)
    return centre_contacts(site=site)["settings"] if site is not None else None


def _language() -> str:
    return language_or_default(get_language())


def _subscribe_render(request, form, *, status: int = 200, notice: str = "", sent=False):
    if not sent:
        guard_token_refresh(form, token_scope=TOKEN_SCOPE)
    context = {
        "form": form,
        "form_notice": notice,
        "sent": sent,
        "confirm_days": policy.NEWSLETTER_UNCONFIRMED_DAYS,
        "newsletter_page": True,
    }
    # A one-time form token, and after a POST an answer to one visitor: never cached.
    return no_store(TemplateResponse(request, SUBSCRIBE_TEMPLATE, context, status=status))


def _page_url(request: HttpRequest) -> str:
    """The page the form was sent from (the footer of any page), path only: never a query
    string, which may carry someone's link."""
    source = request.META.get("HTTP_REFERER") or ""
    path = urlsplit(source).path if same_origin(request) and source else ""
    return (path or request.path)[:500]


@csrf_exempt  # decision 0010: public_form_refusal checks the origin instead
@public_methods
def subscribe(request: HttpRequest) -> HttpResponse:
    """GET: the full form. POST: the target of every newsletter form (footer, page block,
    this page); errors are shown here, with what the visitor typed."""
    language = _language()
    centre = page_centre(request)
    if request.method != "POST":
        return _subscribe_render(request, SubscriptionForm(language=language, centre=centre))
    form = SubscriptionForm(request.POST, language=language, centre=centre)
    try:
        # One savepoint: a database that refuses a write leaves nothing half-stored.
        with transaction.atomic():
            return _subscribe_receive(request, form)
    except DatabaseError:
        # Policy M: read-only, full or unreachable database; what was typed is kept.
        return _subscribe_render(request, form, status=503, notice=database_unavailable_notice())


def _subscribe_receive(request: HttpRequest, form) -> HttpResponse:
    refusal = public_form_refusal(request, form=form, token_scope=TOKEN_SCOPE)
    if refusal is not None and refusal.silent:
        # A robot filled the hidden field: the same answer as everyone, nothing kept.
        return _subscribe_render(request, form, sent=True)
    if refusal is not None:
        return _subscribe_render(request, form, status=refusal.status, notice=refusal.notice)
    data = form.cleaned_data
    subscription_request(
        email=data["email"],
        first_name=data.get("first_name", ""),
        language=data["language"],
        topics=data["topics"],
        method=ConsentMethod.WEB_FORM,
        ip=client_address(request),
        page_url=_page_url(request),
        shown_language=form.page_language,
    )
    # Policy P5: the same page whether the address was new, pending, subscribed or
    # suppressed; it reveals nothing about who is on the list.
    return _subscribe_render(request, form, sent=True)


def _personal(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context.setdefault("newsletter_page", True)
    # A personal link: never kept by a browser or shared cache (policy F, M).
    return no_store(TemplateResponse(request, template, context, status=status))


def _manage_path(subscriber) -> str:
    return reverse(
        "newsletter_manage",
        args=[links.subscriber_token(subscriber=subscriber, purpose=links.MANAGE)],
    )


@csrf_exempt  # decision 0010: the button's POST is checked for our origin below
@public_methods
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what will be confirmed, and a button. POST from our origin: consent given."""
    subscriber = links.subscriber_from_token(token, purpose=links.CONFIRM)
    if subscriber is None:
        return _personal(request, CONFIRM_TEMPLATE, {"state": "invalid"}, status=404)
    context = {"state": "done" if subscriber.is_confirmed else "confirm"}
    status = 200
    if request.method == "POST" and not subscriber.is_confirmed:
        if not same_origin(request):
            context["form_notice"] = _("Please use the button on this page to confirm.")
            status = 403
        else:
            subscription_confirm(subscriber=subscriber, ip=client_address(request))
            context["state"] = "done"
    if context["state"] == "done":
        context["manage_url"] = _manage_path(subscriber)
    return _personal(request, CONFIRM_TEMPLATE, context, status=status)


@csrf_exempt  # decision 0010: the buttons' POSTs are checked for our origin below
@public_methods
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The preferences page: language and topics, saved by one button; unsubscribing by
    another, separate one. A GET changes nothing."""
    subscriber = links.subscriber_from_token(token, purpose=links.MANAGE)
    if subscriber is None:
        return _personal(request, MANAGE_TEMPLATE, {"state": "invalid"}, status=404)
    language = _language()
    initial = {
        "language": subscriber.language,
        "topics": [str(pk) for pk in subscriber.topics.values_list("pk", flat=True)],
    }
    context: dict = {"state": "form"}
    status = 200
    form = PreferencesForm(initial=initial, language=language)
    if request.method == "POST":
        if not same_origin(request):
            context["form_notice"] = _("Please use the buttons on this page.")
            status = 403
        elif request.POST.get("action") == "unsubscribe":
            subscription_unsubscribe(subscriber=subscriber)
            return _personal(request, MANAGE_TEMPLATE, {"state": "unsubscribed"})
        else:
            form = PreferencesForm(request.POST, language=language)
            if form.is_valid():
                subscription_preferences_update(
                    subscriber=subscriber,
                    language=form.cleaned_data["language"],
                    topics=form.cleaned_data["topics"],
                )
                context["saved"] = True
            else:
                status = 400
    context["form"] = form
    return _personal(request, MANAGE_TEMPLATE, context, status=status)


@csrf_exempt  # RFC 8058: mail providers POST from their own servers, with no origin
@public_methods
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: a POST whose body is ``List-Unsubscribe=One-Click`` unsubscribes at once
    (CASL s.11). A GET goes to the preferences page and changes nothing. The answer is the
    same whether or not the link still belongs to someone (policy P5)."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("newsletter_manage", args=[token[:500]]))
    if request.POST.get("List-Unsubscribe") != ONE_CLICK_VALUE:
        response = HttpResponse(
            _("This address unsubscribes with a one-click request."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
        return no_store(response)
    subscriber = links.subscriber_from_token(token, purpose=links.MANAGE)
    if subscriber is not None:
        subscription_unsubscribe(subscriber=subscriber)
    response = HttpResponse(
        _("You are unsubscribed from the newsletter. Nothing more will be sent to you."),
        content_type="text/plain; charset=utf-8",
    )
    return no_store(response)
