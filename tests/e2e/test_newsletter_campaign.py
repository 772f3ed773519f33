"""The newsletter from subscription to unsubscribe, end to end, against the real server
(policy P3, P5, P7, F; CASL s.6(2), s.10, s.11; RFC 8058).

Three visitors subscribe in Chromium: two in French (one on the subscription page with a
topic, one from the footer) and one in English; each confirms through the link of the
e-mail the real SMTP server received. A campaign is scheduled and the real task worker
sends it: each subscriber gets their language, with the centre's identification, a
preferences link, the one-click headers, no tracking pixel and the editor's links as
written. The first French subscriber unsubscribes the way a mail provider does (an
RFC 8058 POST from outside the browser); the other's link only gets the GETs and HEADs of
link scanners and a browser, and unsubscribes no one. The next campaign reaches everyone
but the unsubscribed address, of which only a keyed hash remains, and no table holds any
subscriber's address or first name in clear.
"""

from __future__ import annotations

import email.message
import email.policy
import html
import io
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlparse

from PIL import Image

from .helpers import manage_shell

TOPIC = {"fr": "Programmes et ateliers", "en": "Programs and workshops"}
SUBSCRIBE_PATH = {"fr": "/fr/infolettre/", "en": "/en/newsletter/"}
TEXT = {
    "fr": {
        "inbox": "Consultez votre boîte de réception",
        "subject": "Confirmez votre abonnement",
        "instruction": "Pour confirmer votre abonnement, ouvrez ce lien",
        "confirm": "Confirmer mon abonnement",
        "confirmed": "Abonnement confirmé",
        "greeting": "Bonjour {name},",
        "telephone": "Téléphone",
        "why": "Vous recevez cette infolettre parce que vous vous y êtes abonné",
        "preferences": "Modifier mes préférences ou me désabonner",
        "unsubscribe": "Me désabonner",
    },
    "en": {
        "inbox": "Check your inbox",
        "subject": "Confirm your subscription",
        "instruction": "To confirm your subscription, open this link",
        "confirm": "Confirm my subscription",
        "confirmed": "Subscription confirmed",
        "greeting": "Hello {name},",
        "telephone": "Telephone",
        "why": "You receive this newsletter because you subscribed to it",
        "preferences": "Change my preferences or unsubscribe",
        "unsubscribe": "Unsubscribe",
    },
}
CONFIRM_LINK = re.compile(r"https?://\S+/(?:infolettre/confirmer|newsletter/confirm)/\S+/")
# The campaign's own links, each to appear in the message exactly as written.
OUTSIDE_LINK = {
    "fr": "https://www.canada.ca/fr/sante-publique.html",
    "en": "https://www.canada.ca/en/public-health.html",
}
BUTTON_LINK = "https://www.ontario.ca/page/health-care-ontario"
# Generous: the worker polls every 2 s, and another test's server may load the machine.
WAIT_SECONDS = 120

# The editor's image, as an upload in the media library: a campaign's only image; and
# the centre's identification from its settings, as the messages must give it.
SETUP = """
import io, json
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.images import get_image_model

buffer = io.BytesIO()
Picture.new("RGB", (1200, 600), (29, 79, 145)).save(buffer, format="PNG")
image = get_image_model().objects.create(
    title="Atelier d'hiver", file=ImageFile(buffer, name="atelier-hiver.png")
)
"""

# Values assigned in a first line: token, image, topics (keys, None for every subscriber).
CAMPAIGN_SEND = """
import json
from csce.newsletter.factories import campaign_create
from csce.newsletter.models import Topic
from csce.newsletter.sending import campaign_schedule

def body(text, link, alt):
    return [
        {"type": "text", "value": f'<p>{text} <a href="{link}">{link}</a></p>'},
        {"type": "image", "value": {"image": image, "alt": alt, "caption": ""}},
        {"type": "button", "value": {"label": "Ontario", "page": None, "url": BUTTON_LINK}},
    ]

campaign = campaign_create(
    title=f"Campagne {token}",
    subject=f"Nouvelles {token}",
    subject_en=f"News {token}",
    topics=Topic.objects.filter(key__in=topics) if topics else (),
)
campaign.body = body(f"Les ateliers {token} reprennent.", OUTSIDE_LINK["fr"], "Un atelier")
campaign.body_en = body(f"Workshops {token} start again.", OUTSIDE_LINK["en"], "A workshop")
campaign.save()
campaign_schedule(campaign=campaign, at=None, actor=None)
"""

