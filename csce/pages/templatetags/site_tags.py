"""Template tags for the parts every public page shares: alerts, menu, footer, languages,
breadcrumbs."""

from __future__ import annotations

import html

from django import template
from django.conf import settings
from django.template.base import NodeList
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from wagtail.models import Page, Site

from csce.pages import alerts, cache, centre, sharing

register = template.Library()


def _site(request) -> Site | None:
    return cache.site_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def centre_info(context) -> dict:
    site = _site(context.get("request"))
    if site is None:
        return {}
    return centre.centre_contacts(site=site)


@register.simple_tag(takes_context=True)
def site_alerts(context) -> list[dict]:
    """The alerts showing now, in the page's language (policy P2). The page cache's time,
    when it keyed this page, so that the page it stores matches its key."""
    request = context.get("request")
    now = getattr(request, alerts.REQUEST_TIME, None) or timezone.now()
    return alerts.alerts_shown(language=get_language() or settings.LANGUAGE_CODE, now=now)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    request = context.get("request")
    site = _site(request)
    if site is None:
        return []
    current = context.get("page")
    current_path = getattr(current, "url_path", "")
    items = []
    for item in cache.menu_items(site=site, language=get_language() or settings.LANGUAGE_CODE):
        items.append(
            {
                **item,
                "current": current_path == item["path"],
                "ancestor": current_path.startswith(item["path"]) and current_path != item["path"],
            }
        )
    return items


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[dict]:
    site = _site(context.get("request"))
    if site is None:
        return []
    return centre.footer_links(site=site, language=get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """Every language of the site, each pointing at this page's translation when it exists.

    For a Wagtail page the link goes to the translated page; for other views it goes
    to the same view in the other language. A language with no translation is left out
    rather than sending the visitor to a different page.
    """
    request = context.get("request")
    current_language = get_language()
    page = context.get("page")
    names = dict(settings.LANGUAGES)
    versions = []
    if isinstance(page, Page) and page.pk:
        translations = cache.page_versions(page, request=request)
        for code, name in settings.LANGUAGES:
            if code in translations:
                url = translations[code]["url"]
                version = _version(code, name, url, current_language, request)
                version["missing"] = translations[code].get("missing", False)
                versions.append(version)
    elif request is not None:
        for code, name in settings.LANGUAGES:
            url = translate_url(request.get_full_path(), code)
            versions.append(_version(code, name, url, current_language, request))
    alternates = [version for version in versions if not version.get("missing")]
    for version in versions:
        version["name"] = names[version["code"]]
        version.setdefault("missing", False)
        # hreflang: only live versions are alternates; French is the default (policy P2).
        version["x_default"] = version["code"] == "fr" and len(alternates) > 1
    return versions


def _version(code, name, url, current_language, request) -> dict:
    return {
        "code": code,
        "name": name,
        "url": url,
        "absolute_url": request.build_absolute_uri(url) if request is not None else url,
        "current": code == current_language,
    }


@register.simple_tag
def breadcrumbs(page) -> list[dict[str, str]]:
    """The page's ancestors below the tree root: the home page first."""
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return cache.page_breadcrumbs(page)


@register.simple_tag
def theme_version() -> int:
    return cache.site_generation()


@register.inclusion_tag("pages/includes/share_meta.html", takes_context=True)
def share_meta(context) -> dict:
    """Open Graph and Twitter-card tags of this response (policy C, P2): the title the
    template gives in its ``title`` block, the rest from ``csce.pages.sharing``."""
    request = context.get("request")
    if request is None:
        return {"share": None}
    page = context.get("page")
    language = get_language() or settings.LANGUAGE_CODE
    versions = context.get("versions")
    if versions is None:
        versions = language_versions(context)
    return {
        "share": sharing.share_metadata(
            page=page if isinstance(page, Page) else None,
            path=request.path,
            title=_block_text(context, "title")
            or (getattr(page, "seo_title", "") or getattr(page, "title", "")),
            language=language,
            languages=[v["code"] for v in versions if not v.get("missing")],
            site=_site(request),
        )
    }


def _block_text(context, name: str) -> str:
    """The text of the template's ``name`` block as this response renders it (the most
    derived template's, as ``{{ block.super }}`` reads it), plain and on one line."""
    if context.render_context.get(BLOCK_CONTEXT_KEY) is None:
        return ""
    rendered = BlockNode(name, NodeList()).render(context)
    return " ".join(html.unescape(strip_tags(rendered)).split())
