"""A campaign as each subscriber receives it (policy P2, P3; CASL s.6(2), s.11; RFC 8058).

One function builds the message for the preview, the test send and the real send, so
what staff see is what subscribers get:

- the subject and blocks of the subscriber's language, as HTML and as plain text;
- the sender identification CASL asks for, from the centre's settings: name, mailing
  address, telephone, e-mail and site;
- a link to the preferences page and a one-click unsubscribe, in the body and in the
  ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers (RFC 8058);
- no tracking pixel and no rewritten link: every address is the one the editor chose,
  and the only images are the campaign's own, served by the site.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext
from wagtail.rich_text import expand_db_html

from csce.common.links import page_public_url, public_url
from csce.common.typography import date_display
from csce.pages.centre import centre_settings_default

from .models import Campaign

LIST_ID_NAME = "newsletter"
# Where a recipient's own values go in a rendering shared by many: no character that HTML
# escaping changes, nothing a campaign's text would hold.
_FIRST_NAME_MARK = "\u27e6recipient-first-name\u27e7"
_MANAGE_URL_MARK = "\u27e6recipient-manage-url\u27e7"
_HREF = re.compile(r'(href|src)="(/[^"]*)"')


@dataclass(frozen=True)
class Recipient:
    """Who a message is for and the links that are theirs alone."""

    email: str
    language: str
    first_name: str = ""
    manage_url: str = ""
    one_click_url: str = ""


def _absolute(markup: str) -> str:
    """Site-relative links and images of rich text, made absolute for a mail client."""
    return _HREF.sub(lambda m: f'{m.group(1)}="{public_url(m.group(2))}"', markup)


def _text_of(markup: str) -> str:
    """Rich text as plain text, each link followed by its address."""
    with_links = re.sub(
        r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: f"{m.group(2)} ({m.group(1)})",
        markup,
        flags=re.S,
    )
    with_breaks = re.sub(r"</(p|h2|h3|li)>|<br\s*/?>", "\n", with_links)
    with_bullets = re.sub(r"<li[^>]*>", "- ", with_breaks)
    return html.unescape(strip_tags(with_bullets)).strip()


def _image_url(image) -> str:
    return public_url(image.get_rendition("width-1200").url)


def _blocks(campaign: Campaign, language: str) -> list[dict]:
    """Each block as plain data for the HTML and text templates."""
    items = []
    for block in campaign.body_in(language):
        value = block.value
        if block.block_type == "text":
            markup = _absolute(expand_db_html(value.source))
            items.append({"type": "text", "html": markup, "text": _text_of(markup)})
        elif block.block_type == "image" and value.get("image"):
            items.append(
                {
                    "type": "image",
                    "url": _image_url(value["image"]),
                    "alt": value["alt"],
                    "caption": value.get("caption", ""),
                }
            )
        elif block.block_type == "button":
            page = value.get("page")
            url = page_public_url(page.specific) if page else value.get("url", "")
            if url:
                items.append({"type": "button", "label": value["label"], "url": url})
        elif block.block_type == "news" and value.get("page"):
            page = _in_language(value["page"].specific, language)
            items.append(
                {
                    "type": "news",
                    "title": page.title,
                    "date": date_display(getattr(page, "date", None), language),
                    "summary": value.get("text") or page.search_description,
                    "url": page_public_url(page),
                }
            )
    return items


def _in_language(page, language: str):
    """The article's live translation in ``language`` when there is one."""
    translated = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .first()
    )
    return translated or page


def _identification(language: str) -> dict:
    """CASL s.6(2)(a)-(b): who sends, and how to reach them, from the centre's settings."""
    with translation.override(language):
        centre = centre_settings_default()
        name = centre.localized_name()
        address = ", ".join(
            part
            for part in (
                centre.street_address,
                " ".join(p for p in (centre.city, centre.province) if p),
                centre.postal_code,
            )
            if part
        )
        return {
            "name": name,
            "address": address,
            "phone": centre.phone,
            "email": centre.email,
            "site": public_url(f"/{language}/"),
            "colour": centre.primary_colour or "#1d4f91",
        }


def _sender_of(name: str) -> str:
    address = parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1]
    address = address or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((name, address))


def _list_id(name: str, host: str) -> str:
    """RFC 2919: the centre's name (RFC 2047-encoded when not ASCII, quoted when it holds
    specials) and the list's identifier in angle brackets, which must stay as written for
    mail clients and filters to read it. Given whole to the mail library, a non-ASCII
    name would have the identifier encoded with it."""
    return formataddr((name, f"{LIST_ID_NAME}.{host}"))


def sender_address(language: str) -> str:
    """From the centre, under its name in the subscriber's language."""
    return _sender_of(_identification(language)["name"])


def _language_parts(campaign: Campaign, language: str) -> dict:
    """What every subscriber of one language gets alike: the blocks and the centre."""
    with translation.override(language):
        centre = _identification(language)
        return {"blocks": _blocks(campaign, language), "centre": centre}


def campaign_message(
    *,
    campaign: Campaign,
    recipient: Recipient,
    message_id: str = "",
    test: bool = False,
    parts: dict | None = None,
) -> EmailMultiAlternatives:
    """The campaign as ``recipient`` gets it, in their language.

    ``parts``: a dict the caller keeps while it sends one campaign to many (the sending
    engine, per batch), so that the blocks and the centre's identification are built
    once per language rather than once per message."""
    language = recipient.language if recipient.language in ("fr", "en") else "fr"
    parts = {} if parts is None else parts
    if language not in parts:
        parts[language] = _language_parts(campaign, language)
    shared = parts[language]
    with translation.override(language):
        subject = campaign.subject_in(language)
        if test:
            subject = gettext("[Test] %(subject)s") % {"subject": subject}
        # The templates are rendered once per kind of recipient, with markers where the
        # recipient's own values go; each message then only substitutes them.
        kind = (bool(recipient.first_name), bool(recipient.manage_url), test)
        if kind not in shared.setdefault("rendered", {}):
            context = {
                "campaign": campaign,
                "subject": subject,
                "language": language,
                "blocks": shared["blocks"],
                "recipient": Recipient(
                    email="",
                    language=language,
                    first_name=_FIRST_NAME_MARK if recipient.first_name else "",
                    manage_url=_MANAGE_URL_MARK if recipient.manage_url else "",
                ),
                "centre": shared["centre"],
                "test": test,
            }
            shared["rendered"][kind] = (
                render_to_string("newsletter/email/campaign.txt", context),
                render_to_string("newsletter/email/campaign.html", context),
            )
        text, markup = shared["rendered"][kind]
    # The text part is not escaped ({% autoescape off %}); the HTML part is.
    text = text.replace(_FIRST_NAME_MARK, recipient.first_name).replace(
        _MANAGE_URL_MARK, recipient.manage_url
    )
    markup = markup.replace(_FIRST_NAME_MARK, escape(recipient.first_name)).replace(
        _MANAGE_URL_MARK, escape(recipient.manage_url)
    )
    headers = {}
    if recipient.one_click_url:
        # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs here.
        headers["List-Unsubscribe"] = f"<{recipient.one_click_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    host = re.sub(r"^https?://", "", settings.SITE_URL).split("/")[0].split(":")[0]
    headers["List-Id"] = _list_id(shared["centre"]["name"], host)
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=_sender_of(shared["centre"]["name"]),
        to=[recipient.email],
        headers=headers,
    )
    message.attach_alternative(markup, "text/html")
    return message
