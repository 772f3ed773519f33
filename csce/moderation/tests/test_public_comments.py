"""Comments on news articles through HTTP, in both languages (policy U, X, F, M): nothing
a visitor writes shows before a moderator approves it, and what shows is plain text."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.accounts.factories import staff_user
from csce.common import policy
from csce.common.testing import database_read_only
from csce.moderation.blocks import network_key
from csce.moderation.factories import comment_create
from csce.moderation.models import ActionKind, Comment, Reason
from csce.moderation.services import comment_moderate, sender_block

from .public_support import article_with_comments, comment_data, comment_url, post

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8


@pytest.fixture
def articles(db):
    return article_with_comments()


@pytest.fixture
def moderator(db):
    return staff_user()


def _approve(comment, moderator):
    return comment_moderate(
        comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason=Reason.WITHIN_RULES
    )


@pytest.mark.parametrize(
    ("language", "flag", "notice"),
    [
        ("fr", "?commentaire=envoye#comments", "votre commentaire a bien été reçu"),
        ("en", "?comment=sent#comments", "Thank you: your comment was received"),
    ],
)
def test_a_comment_waits_for_approval_then_shows(
    client, articles, moderator, language, flag, notice
):
    article = articles[language]
    page = client.get(article.get_url()).content.decode()
    assert 'id="comments"' in page
    assert 'name="text"' in page
    assert ("Aucun commentaire pour l’instant." if language == "fr" else "No comments yet.") in page

    response = post(client, comment_url(article, language), comment_data(article))
    assert response.status_code == 303
    assert response["Location"] == article.get_url() + flag
    assert not response.cookies
    comment = Comment.objects.get()
    assert (comment.state, comment.language, comment.page_id) == ("pending", language, article.pk)
    assert comment.network_key

    # Policy U: invisible until approved, even to its author right after sending.
    after = client.get(article.get_url() + flag.split("#")[0]).content.decode()
    assert notice in after
    assert "Rosalie Bouchard" not in after
    plain = client.get(article.get_url()).content.decode()
    assert "Rosalie Bouchard" not in plain
    assert notice not in plain

    _approve(comment, moderator)
    shown = client.get(article.get_url()).content.decode()
    assert "<strong>Rosalie Bouchard</strong>" in shown
    assert "Merci pour ces nouvelles.<br>À bientôt !" in shown
    assert f"?comment={comment.pk}&amp;page=" in shown  # its "report this comment" link


def test_a_rejected_comment_never_shows_and_an_edited_one_says_so(client, articles, moderator):
    article = articles["fr"]
    rejected = comment_create(page=article, name="Pourrielleur", text="Achetez ici")
    comment_moderate(comment=rejected, kind=ActionKind.REJECT, actor=moderator, reason=Reason.SPAM)
    edited = _approve(comment_create(page=article, name="Odile Poirier"), moderator)
    comment_moderate(
        comment=edited,
        kind=ActionKind.EDIT,
        actor=moderator,
        reason=Reason.PERSONAL_INFORMATION,
        text="Texte corrigé.",
    )
    html = client.get(article.get_url()).content.decode()
    assert "Pourrielleur" not in html
    assert "Achetez ici" not in html
    assert "Texte corrigé." in html
    assert "(modifié par un modérateur)" in html
    english = client.get(articles["en"].get_url()).content.decode()
    assert "Odile Poirier" not in english  # the French article's comments stay on it


def test_markup_is_stripped_when_stored_and_escaped_when_shown(client, articles, moderator):
    article = articles["en"]
    data = comment_data(article, text="Hello <b>bold</b> <script>alert(1)</script> a < b & c")
    assert post(client, comment_url(article, "en"), data).status_code == 303
    assert Comment.objects.get().text == "Hello bold  a < b & c"
    # Written through the service (as an import or a moderator's edit could), still text.
    raw = comment_create(page=article, text="<script>window.__x=1</script>", language="en")
    _approve(raw, moderator)
    html = client.get(article.get_url()).content.decode()
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in html
    assert "<script>window.__x=1" not in html


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("fr", "http://a.example https://b.example www.c.example", "au plus 2 adresses Web"),
        ("en", "HTTPS://a.example WWW.b.example http://c.example/x", "at most 2 web addresses"),
        ("en", "", "Write your comment."),
        ("fr", "<script>x</script>", "Écrivez votre commentaire."),
        ("en", "Nul\x00", "Null characters are not allowed."),
        ("fr", "Cloche\x07", "caractères de contrôle invisibles"),
        ("en", "x" * 2001, "Please shorten your comment."),
    ],
)
def test_a_refused_comment_comes_back_with_what_was_typed(
    client, articles, language, text, message
):
    article = articles[language]
    data = comment_data(article, text=text, name="Jacinthe <i>Roy</i>")
    response = post(client, comment_url(article, language), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("\u202f", " ").replace("&#x27;", "'")
    assert f'<html lang="{language}">' in html
    assert 'value="Jacinthe &lt;i&gt;Roy&lt;/i&gt;"' in html
    assert article.title in html
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()
    assert policy.COMMENT_MAX_LINKS == 2


def test_two_links_are_allowed(client, articles):
    article = articles["fr"]
    data = comment_data(article, text="Voir https://a.example et www.b.example")
    assert post(client, comment_url(article, "fr"), data).status_code == 303
    assert Comment.objects.count() == 1


def test_comments_closed_show_no_form_and_refuse_a_post(client):
    articles = article_with_comments(enabled=False)
    for language in ("fr", "en"):
        article = articles[language]
        html = client.get(article.get_url()).content.decode()
        assert 'id="comments"' not in html
        assert 'name="text"' not in html
        response = post(client, comment_url(article, language), comment_data(article))
        assert response.status_code == 404
        closed = response.content.decode()
        assert ("Les commentaires sont fermés" if language == "fr" else "Comments are closed") in (
            closed
        )
    for missing in ("999999", "9" * 40):
        response = post(client, f"/fr/commentaires/{missing}/", comment_data(articles["fr"]))
        assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_blocked_sender_cannot_comment(client, articles, moderator, rf):
    article = articles["fr"]
    earlier = comment_create(
        page=article, network=network_key(rf.get("/", REMOTE_ADDR="203.0.113.5"))
    )
    sender_block(actor=moderator, days=30, reason=Reason.HARASSMENT, comment=earlier)
    response = post(
        client, comment_url(article, "fr"), comment_data(article), REMOTE_ADDR="203.0.113.200"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Nous ne pouvons pas accepter de message" in html
    assert "Merci pour ces nouvelles." in html
    assert Comment.objects.count() == 1


def test_too_many_comments_from_one_address_are_refused(client, articles, settings):
    settings.FORM_RATE_LIMIT = 1
    article = articles["en"]
    url = comment_url(article, "en")
    first = post(client, url, comment_data(article), REMOTE_ADDR="192.0.2.8")
    second = post(client, url, comment_data(article), REMOTE_ADDR="192.0.2.8")
    assert (first.status_code, second.status_code) == (303, 429)
    assert Comment.objects.count() == 1


def test_an_unwritable_database_keeps_the_comment_typed(client, articles):
    article = articles["fr"]
    with database_read_only():
        response = post(client, comment_url(article, "fr"), comment_data(article))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Vos réponses n’ont pas pu être enregistrées" in html
    assert "Merci pour ces nouvelles." in html
    assert not Comment.objects.exists()


def test_the_cached_article_shows_a_comment_once_approved(client, articles, moderator, settings):
    settings.PAGE_CACHE_SECONDS = 300
    article = articles["fr"]
    comment = comment_create(page=article, name="Aurèle Cyr")
    first = client.get(article.get_url())
    assert not first.cookies
    assert "Aurèle Cyr" not in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_url())
    assert len(queries) <= 2, "served from the page cache"
    _approve(comment, moderator)
    assert "Aurèle Cyr" in client.get(article.get_url()).content.decode()
    # The flagged address is never cached.
    flagged = client.get(article.get_url() + "?commentaire=envoye").content.decode()
    assert "votre commentaire a bien été reçu" in flagged
    assert "votre commentaire a bien été reçu" not in client.get(article.get_url()).content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_article_with_comments_stays_within_the_query_budget(
    client, articles, moderator, language
):
    article = articles[language]
    for name in ("Agathe", "Benoît"):
        _approve(comment_create(page=article, name=name, language=language), moderator)
    client.get(article.get_url())  # the first visit fills the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_url())
    html = response.content.decode()
    assert "<strong>Agathe</strong>" in html
    assert "<strong>Benoît</strong>" in html
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
    assert not response.cookies


def test_the_rules_are_linked_beside_the_form_in_each_language(client, articles):
    from csce.pages.factories import page_add
    from csce.pages.models import StandardPage

    home = articles["fr"].get_parent().get_parent()
    page_add(
        StandardPage,
        parent=home,
        title="Utilisation acceptable",
        slug="utilisation-acceptable",
        translations={"en": {"title": "Acceptable use", "slug": "acceptable-use"}},
    )
    for language, href in (("fr", "/fr/utilisation-acceptable/"), ("en", "/en/acceptable-use/")):
        html = client.get(articles[language].get_url()).content.decode()
        form = html.split('class="public-form comment-form"')[1]
        assert re.search(rf'<a href="{href}">[^<]+</a>', form.split("</p>")[0])
