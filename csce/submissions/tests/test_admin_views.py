"""The inboxes in the admin: need to know, logged reads, actions, close and purge, export."""

from __future__ import annotations

import csv
import datetime
import email
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.models import Site

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import AED, COMMUNICATIONS, CONTENT, ED, PROGRAM_STAFF
from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.reads import VISIT_MINUTES
from csce.pages.models import CentreSettings
from csce.submissions.factories import program_page_create, registration_post_data
from csce.submissions.inbox.exports import submissions_export_csv
from csce.submissions.inbox.selectors import user_has_inbox
from csce.submissions.inbox.services import submission_assign, submission_note_add
from csce.submissions.models import Submission, SubmissionStatus

from .conftest import inquiry_post_data, post_form

pytestmark = pytest.mark.django_db

SUBMISSION_TYPE = "submissions.submission"


def signed_in(client, **kwargs):
    """A staff member reading the admin in English, signed in with a second factor."""
    user = staff_user(language="en", verified=False, **kwargs)
    staff_sign_in(client, user)
    return user


@pytest.fixture
def submission(client, inquiry_page) -> Submission:
    """Marie's inquiry, sent to the Communications inbox by the visitor's browser."""
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
    assert response.status_code == 200
    return Submission.objects.get()


def reads_of(submission) -> int:
    return AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        object_type=SUBMISSION_TYPE,
        object_id=str(submission.pk),
    ).count()


def words(html: str) -> str:
    """The page's text with every run of spaces (no-break ones too) as one space."""
    return " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())


def list_reads() -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            action=AccessAction.PERSONAL_DATA_READ, object_type=SUBMISSION_TYPE, object_id=""
        ).order_by("pk")
    )


