"""The French admin is French, for every role (policy P2: French first).

A staff member of each role, with French as admin language, walks every screen they can
reach: the admin menu's items (read from the menu itself, so a new screen is walked
without changing this test), then the links of each screen, one per kind of link (the
first object of each listing, its edit and its other screens; a page screen once per
page type), three links deep. The visible text of each screen (no scripts, styles,
attributes or hidden elements) must hold no English phrase of the list below, no broken
French agreement ("pas de envois", "Ajouter un(e)") and no raw key: an
``app_label.model``, a URL name, a language code shown as a value, a snake_case
identifier. The lists are filled first (``listings``), so each first object exists, and
a page awaits the AED's approval. The screens shown only once a form is sent (a reply's
preview, a message's preview) are walked too, by whoever may send them.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from wagtail.admin.menu import admin_menu
from wagtail.models import Page

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in, staff_user
from csce.pages.models import StandardPage
from csce.submissions.models import ProgramSession
from csce.submissions.programs.desk import DeskRegistrant, registration_by_hand

from .test_access_matrix import objects, site_pages  # noqa: F401

pytestmark = [pytest.mark.django_db]

SUPERUSER = "Superuser (break-glass)"
ROLES = [*roles.ROLE_LABELS, SUPERUSER]

# English that a French screen must not show, as whole words (case-sensitive: "None" is
# Python's, "none" may be a French word's part).
ENGLISH = [
    *(str(name) for name in roles.ROLE_LABELS),
    "None",
    "True",
    "False",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Add",
    "Edit",
    "Delete",
    "Save",
    "Cancel",
    "Submit",
    "Search",
    "Published",
    "Draft",
    "Status",
    "Created",
    "Updated",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
]
# "Communications" is the same word in both languages.
ENGLISH.remove(roles.COMMUNICATIONS)
# The approval workflow is named in the reader's language (csce/accounts/workflow_names.py):
# neither its English name nor Wagtail's sample name may show in the French admin.
ENGLISH += ["Moderators approval", "Assistant Executive Director approval"]
# A content language is « anglais » in the French admin (WAGTAIL_CONTENT_LANGUAGES); "English"
# shows only as its own name in a language picker (an option whose value is "en").
ENGLISH += ["English"]
ENDONYMS = {code: str(name) for code, name in settings.LANGUAGES}
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# French words built from a noun and a preposition that does not elide or agree.
BROKEN_FRENCH_RE = re.compile(
    r"\b(?:de|que|ne|le|la)\s+[aeiouyéèêàâîôûAEIOUYÉÈÊÀÂÎÔÛ]\w*"
    r"|\bun\(e\)|\b[Cc]e\(tte\)|\bce/cette\b|\ble/la\b|\w\((?:elle|le)\)"
)

RAW_KEYS = [
    # app_label.model, as Django's content types and the audit log name them.
    re.compile(
        r"\b(?:auth|wagtail\w*|submissions|privacy|accounts|audit|pages|analytics|outbox"
        r"|retention|common|contenttypes|sessions|axes|otp_\w+)\.[a-z_]+\b"
    ),
    # URL names.
    re.compile(r"\b(?:wagtail\w*|admin|submissions|privacy|accounts|audit)_[a-z_]+\b"),
    # snake_case identifiers.
    re.compile(r"\b[a-z]+_[a-z_]+\b"),
    # A bare language code shown as a value: alone in its element.
    re.compile(r"^(?:fr|en|fr-ca|en-ca)$"),
]

# Links not walked: they act, download, or belong to a screen of Wagtail's that lists
# every object (the API, choosers, the previews).
SKIPPED_NAMES = re.compile(
    r"logout|download|export|csv|_api|chooser|autocomplete|preview|jsi18n|serve|"
    r"workflow_history|revisions_view|revisions_compare|sidebar|search$|_usage_results"
)
PER_ROLE_LIMIT = 200
DEPTH = 3


class _VisibleText(HTMLParser):
    """Each run of text a reader sees, element by element: no scripts, styles, SVG,
    attributes, elements marked ``hidden``, nor the content typed in a text area. A run
    inside ``<code>`` (a command the technical administrator types) is kept apart: it is
    checked for English only. A language's own name as a language picker's option ("English"
    for the value ``en``) is no English phrase, nor is text marked ``lang="en"``."""

    HIDDEN = {"script", "style", "svg", "template", "noscript", "head", "title", "textarea"}
    VOID = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr",
    }  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, hidden, code
        self.option_value: str | None = None
        self.texts: list[str] = []
        self.code: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in self.VOID:
            return
        if tag == "option":
            self.option_value = attributes.get("value")
        # Text marked as another language (an e-mail's preview in the visitor's English)
        # is that language's, not English on a French screen.
        other_language = not (attributes.get("lang") or "fr").startswith("fr")
        hidden = tag in self.HIDDEN or "hidden" in attributes or other_language
        self.stack.append((tag, hidden, tag in {"code", "kbd", "samp"}))

    def handle_startendtag(self, tag, attrs):
        if tag == "a":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not data.strip() or any(hidden for _tag, hidden, _code in self.stack):
            return
        text = " ".join(data.split())
        in_option = any(tag == "option" for tag, *_rest in self.stack)
        if in_option and text == ENDONYMS.get(self.option_value or ""):
            return
        (self.code if any(code for *_rest, code in self.stack) else self.texts).append(text)


def _menu_urls(user) -> list[str]:
    """The URLs of the admin menu as this user sees it, submenus included."""
    request = RequestFactory().get(reverse("wagtailadmin_home"))
    request.user = user
    urls: list[str] = []

    def walk(items):
        for item in items:
            submenu = getattr(item, "menu", None)
            if submenu is not None:
                walk(submenu.menu_items_for_request(request))
            elif getattr(item, "url", None):
                urls.append(item.url)

    with translation.override("fr"):
        walk(admin_menu.menu_items_for_request(request))
    return [reverse("wagtailadmin_home"), *urls]


def _kind(path: str) -> str | None:
    """What a link is, for walking one of each: its URL name and its query's keys; None for
    a link that is not walked."""
    parts = urlsplit(path)
    if not parts.path.startswith("/admin/") or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name or parts.path
    if SKIPPED_NAMES.search(name):
        return None
    # Pages: one screen of each kind per page type (a program's sessions, a form's fields).
    page_id = match.kwargs.get("page_id") or match.kwargs.get("parent_page_id")
    if name.startswith(("wagtailadmin_explore", "wagtailadmin_pages:")) and page_id:
        name += ":" + str(
            Page.objects.filter(pk=page_id).values_list("content_type__model", flat=True).first()
        )
    if "content_type_model_name" in match.kwargs:
        name += ":" + match.kwargs["content_type_model_name"]
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    if set(keys) - {"locale", "inbox", "status", "kind", "filter"}:
        return None  # sorting, paging, searching: the same screen again
    return f"{name}?{'&'.join(keys)}"


def _problems(texts: list[str], code: list[str] = ()) -> list[str]:
    found = [f"English {m.group(0)!r} in {t[:120]!r}" for t in code for m in ENGLISH_RE.finditer(t)]
    for text in texts:
        for match in ENGLISH_RE.finditer(text):
            found.append(f"English {match.group(0)!r} in {text[:120]!r}")
        for match in BROKEN_FRENCH_RE.finditer(text):
            found.append(f"broken French {match.group(0)!r} in {text[:120]!r}")
        for pattern in RAW_KEYS:
            for match in pattern.finditer(text):
                found.append(f"raw key {match.group(0)!r} in {text[:120]!r}")
    return found


def _walk(client, user) -> tuple[dict[str, list[str]], list[str]]:
    """Every screen reached, with the problems of each; and the screens that failed."""
    queue = [(url, 0) for url in _menu_urls(user)]
    seen: set[str] = set()
    visited: dict[str, list[str]] = {}
    errors: list[str] = []
    while queue and len(visited) < PER_ROLE_LIMIT:
        url, depth = queue.pop(0)
        url = urldefrag(url).url
        kind = _kind(url)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        visited[url] = _problems(parser.texts, parser.code)
        if depth < DEPTH:
            queue += [(link, depth + 1) for link in parser.links]
    return visited, errors


@pytest.fixture
def listings(objects):  # noqa: F811
    """Beyond one object of each kind: what a day's work puts in the lists. An English
    message to the contact form with an optional purpose agreed to, the privacy notice and
    its versions, a role waiting for approval, an e-mail in the outbox, a locked-out
    sign-in, a page awaiting the AED's approval, someone registered to a session with an
    e-mail address."""
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group
    from django.core.mail import EmailMessage

    from csce.accounts.role_requests import role_request_create
    from csce.outbox.services import message_enqueue
    from csce.privacy.factories import notice_page_create
    from csce.submissions.models import InquiryOptionalPurpose, InquiryPage, Submission

    contact = InquiryPage.objects.get(locale__language_code="fr")
    InquiryOptionalPurpose.objects.create(
        page=contact, key="call_back", label="Vous pouvez me rappeler."
    )
    now = timezone.now()
    inquiry = Submission.objects.create(
        page=contact,
        form_title=contact.title,
        kind=contact.form_kind,
        inbox_id=contact.inbox_id,
        language="en",
        expires_at=now + datetime.timedelta(days=contact.retention_days),
        optional_consents=["call_back"],
        answers=[
            {
                "name": "message",
                "label": "Message",
                "field_type": "multiline",
                "data_class": "personal",
                "value": "Bonjour, une question sur les ateliers.",
            },
            {
                "name": "courriel",
                "label": "Courriel",
                "field_type": "email",
                "data_class": "personal",
                "value": "visiteuse@example.org",
            },
        ],
    )
    notice_page_create(home=contact.get_parent().specific)
    approver = staff_user(username="approbatrice", role=roles.AED, verified=False)
    requested = staff_user(username="demandee", verified=False)
    role_request_create(
        user=requested, group=Group.objects.get(name=roles.PRIVACY_OFFICER), requested_by=approver
    )
    message_enqueue(
        message=EmailMessage(subject="Avis", body="Bonjour", to=["personne@example.org"]),
        kind="privacy.verification",
        language="en",
    )
    AccessAttempt.objects.create(
        username="verrouille", ip_address="192.0.2.1", user_agent="test", failures_since_start=9
    )
    # A new page a content creator submitted: the AED's dashboard lists it to approve.
    home = Page.objects.get(depth=2, locale__language_code="fr")
    awaiting = home.add_child(
        instance=StandardPage(
            title="Nouvel atelier", slug="nouvel-atelier", live=False, locale=home.locale
        )
    )
    creator = staff_user(username="redactrice", role=roles.CONTENT)
    awaiting.save_revision(user=creator)
    awaiting.get_workflow().start(awaiting, creator)
    # Someone registered by telephone with an e-mail address: a message has its preview.
    session = ProgramSession.objects.get(pk=objects["session_id:submissions_admin"])
    registration_by_hand(
        session=session,
        person=DeskRegistrant(
            name="Personne Inscrite",
            phone="613 555-0100",
            email="inscrite@example.org",
            language="en",
            channel="phone",
        ),
        staff=approver,
    )
    return {**objects, "inquiry": inquiry.pk, "session": session.pk}


# The screens shown only once a form is sent: (URL name, listings key, data sent, what
# the screen shows), each for whoever may send it (the others are refused).
SENT_SCREENS = {
    "inbox reply preview": (
        "submissions_admin:detail",
        "inquiry",
        {"action": "reply_preview", "body": "Nous ouvrons à 9 h le samedi."},
        'id="reply-preview-section"',
    ),
    "session message preview": (
        "submissions_admin:session_message",
        "session",
        {
            "action": "preview",
            "subject_fr": "Rappel",
            "body_fr": "La séance commence à 18 h.",
            "subject_en": "Reminder",
            "body_en": "The session starts at 6 p.m.",
        },
        'id="preview-heading"',
    ),
}
SENT_BY_ROLE = {
    roles.COMMUNICATIONS: {"inbox reply preview"},
    roles.PROGRAM_STAFF: {"session message preview"},
    SUPERUSER: set(SENT_SCREENS),
}


def _walk_sent(client, listings) -> tuple[dict[str, list[str]], list[str]]:
    """Each screen of ``SENT_SCREENS`` the user reaches, by name, with its problems."""
    visited: dict[str, list[str]] = {}
    errors: list[str] = []
    for name, (url_name, key, data, shown) in SENT_SCREENS.items():
        url = reverse(url_name, args=[listings[key]])
        response = client.post(url, data)
        if response.status_code >= 500:
            errors.append(f"{name}: {response.status_code}")
            continue
        if response.status_code != 200:
            continue  # refused: not this role's inbox
        html = response.content.decode()
        if shown not in html:
            errors.append(f"{name}: the preview is not shown")
            continue
        parser = _VisibleText()
        parser.feed(html)
        visited[name] = [f"{url}: {problem}" for problem in _problems(parser.texts, parser.code)]
    return visited, errors


@pytest.mark.parametrize("role", ROLES)
def test_every_screen_of_the_french_admin_is_in_french(client, listings, role):
    user = staff_user(
        role=None if role == SUPERUSER else role,
        superuser=role == SUPERUSER,
        language="fr",
        first_name="Agente",
        last_name="Française",
    )
    staff_sign_in(client, user)
    visited, errors = _walk(client, user)
    if role == roles.AED:  # the approvals panel is walked with a page in it
        assert "Nouvel atelier" in client.get(reverse("wagtailadmin_home")).content.decode()
    sent, sent_errors = _walk_sent(client, listings)
    assert SENT_BY_ROLE.get(role, set()) <= set(sent), f"{role} reached only {set(sent)}"
    visited.update(sent)
    errors += sent_errors
    assert not errors, errors
    assert len(visited) > 1, f"{role} reached no screen beyond the dashboard"
    problems = [f"{url}: {problem}" for url, found in visited.items() for problem in found]
    assert not problems, f"{role}, {len(visited)} screens:\n" + "\n".join(problems)


def test_the_walk_finds_english_broken_french_and_raw_keys_in_visible_text_only():
    parser = _VisibleText()
    parser.feed(
        '<p title="Program staff">Boîte de Program staff</p><script>var None;</script>'
        "<td>True</td><td>submissions.submission</td><td>fr</td><td>3 December 2026</td>"
        "<p>pas de envois</p><p>wagtailadmin_home</p><h1>Ajouter un(e) Séances</h1>"
        "<p>Ce(tte) page</p><div hidden><span>False</span></div><br><p>optional_key</p>"
        "<p><code>manage.py purge_expired_data</code> Edit</p>"
        '<p>Publier la version English</p><select><option value="en">English</option>'
        '<option value="fr">English</option></select><pre lang="en">Kind regards, Tuesday</pre>'
    )
    found = "\n".join(_problems(parser.texts, parser.code))
    for expected in (
        "'Program staff'",
        "'True'",
        "'submissions.submission'",
        "'fr'",
        "'December'",
        "'de envois'",
        "'wagtailadmin_home'",
        "'un(e)'",
        "'Ce(tte)'",
        "'optional_key'",
        "'Edit'",
        "'Publier la version English'",
    ):
        assert expected in found
    # The picker's endonym is left alone; "English" naming another option's language is not.
    assert found.count("English 'English' in 'English'") == 1
    for absent in ("None", "False", "purge_expired_data", "Tuesday"):
        assert f"{absent!r}" not in found