# Then waits, in the same process, until the worker has finished the campaign.
CAMPAIGN_SENT_WAIT = """
import time
from csce.newsletter.models import Campaign
from csce.newsletter.sending import campaign_progress

deadline = time.monotonic() + WAIT_SECONDS
while True:
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status == "sent" or time.monotonic() > deadline:
        break
    time.sleep(0.5)
progress = campaign_progress(campaign=campaign)
print("RESULT " + json.dumps({"status": campaign.status, "failed": progress.failed}))
"""

# Each address's subscription and suppression; and which of ``values`` (addresses, first
# names) a copy of the database would show in clear: every value of every table, read
# with SQL.
SUBSCRIPTIONS_STATE = """
import json
from csce.common.crypto import blind_index
from csce.common.testing import database_text_dump
from csce.newsletter.models import Subscriber, Suppression, suppression_hash

dump = database_text_dump().lower()
print("RESULT " + json.dumps({
    "in_clear": [value for value in values if value.lower() in dump],
    **{address: {
        "status": list(
            Subscriber.objects.filter(email_index=blind_index(address))
            .values_list("status", flat=True)
        ),
        "suppressed": list(
            Suppression.objects.filter(address_hash=suppression_hash(address))
            .values_list("reason", flat=True)
        ),
    }
    for address in addresses},
}))
"""

SETUP += """
from django.utils import translation
from csce.pages.centre import centre_settings_default

centre = centre_settings_default()
names = {}
for language in ("fr", "en"):
    with translation.override(language):
        names[language] = centre.localized_name()
print("RESULT " + json.dumps({
    "image": image.pk,
    "names": names,
    "street": centre.street_address,
    "city": centre.city,
    "postal_code": centre.postal_code,
    "phone": centre.phone,
    "email": centre.email,
}))
"""


def _shell(site_server, script: str, **values) -> object:
    """``script`` in the server's Django, with ``values`` assigned first; returns what it
    printed after RESULT, as JSON."""
    return _shell_results(site_server, script, **values)[-1]


def _shell_results(site_server, script: str, **values) -> list:
    """Each RESULT ``script`` printed, in order (one Django start for several steps)."""
    assignments = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    output = manage_shell(site_server, assignments + script)
    return [
        json.loads(line.removeprefix("RESULT "))
        for line in output.splitlines()
        if line.startswith("RESULT ")
    ]