def test_the_list_shows_sender_topic_and_excerpt_with_one_logged_read(client, inquiry_page):
    long_message = "Bonjour, " + "je voudrais savoir quand ouvre la clinique le samedi. " * 4
    post_form(client, inquiry_page, inquiry_post_data(inquiry_page, message=long_message))
    submission = Submission.objects.get()
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    listing = client.get(reverse("submissions_admin:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    # Who wrote, about what, and the start of the message: not the form's title.
    assert "Marie Tremblay" in html
    assert "Question générale" in html
    excerpt = " ".join(long_message.split())[:99].rstrip() + "…"
    assert excerpt in html
    assert " ".join(long_message.split()) not in html
    assert reverse("submissions_admin:detail", args=[submission.pk]) in html
    # A health answer never shows in the list (policy P6): only on the item.
    assert "diabète" not in html
    # Policy F: the names and excerpts are a read, logged once for the screen.
    [entry] = list_reads()
    assert entry.actor_id == member.pk
    assert entry.details["ids"] == [str(submission.pk)]
    assert entry.details["view"] == "inbox_list"
    assert "Marie" not in str(entry.details)
    assert reads_of(submission) == 0  # the item itself is not opened yet

    # A reload, or the filters' partial refresh, in the same visit: no new entry.
    client.get(reverse("submissions_admin:index"))
    client.get(reverse("submissions_admin:index_results"))
    assert len(list_reads()) == 1
    # A new item that shows up is read in its turn, alone.
    post_form(client, inquiry_page, inquiry_post_data(inquiry_page, nom="Paul Roy"))
    newer = Submission.objects.latest("pk")
    client.get(reverse("submissions_admin:index"))
    assert [e.details["ids"] for e in list_reads()] == [[str(submission.pk)], [str(newer.pk)]]


def test_opening_an_item_puts_the_message_first_and_logs_one_read_per_visit(
    client, submission, time_machine
):
    time_machine.move_to(timezone.now())
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    url = reverse("submissions_admin:detail", args=[submission.pk])
    detail = client.get(url)
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"]
    html = detail.content.decode()
    assert "Marie Tremblay" in html
    assert "Je vis avec le diabète de type 2" in html
    # The person's message first, then what the inbox knows about it.
    assert html.index("Quand ouvrez-vous le samedi") < html.index('id="item-facts"')
    assert html.index('id="item-answers"') < html.index('id="item-facts"')
    assert html.index('id="item-facts"') < html.index('id="item-replies"')
    entry = AccessLogEntry.objects.get(
        action=AccessAction.PERSONAL_DATA_READ, object_id=str(submission.pk)
    )
    assert entry.actor_id == member.pk
    assert entry.object_type == SUBMISSION_TYPE
    assert "Marie" not in str(entry.details)

    # Reloading, or coming back after an action, within the visit: still one read.
    client.get(url)
    client.post(url, {"action": "note", "text": "Rappeler lundi"})
    client.get(url)
    assert reads_of(submission) == 1
    # After the visit's window (the session kept alive meanwhile), a new read.
    time_machine.shift(datetime.timedelta(minutes=VISIT_MINUTES - 10))
    client.get(url)
    assert reads_of(submission) == 1
    time_machine.shift(datetime.timedelta(minutes=11))
    client.get(url)
    assert reads_of(submission) == 2
    # So is a new visit: signing out and in again.
    client.logout()
    staff_sign_in(client, member)
    client.get(url)
    assert reads_of(submission) == 3


def test_answers_are_escaped_on_the_item(client, inquiry_page):
    post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, message="<script>alert(1)</script>"),
    )
    item = Submission.objects.get()
    signed_in(client, username="comm", role=COMMUNICATIONS)
    html = client.get(reverse("submissions_admin:detail", args=[item.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "role",
    [ED, CONTENT, AED],
    ids=["member-of-another-inbox", "content-creator", "aed-not-member"],
)
def test_anyone_outside_the_inbox_gets_a_real_403(client, submission, inquiry_page, role):
    other = signed_in(client, username="other", role=role)
    if role == ED:
        other.groups.add(Group.objects.create(name="Ressources humaines"))
        assert user_has_inbox(user=other) is False  # no form sends there yet
    for url in (
        reverse("submissions_admin:detail", args=[submission.pk]),
        reverse("submissions_admin:close", args=[submission.pk]),
        reverse("submissions_admin:export", args=[inquiry_page.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Marie Tremblay" not in response.content.decode()
    refused = client.post(
        reverse("submissions_admin:close", args=[submission.pk]), {"confirm": "on"}
    )
    assert refused.status_code == 403
    listing = client.get(reverse("submissions_admin:index"))
    assert listing.status_code == 200
    assert reverse("submissions_admin:detail", args=[submission.pk]) not in listing.content.decode()
    assert reads_of(submission) == 0
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_EXPORTED).exists()
    submission.refresh_from_db()
    assert not submission.is_purged


def test_a_topics_inbox_exports_only_its_own_items_of_the_form(client, submission, inquiry_page):
    # The form's "Programmes" topic sends to Program staff: they may export that form,
    # but Marie wrote under the general topic, to Communications.
    signed_in(client, username="prog", role=PROGRAM_STAFF)
    response = client.get(reverse("submissions_admin:export", args=[inquiry_page.pk]))
    assert response.status_code == 200
    assert "marie" not in response.content.decode().lower()
    assert (
        AccessLogEntry.objects.get(action=AccessAction.PERSONAL_DATA_EXPORTED).details["count"] == 0
    )


def test_the_aed_who_is_a_member_reads_the_item(client, submission):
    aed = signed_in(client, username="aed", role=AED)
    aed.groups.add(Group.objects.get(name=COMMUNICATIONS))
    assert client.get(reverse("submissions_admin:detail", args=[submission.pk])).status_code == 200


def test_a_break_glass_superuser_reads_every_item(client, submission):
    signed_in(client, username="root", superuser=True)
    assert client.get(reverse("submissions_admin:detail", args=[submission.pk])).status_code == 200
    assert reads_of(submission) == 1


def test_the_inbox_menu_shows_only_to_members(client, submission):
    signed_in(client, username="comm", role=COMMUNICATIONS)
    assert (
        reverse("submissions_admin:index")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.logout()
    signed_in(client, username="creator", role=CONTENT)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("submissions_admin:index") not in home


def test_wagtails_own_form_submissions_do_not_show_our_forms(inquiry_page):
    for user in (
        staff_user(username="aed", role=AED, language="en", verified=False),
        staff_user(username="creator", role=CONTENT, language="en", verified=False),
        staff_user(username="root", superuser=True, language="en", verified=False),
    ):
        assert not get_forms_for_user(user).filter(pk=inquiry_page.pk).exists()


def test_close_and_purge_asks_for_confirmation_then_deletes_the_content(client, submission):
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    submission_note_add(submission=submission, author=member, text="Rappeler Marie")
    url = reverse("submissions_admin:close", args=[submission.pk])
    confirm_page = client.get(url)
    assert confirm_page.status_code == 200
    assert "Marie Tremblay" not in confirm_page.content.decode()

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200
    submission.refresh_from_db()
    assert not submission.is_purged

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.is_purged
    assert submission.answers is None
    assert submission.status == SubmissionStatus.CLOSED
    assert submission.closed_by == member
    assert not submission.notes.exists()
    deletion = AccessLogEntry.objects.get(
        action=AccessAction.PERSONAL_DATA_DELETED, object_id=str(submission.pk)
    )
    assert deletion.actor_id == member.pk
    # What remains is a tombstone: still listed, opened without any content.
    html = client.get(reverse("submissions_admin:detail", args=[submission.pk])).content.decode()
    assert "Marie Tremblay" not in html
    assert "Écrivez-nous" in html


def test_assign_only_to_a_member_of_the_inbox(client, submission):
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    outsider = staff_user(username="prog", role=PROGRAM_STAFF, language="en", verified=False)
    with pytest.raises(ValidationError):
        submission_assign(submission=submission, assignee=outsider, actor=member)
    refused = client.post(
        reverse("submissions_admin:detail", args=[submission.pk]),
        {"action": "assign", "assignee": outsider.pk},
    )
    assert refused.status_code == 400
    response = client.post(
        reverse("submissions_admin:detail", args=[submission.pk]),
        {"action": "assign", "assignee": member.pk},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.assigned_to == member
    assert submission.status == SubmissionStatus.IN_PROGRESS


def test_status_and_note_from_the_item_page(client, submission):
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    url = reverse("submissions_admin:detail", args=[submission.pk])
    client.post(url, {"action": "status", "status": "answered"})
    client.post(url, {"action": "note", "text": "Déjà répondu au téléphone"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ANSWERED
    assert submission.answered_at is not None
    note = submission.notes.get()
    assert note.author == member
    assert note.text == "Déjà répondu au téléphone"
    # Closing is never a plain status change: it deletes the content.
    client.post(url, {"action": "status", "status": "closed"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ANSWERED


def test_overdue_items_are_flagged_in_words_and_filtered(client, submission, inquiry_page):
    post_form(client, inquiry_page, inquiry_post_data(inquiry_page, nom="Paul"))
    fresh = Submission.objects.exclude(pk=submission.pk).get()
    Submission.objects.filter(pk=submission.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    submission.refresh_from_db()
    assert submission.is_overdue
    assert not fresh.is_overdue
    signed_in(client, username="comm", role=COMMUNICATIONS)
    html = client.get(reverse("submissions_admin:index")).content.decode()
    assert html.count(">Overdue<") + html.count("Overdue\n") >= 1
    overdue_only = client.get(reverse("submissions_admin:index"), {"overdue": "true"})
    page = overdue_only.content.decode()
    assert reverse("submissions_admin:detail", args=[submission.pk]) in page
    assert reverse("submissions_admin:detail", args=[fresh.pk]) not in page


def test_the_csv_export_has_one_row_per_item_and_is_logged(client, submission, inquiry_page):
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    response = client.get(reverse("submissions_admin:export", args=[inquiry_page.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, *data = rows
    assert {"Nom", "Courriel", "Message", "Santé"} <= set(header)
    assert len(data) == 1
    assert data[0][header.index("Courriel")] == "marie.tremblay@example.org"
    entry = AccessLogEntry.objects.get(action=AccessAction.PERSONAL_DATA_EXPORTED)
    assert entry.actor_id == member.pk
    assert entry.details["count"] == 1
    assert "marie" not in str(entry.details).lower()


def test_the_export_neutralises_spreadsheet_formulas(client, inquiry_page):
    post_form(client, inquiry_page, inquiry_post_data(inquiry_page, message="=HYPERLINK(1)"))
    user = staff_user(username="comm", role=COMMUNICATIONS, language="en", verified=False)
    content, count = submissions_export_csv(page=inquiry_page, user=user)
    assert count == 1
    assert "'=HYPERLINK(1)" in content


def _body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def _subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


@pytest.fixture
def centre(site_home):
    settings_ = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.name = "Centre de santé communautaire de l'Estrie"
    settings_.name_en = "Estrie Community Health Centre"
    settings_.save()
    return settings_


def preview(client, item, body: str):
    """Staff type a reply and look at it as an e-mail: the page, and the sealed send form."""
    response = client.post(
        reverse("submissions_admin:detail", args=[item.pk]),
        {"action": "reply_preview", "body": body},
    )
    return response, response.context.get("reply_form") if response.context else None


def send(client, item, send_form):
    return client.post(
        reverse("submissions_admin:detail", args=[item.pk]),
        {"action": "reply", "body": send_form["body"].value(), "seal": send_form["seal"].value()},
    )


@pytest.mark.parametrize(
    ("page_fixture", "centre_name", "month", "greeting"),
    [
        ("inquiry_page", "Centre de santé communautaire de l'Estrie", "novembre", "Bonjour,"),
        ("inquiry_page_en", "Estrie Community Health Centre", "November 24", "Hello,"),
    ],
    ids=["fr", "en"],
)
def test_a_reply_is_previewed_then_arrives_from_the_centre_with_the_inboxs_reply_to(
    client,
    request,
    smtp_inbox,
    centre,
    settings,
    time_machine,
    page_fixture,
    centre_name,
    month,
    greeting,
):
    """A real SMTP server receives the reply: From the centre's address under its name in
    the visitor's language, Reply-To the inbox's address, in the visitor's language."""
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC))
    settings.DEFAULT_FROM_EMAIL = "CSCE <envoi@csce.example>"
    settings.INBOX_REPLY_TO = {COMMUNICATIONS: "communications@csce.example"}
    page = request.getfixturevalue(page_fixture)
    post_form(client, page, inquiry_post_data(page))
    item = Submission.objects.get()
    smtp_inbox.messages.clear()  # the inbox notification to staff
    member = signed_in(client, username="comm", role=COMMUNICATIONS)
    body = "Nous ouvrons à 9 h le samedi."

    response, send_form = preview(client, item, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert "envoi@csce.example" in html
    assert "communications@csce.example" in html
    assert "marie.tremblay@example.org" in html
    assert greeting in html
    assert centre_name in html
    assert month in html
    # Nothing is sent or kept before "Send".
    assert not smtp_inbox.messages
    assert not item.replies.exists()

    assert send(client, item, send_form).status_code == 302
    [message] = smtp_inbox.wait(1)
    assert message["To"] == "marie.tremblay@example.org"
    assert message["Reply-To"] == "communications@csce.example"
    assert message["From"].addresses[0].addr_spec == "envoi@csce.example"
    assert message["From"].addresses[0].display_name == centre_name
    assert centre_name in _subject(message)
    text = _body(message)
    assert text.startswith(greeting)
    assert body in text
    assert month in text  # the date of the visitor's message, in their language
    item.refresh_from_db()
    assert item.status == SubmissionStatus.ANSWERED
    assert item.answered_at is not None
    reply = item.replies.get()
    assert reply.sent_by == member
    assert reply.body == body


def test_an_inbox_without_its_own_address_gets_the_centres(client, submission, centre):
    centre.email = "info@csce.example"
    centre.save()
    signed_in(client, username="comm", role=COMMUNICATIONS)
    _response, send_form = preview(client, submission, "Merci.")
    send(client, submission, send_form)
    [message] = [m for m in mail.outbox if m.to == ["marie.tremblay@example.org"]]
    assert message.reply_to == ["info@csce.example"]


def test_the_thread_keeps_each_reply_with_its_author_time_and_delivery(
    client, submission, smtp_inbox, settings
):
    member = signed_in(client, username="comm", role=COMMUNICATIONS, first_name="Léa")
    url = reverse("submissions_admin:detail", args=[submission.pk])
    for body in ("Première réponse.", "Deuxième réponse."):
        _response, send_form = preview(client, submission, body)
        send(client, submission, send_form)
    smtp_inbox.wait(2)
    # A third one the server will not take: the thread says so (policy R).
    settings.EMAIL_PORT = 9  # nothing listens there
    settings.OUTBOX_MAX_ATTEMPTS = 1
    _response, send_form = preview(client, submission, "Troisième réponse.")
    send(client, submission, send_form)
    html = client.get(url).content.decode()
    thread = html[html.index('id="item-replies"') :]
    first, second, third = (
        thread.index(f"{n} réponse.") for n in ("Première", "Deuxième", "Troisième")
    )
    assert first < second < third
    assert thread.count(member.get_full_name()) >= 3
    assert thread.count(">Sent</span>") == 2
    assert thread.count(">Not delivered</span>") == 1
    # Encrypted at rest: the database holds no reply in clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM submissions_submissionreply")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "réponse" not in stored


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the reply before looking at it as an e-mail."),
        ("   ", "Write the reply before looking at it as an e-mail."),
        ("Trop long " * 1001, "The reply is too long: at most 10000 characters"),
        ("Bonjour\x00Marie", "Null characters are not allowed."),
    ],
    ids=["empty", "blank", "too-long", "null-byte"],
)
def test_a_bad_reply_is_refused_in_words_and_the_typed_text_kept(client, submission, body, message):
    signed_in(client, username="comm", role=COMMUNICATIONS)
    response, _form = preview(client, submission, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if body.strip() and "\x00" not in body:
        assert body.strip()[:50] in html  # what staff typed is still in the box
    assert not submission.replies.exists()
    assert not [m for m in mail.outbox if m.to == ["marie.tremblay@example.org"]]


def test_a_reply_is_sent_only_as_previewed(client, submission):
    signed_in(client, username="comm", role=COMMUNICATIONS)
    url = reverse("submissions_admin:detail", args=[submission.pk])
    _response, send_form = preview(client, submission, "Texte vu.")
    # Sent without a preview, or with a text other than the one previewed: refused.
    for data in (
        {"action": "reply", "body": "Jamais vu."},
        {"action": "reply", "body": "Texte changé.", "seal": send_form["seal"].value()},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Look at the reply as an e-mail before sending it" in html
        assert data["body"] in html  # kept in the box, to preview again
    assert not submission.replies.exists()


def test_only_the_inbox_can_reply(client, submission):
    signed_in(client, username="ed", role=ED)
    url = reverse("submissions_admin:detail", args=[submission.pk])
    assert client.post(url, {"action": "reply_preview", "body": "Bonjour"}).status_code == 403
    assert client.post(url, {"action": "reply", "body": "Bonjour"}).status_code == 403
    assert not submission.replies.exists()


def test_registrations_show_their_state_and_a_visitors_cancellation(
    client, services, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC))
    page = program_page_create(parent=services["fr"], capacity=1)
    session = page.sessions.order_by("sort_order").first()
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Anne Roy", "Bruno Roy"):
            data = registration_post_data(
                page, session, nom=name, courriel=f"{name.split()[0].lower()}@example.org"
            )
            assert post_form(client, page, data).status_code == 200
    anne, bruno = Submission.objects.order_by("pk")
    signed_in(client, username="prog", role=PROGRAM_STAFF)
    html = client.get(reverse("submissions_admin:index")).content.decode()
    assert "Registration: Place confirmed" in html
    assert "Registration: On the waitlist" in html
    detail = client.get(reverse("submissions_admin:detail", args=[bruno.pk])).content.decode()
    assert "On the waitlist" in detail
    assert "(place 1 in line)" in detail

    # Anne cancels through the link of her confirmation, 20 minutes later.
    link = next(
        line
        for m in mailoutbox
        if m.to == ["anne@example.org"]
        for line in m.body.splitlines()
        if "?cancel=" in line
    )
    time_machine.move_to(datetime.datetime(2026, 11, 24, 15, 20, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        path = "/" + link.split("/", 3)[3]
        assert client.post(path, HTTP_ORIGIN="http://testserver").status_code == 200
    detail = client.get(reverse("submissions_admin:detail", args=[anne.pk])).content.decode()
    assert "Cancelled on November 24, 2026, 10:20 a.m.; the place is no longer held." in words(
        detail
    )
    html = client.get(reverse("submissions_admin:index")).content.decode()
    assert "Registration: Cancelled" in html
    # Bruno had the place next: the list says so.
    assert "Registration: Place confirmed" in html
    assert "Registration: On the waitlist" not in html


def test_replies_are_found_exported_erased_and_purged_with_the_item(submission, inquiry_page):
    """The privacy portal reaches replies through the submissions' registry source: they
    are the person's data (policy P10) and follow the item's retention (policy M)."""
    from csce.submissions.inbox.services import submission_reply_send
    from csce.submissions.models import SubmissionReply
    from csce.submissions.registry import SUBMISSIONS_SOURCE

    member = staff_user(username="comm", role=COMMUNICATIONS)
    submission_reply_send(submission=submission, actor=member, body="Réponse à Marie.")
    email = "marie.tremblay@example.org"
    [found] = SUBMISSIONS_SOURCE.find(email=email)
    assert found.object_id == str(submission.pk)
    [exported] = SUBMISSIONS_SOURCE.export(email=email, actor=member)
    assert [r["message"] for r in exported["replies"]] == ["Réponse à Marie."]
    assert "submissions.SubmissionReply" in SUBMISSIONS_SOURCE.models

    assert SUBMISSIONS_SOURCE.erase(email=email, actor=member) == 1
    assert not SubmissionReply.objects.exists()

    # Retention: a reply goes with its item when the form's retention runs out.
    post_form(Client(), inquiry_page, inquiry_post_data(inquiry_page))
    later = Submission.objects.latest("pk")
    submission_reply_send(submission=later, actor=member, body="Deuxième.")
    SUBMISSIONS_SOURCE.purge_expired(
        now=later.expires_at + datetime.timedelta(seconds=1), batch_size=10
    )
    assert not SubmissionReply.objects.exists()
