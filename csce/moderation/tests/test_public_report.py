"""Report a concern through HTTP, in both languages (policy U, R, F, M; decision 0010):
from any page's footer to the moderators' queue, with every public-form defence."""

from __future__ import annotations

import logging
import re

import pytest
from django.db import connection

from csce.accounts.factories import staff_user
from csce.common.testing import database_read_only
from csce.moderation.blocks import network_key
from csce.moderation.factories import comment_create
from csce.moderation.models import CommentState, ConcernReport, Reason, Subject
from csce.moderation.services import ACK_KIND, sender_block
from csce.outbox.models import OutboxMessage
from csce.pages.factories import site_home

from .public_support import REPORT_PATHS, post, report_data

pytestmark = pytest.mark.django_db

SECRET = "Ce texte décrit un harcèlement précis"
CONTACT = "temoin.discret@example.org"


def _raw(column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM moderation_concernreport")  # noqa: S608
        return " ".join(str(row[0]) for row in cursor.fetchall())


@pytest.fixture
def home(db):
    return site_home()


@pytest.mark.parametrize(
    ("language", "heading", "page"),
    [("fr", "Signaler un problème", "/fr/nouvelles/"), ("en", "Report a concern", "/en/news/")],
)
def test_the_footer_leads_to_the_form_filled_in_with_the_page(
    client, home, language, heading, page
):
    html = client.get(f"/{language}/").content.decode()
    link = f'href="{REPORT_PATHS[language]}?page=/{language}/"'
    assert link in html, "the footer's link, with the page it is on"
    assert f">{heading}</a>" in html

    response = client.get(REPORT_PATHS[language], {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f'value="{page}"' in html
    assert re.search(r'value="page"[^>]*checked', html)
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    # The report page does not link to itself.
    assert "?page=/" not in html.split("site-footer__legal")[1]


@pytest.mark.parametrize(
    "foreign", ["https://evil.example/fr/", "//evil.example/x", "javascript:alert(1)", "/a\\b"]
)
def test_a_foreign_address_is_never_filled_in(client, home, foreign):
    html = client.get(REPORT_PATHS["fr"], {"page": foreign}).content.decode()
    field = re.search(r'<input type="text" name="url"[^>]*>', html).group(0)
    assert "value=" not in field
    assert not re.search(r'value="page"[^>]*checked', html)


def test_a_report_with_a_contact_is_stored_encrypted_and_acknowledged_in_french(
    client, home, caplog
):
    caplog.set_level(logging.DEBUG)
    response = post(client, REPORT_PATHS["fr"], report_data(description=SECRET, contact=CONTACT))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merci de votre signalement" in html
    assert "dans un délai de 1 jour ouvrable" in html
    assert "accusé de réception" in html
    assert SECRET not in html
    assert CONTACT not in html
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]

    report = ConcernReport.objects.get()
    assert (report.subject, report.category, report.language) == ("page", "harassment", "fr")
    assert report.description == SECRET
    assert report.url == "/fr/nouvelles/"
    assert report.network_key
    assert report.due_at
    # Encrypted at rest (policy F): the table holds neither the text nor the address.
    assert SECRET not in _raw("description")
    assert CONTACT not in _raw("contact")
    acks = OutboxMessage.objects.filter(kind=ACK_KIND)
    assert [a.language for a in acks] == ["fr"]
    # Nothing of what was written reaches the log.
    assert SECRET not in caplog.text
    assert CONTACT not in caplog.text


def test_an_english_report_without_a_contact_gets_no_acknowledgement(client, home):
    response = post(
        client,
        REPORT_PATHS["en"],
        report_data(
            subject="social",
            url="https://social.example/centre/posts/12",
            category="spam",
            description="Spam under our post.",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you for your report" in html
    assert "within 1 business day" in html
    assert "acknowledgement" not in html
    report = ConcernReport.objects.get()
    assert (report.subject, report.language) == (Subject.SOCIAL, "en")
    assert report.url == "https://social.example/centre/posts/12"
    assert not OutboxMessage.objects.filter(kind=ACK_KIND).exists()


@pytest.mark.parametrize(
    ("language", "overrides", "message"),
    [
        ("fr", {"description": ""}, "Décrivez le problème en quelques mots."),
        ("en", {"description": "  \n "}, "Describe the problem in a few words."),
        ("en", {"subject": "social", "url": "http://social.example/x"}, "beginning with https://"),
        ("fr", {"subject": "page", "url": "https://evil.example/"}, "par exemple /fr/nouvelles/"),
        ("en", {"category": "nonsense"}, "Choose the kind of problem."),
        ("fr", {"contact": "pas-une-adresse"}, "nom@exemple.com"),
        ("en", {"description": "Null\x00byte"}, "Null characters are not allowed."),
        ("fr", {"description": "Bell\x07 here"}, "caractères de contrôle invisibles"),
        ("en", {"description": "x" * 4001}, "Please shorten your description."),
    ],
)
def test_a_refused_report_comes_back_with_what_was_typed_and_why(
    client, home, language, overrides, message
):
    data = report_data(**{"description": "Mon texte <b>tapé</b> ici", **overrides})
    response = post(client, REPORT_PATHS[language], data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'class="error-summary"' in html
    if "description" not in overrides:
        assert "Mon texte &lt;b&gt;tapé&lt;/b&gt; ici" in html
    assert not ConcernReport.objects.exists()


def test_unicode_is_kept_normalised_and_disguising_characters_go(client, home):
    text = "Cafe\u0301 \u202eevil\u202c \U0001f469\u200d\U0001f4bb « ok » עברית"
    response = post(client, REPORT_PATHS["fr"], report_data(description=text))
    assert response.status_code == 200
    assert ConcernReport.objects.get().description == (
        "Café evil \U0001f469\u200d\U0001f4bb « ok » עברית"
    )


def test_a_huge_body_is_refused_cleanly(client, home):
    data = report_data(description="é" * 200_000, url="/" + "a" * 5000)
    response = post(client, REPORT_PATHS["en"], data)
    assert response.status_code in (400, 413)
    assert not ConcernReport.objects.exists()


def test_a_blocked_sender_is_told_plainly_and_nothing_is_kept(client, home, rf):
    article = home  # a comment needs a page; which one does not matter here
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    comment = comment_create(page=article, network=network_key(request))
    sender_block(actor=staff_user(), days=7, reason=Reason.SPAM, comment=comment)
    data = report_data(description=SECRET)
    for language, message in (
        ("fr", "Nous ne pouvons pas accepter de message"),
        ("en", "We cannot accept messages from your connection"),
    ):
        response = post(client, REPORT_PATHS[language], data, REMOTE_ADDR="203.0.113.77")
        assert response.status_code == 403
        html = response.content.decode()
        assert message in html
        assert SECRET in html  # what was typed is kept
        assert "7" not in html.split("notice")[1][:300]  # not until when
    assert not ConcernReport.objects.exists()


def test_too_many_reports_from_one_address_are_refused(client, home, settings):
    settings.FORM_RATE_LIMIT = 2
    answers = [
        post(client, REPORT_PATHS["fr"], report_data(), REMOTE_ADDR="192.0.2.44") for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Plusieurs formulaires" in answers[2].content.decode() or (
        "formulaires" in answers[2].content.decode()
    )
    assert ConcernReport.objects.count() == 2


def test_a_post_from_another_site_or_too_fast_is_refused(client, home):
    other = post(client, REPORT_PATHS["en"], report_data(), HTTP_ORIGIN="https://evil.example")
    assert other.status_code == 403
    fast = post(client, REPORT_PATHS["en"], report_data(form_started=""))
    assert fast.status_code == 400
    robot = post(client, REPORT_PATHS["en"], report_data(form_website="http://spam.example"))
    assert robot.status_code == 200
    assert "Thank you for your report" in robot.content.decode()
    assert not ConcernReport.objects.exists()


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("fr", "Vos réponses n’ont pas pu être enregistrées"),
        ("en", "Your answers could not be saved just now"),
    ],
)
def test_an_unwritable_database_keeps_what_was_typed_and_answers_503(
    client, home, language, notice
):
    with database_read_only():
        response = post(client, REPORT_PATHS[language], report_data(description=SECRET))
    assert response.status_code == 503
    html = response.content.decode()
    assert notice in html
    assert SECRET in html
    assert "no-store" in response["Cache-Control"]
    assert not ConcernReport.objects.exists()


def test_a_comment_is_reported_from_its_link_only_when_approved(client, home):
    shown = comment_create(page=home, state=CommentState.APPROVED, name="Gisèle Aubin")
    waiting = comment_create(page=home)
    html = client.get(REPORT_PATHS["fr"], {"comment": shown.pk, "page": "/fr/"}).content.decode()
    assert "Vous signalez le commentaire de Gisèle Aubin" in html
    assert f'name="comment" value="{shown.pk}"' in html
    assert re.search(r'value="comment"[^>]*checked', html)
    for value in (waiting.pk, "abc", "-4", "9" * 40):
        other = client.get(REPORT_PATHS["fr"], {"comment": value}).content.decode()
        assert 'name="comment" value=' not in other
        assert "Vous signalez" not in other

    data = report_data(subject="comment", url="/fr/", comment=shown.pk, category="defamation")
    assert post(client, REPORT_PATHS["fr"], data).status_code == 200
    # A pending comment's id is ignored: the report keeps the page's address only.
    data = report_data(subject="comment", url="/fr/", comment=waiting.pk)
    assert post(client, REPORT_PATHS["fr"], data).status_code == 200
    reports = list(ConcernReport.objects.order_by("pk"))
    assert [r.comment_id for r in reports] == [shown.pk, None]
    assert [r.url for r in reports] == ["/fr/", "/fr/"]