def _mails_to(site_server, address: str) -> list[email.message.EmailMessage]:
    """Every message to ``address`` the real SMTP server has filed so far, oldest first."""
    found = []
    for path in sorted((site_server["data_dir"] / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def _subject(message) -> str:
    """The subject as a mail client shows it (a long one is folded onto the next line)."""
    return str(message["Subject"]).strip()


def _mail_with_subject(site_server, address: str, subject: str):
    """The one message to ``address`` with exactly ``subject``, waiting for the worker."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        matches = [m for m in _mails_to(site_server, address) if _subject(m) == subject]
        if matches or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert len(matches) == 1, f"{len(matches)} messages {subject!r} to {address}"
    return matches[0]


def _subscribe(browser, site_server, *, address, language, first_name="", topic="", footer=False):
    """A visitor subscribes (consent box ticked by them), receives the confirmation e-mail
    in their language through the real SMTP server, opens its link and confirms."""
    text = TEXT[language]
    context = browser.new_context(
        base_url=site_server["url"],
        locale=f"{language}-CA",
        # A visitor of their own, as the proxy names them: the other tests' forms, sent
        # from this machine, do not count against this one's limits.
        extra_http_headers={"X-Forwarded-For": f"198.51.100.{secrets.randbelow(250) + 1}"},
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        if footer:
            page.goto(f"/{language}/")
            form = page.locator("footer form")
        else:
            page.goto(SUBSCRIBE_PATH[language])
            form = page.locator("main form.newsletter-form")
        form.locator('input[name="email"]').fill(address)
        if first_name:
            form.locator('input[name="first_name"]').fill(first_name)
        if topic:
            form.get_by_label(topic, exact=True).check()
        consent = form.locator('input[name="consent"]')
        assert not consent.is_checked()  # policy P7: never ticked in advance
        consent.check()
        if not footer:
            # The proof-of-work challenge, started when the form got focus (the footer
            # has none: its script would load on every page).
            page.wait_for_function(
                "form => form.querySelector('altcha-widget input[type=hidden]').value.length > 0",
                arg=form.element_handle(),
                timeout=60_000,
            )
        form.locator('button[type="submit"]').click()
        page.get_by_role("heading", level=1, name=text["inbox"]).wait_for()

        message = _wait_for_confirmation(site_server, address, text["subject"])
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert text["instruction"] in body  # in the visitor's language
        link = CONFIRM_LINK.search(body).group(0)
        assert link.startswith(site_server["url"] + f"/{language}/")
        page.goto(urlparse(link).path)
        page.get_by_role("button", name=text["confirm"]).click()
        page.get_by_role("heading", level=1, name=text["confirmed"]).wait_for()
    finally:
        context.close()


def _wait_for_confirmation(site_server, address: str, subject: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        matches = [m for m in _mails_to(site_server, address) if subject in _subject(m)]
        if matches or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert len(matches) == 1, f"{len(matches)} confirmation e-mails to {address}"
    return matches[0]


class _Markup(HTMLParser):
    """The images and links of a message's HTML part."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
        # Other ways to load something when the message is opened: none is expected.
        assert tag not in ("script", "iframe", "object", "embed", "link"), tag
        assert "background" not in attributes, attributes


def _fetch(url: str, *, method: str = "GET", data: bytes | None = None):
    """From outside the browser, as a mail provider or a link scanner: no Origin header,
    no cookie. Returns (status, headers, body)."""
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _campaign_checked(site_server, message, *, language, token, first_name, centre):
    """What CASL s.6(2) and RFC 8058 ask of every message, and no tracking (policy P3).
    Returns the one-click URL of its List-Unsubscribe header and its preferences link."""
    text = TEXT[language]
    own = site_server["url"]
    subject = {"fr": f"Nouvelles {token}", "en": f"News {token}"}[language]
    assert _subject(message) == subject
    assert centre["names"][language] in str(message["From"])

    plain = message.get_body(preferencelist=("plain",)).get_content()
    markup = message.get_body(preferencelist=("html",)).get_content()
    assert f'<html lang="{language}">' in markup
    story = {"fr": f"Les ateliers {token} reprennent.", "en": f"Workshops {token} start again."}
    # The HTML part's text as a mail client shows it (entities read).
    for part in (plain, html.unescape(markup)):
        assert story[language] in part
        if first_name:
            assert text["greeting"].format(name=first_name) in part
        else:
            assert text["greeting"].split()[0] not in part
        # CASL s.6(2): who sends, a mailing address, and each way to reach them that the
        # centre's settings give (the demo's: a telephone and the site).
        for value in (
            centre["names"][language],
            centre["street"],
            centre["city"],
            centre["postal_code"],
        ):
            assert value, "the demo's centre settings lack a value"
            assert value in part, value
        for contact in (centre["phone"], centre["email"], f"{own}/{language}/"):
            if contact:
                assert contact in part, contact
        if centre["phone"]:
            assert text["telephone"] in part
        assert text["why"] in part
        assert text["preferences"] in part
    manage = re.search(rf"{re.escape(own)}/{language}/\S+/", plain.split(text["preferences"])[1])
    assert manage, "no preferences link in the text part"
    assert f'href="{manage.group(0)}"' in markup

    # RFC 8058: a one-click address of our own site, and the POST it expects.
    header = str(message["List-Unsubscribe"]).strip()  # unfolded: a long line is folded
    assert re.fullmatch(r"<https?://[^<>\s]+>", header), header
    one_click = header[1:-1]
    assert urlparse(one_click).netloc == urlparse(own).netloc
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    # RFC 2919: the list's identifier as written, beside the centre's encoded name.
    list_id = " ".join(dict(message.raw_items())["List-Id"].split())
    assert list_id.endswith(f" <newsletter.{urlparse(own).hostname}>"), list_id

    # No tracking pixel: the campaign's one image, full size, served by our own site.
    found = _Markup()
    found.feed(markup)
    assert len(found.images) == 1, found.images
    image = found.images[0]
    assert urlparse(image["src"]).netloc == urlparse(own).netloc, image
    assert image.get("alt") == {"fr": "Un atelier", "en": "A workshop"}[language]
    status, headers, content = _fetch(image["src"])
    assert status == 200
    assert headers["Content-Type"].startswith("image/")
    assert min(Image.open(io.BytesIO(content)).size) > 1
    # No rewritten link: the editor's addresses as written; the rest are the centre's.
    assert OUTSIDE_LINK[language] in found.links
    assert BUTTON_LINK in found.links
    assert f"{OUTSIDE_LINK[language]} ({OUTSIDE_LINK[language]})" in plain
    assert BUTTON_LINK in plain
    for link in found.links:
        assert (
            link in (OUTSIDE_LINK[language], BUTTON_LINK)
            or link == f"mailto:{centre['email']}"
            or urlparse(link).netloc == urlparse(own).netloc
        ), link
    return one_click, manage.group(0)


def test_subscribe_receive_a_campaign_unsubscribe_in_one_click_and_receive_no_more(
    browser, site_server
):
    tag = secrets.token_hex(4)
    # A: French, subscription page, one topic; unsubscribes in one click.
    # B: French, footer (no topic: everything); their links only get GETs and HEADs.
    # C: English, subscription page, one topic.
    a = f"infolettre-a-{tag}@example.org"
    b = f"infolettre-b-{tag}@example.org"
    c = f"newsletter-c-{tag}@example.org"
    names = {a: "Philomène", c: "Gwendolyn"}
    personal = {"addresses": [a, b, c], "values": [a, b, c, *names.values()]}
    setup = _shell(site_server, SETUP)
    campaign = {"image": setup["image"], "OUTSIDE_LINK": OUTSIDE_LINK, "BUTTON_LINK": BUTTON_LINK}

    # 1. Double opt-in in the browser, each in their language (CASL s.10).
    _subscribe(
        browser, site_server, address=a, language="fr", first_name=names[a], topic=TOPIC["fr"]
    )
    _subscribe(browser, site_server, address=b, language="fr", footer=True)
    _subscribe(
        browser, site_server, address=c, language="en", first_name=names[c], topic=TOPIC["en"]
    )

    # 2. The first campaign, for the topic A and C chose (B chose none: everything), sent
    # by the real worker in batches through the real SMTP server. Only confirmed
    # subscriptions receive it (CASL s.6(1)).
    first = f"un-{tag}"
    _shell_results(site_server, CAMPAIGN_SEND, token=first, topics=["programs"], **campaign)
    one_click_a, _manage_a = _campaign_checked(
        site_server,
        _mail_with_subject(site_server, a, f"Nouvelles {first}"),
        language="fr",
        token=first,
        first_name=names[a],
        centre=setup,
    )
    one_click_b, manage_b = _campaign_checked(
        site_server,
        _mail_with_subject(site_server, b, f"Nouvelles {first}"),
        language="fr",
        token=first,
        first_name="",
        centre=setup,
    )
    _campaign_checked(
        site_server,
        _mail_with_subject(site_server, c, f"News {first}"),
        language="en",
        token=first,
        first_name=names[c],
        centre=setup,
    )
    assert len({one_click_a, one_click_b}) == 2  # each subscriber's own link

    # 3. Mail providers POST RFC 8058's body from their servers, with no Origin.
    status, headers, content = _fetch(
        one_click_a, method="POST", data=b"List-Unsubscribe=One-Click"
    )
    assert status == 200, content
    assert "no-store" in headers["Cache-Control"]
    # Sent again (a provider retrying): the same answer, nothing to tell.
    assert _fetch(one_click_a, method="POST", data=b"List-Unsubscribe=One-Click")[0] == 200

    # Link scanners and people opening B's links: GETs, a HEAD, a POST without the
    # one-click body, a browser on the preferences page. None may unsubscribe.
    status, _headers, content = _fetch(one_click_b)
    assert status == 200, content
    assert _fetch(one_click_b, method="HEAD")[0] == 200
    assert _fetch(manage_b)[0] == 200
    assert _fetch(one_click_b, method="POST", data=b"")[0] == 400
    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for url in (one_click_b, manage_b):
            page.goto(url)
            # The preferences page, with the unsubscribe button left unpressed.
            page.get_by_role("button", name=TEXT["fr"]["unsubscribe"]).wait_for()
    finally:
        context.close()

    state = _shell(site_server, SUBSCRIPTIONS_STATE, **personal)
    # CASL s.11: effective at once; only a keyed hash of A's address is kept.
    assert state[a] == {"status": [], "suppressed": ["unsubscribed"]}
    assert state[b] == {"status": ["confirmed"], "suppressed": []}
    assert state[c] == {"status": ["confirmed"], "suppressed": []}

    # 4. The next campaign, to every subscriber, until the worker has finished it: all
    # but A receive it.
    second = f"deux-{tag}"
    sent, state = _shell_results(
        site_server,
        CAMPAIGN_SEND + CAMPAIGN_SENT_WAIT + SUBSCRIPTIONS_STATE,
        token=second,
        topics=None,
        WAIT_SECONDS=WAIT_SECONDS,
        **campaign,
        **personal,
    )
    assert sent == {"status": "sent", "failed": 0}
    assert _mail_with_subject(site_server, b, f"Nouvelles {second}")
    assert _mail_with_subject(site_server, c, f"News {second}")
    received_by_a = [_subject(m) for m in _mails_to(site_server, a)]
    assert len(received_by_a) == 2
    assert received_by_a[0].startswith(TEXT["fr"]["subject"])
    assert received_by_a[1] == f"Nouvelles {first}"

    assert state[a] == {"status": [], "suppressed": ["unsubscribed"]}
    # No table holds an address or a first name in clear (policy P5, F): A's is gone,
    # B's and C's are encrypted.
    assert state["in_clear"] == []
