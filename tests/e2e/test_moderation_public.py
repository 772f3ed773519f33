"""User conduct's public side in a real browser, in French and in English (policy U):
a visitor reports a concern from any page's footer in two clicks (the link, then the
send button), an article with comments passes axe, and a comment holding a script is
shown as text and never runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import REPO, axe_clean, challenge_solved

# The demo's article with comments open (csce/pages/demo_pages/news_website.fr.md).
ARTICLES = {"fr": "/fr/nouvelles/nouveau-site-web/", "en": "/en/news/new-website/"}
TEXT = {
    "fr": {"link": "Signaler un problème", "send": "Envoyer le signalement",
           "thanks": "Merci de votre signalement", "comments": "Commentaires",
           "harassment": "Harcèlement"},
    "en": {"link": "Report a concern", "send": "Send the report",
           "thanks": "Thank you for your report", "comments": "Comments",
           "harassment": "Harassment"},
}  # fmt: skip
SCRIPT = "<script>window.__x=1</script>"
APPROVED = """
import sys
from csce.accounts.factories import staff_user
from csce.moderation.models import ActionKind, Reason
from csce.moderation.services import comment_moderate, comment_submit
from csce.pages.models import NewsPage
moderator = staff_user()
for language, slug in (("fr", "nouveau-site-web"), ("en", "new-website")):
    page = NewsPage.objects.get(slug=slug, locale__language_code=language)
    comment = comment_submit(page=page, language=language, name="Testeur " + language,
                             text="Bonjour " + sys.argv[1])
    comment_moderate(comment=comment, kind=ActionKind.APPROVE, actor=moderator,
                     reason=Reason.WITHIN_RULES)
"""


def _run(site_server, code: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}", *args],
        cwd=REPO,
        env=site_server["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_concern_is_reported_from_the_footer_in_two_clicks(browser, site_server, language):
    text = TEXT[language]
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = Axe()
    try:
        page.goto(ARTICLES[language])
        page.locator("footer").get_by_role("link", name=text["link"]).click()  # first click
        page.get_by_role("heading", level=1, name=text["link"]).wait_for()
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator('input[name="url"]').input_value() == ARTICLES[language]
        assert page.locator('input[name="subject"][value="page"]').is_checked()
        axe_clean(page, axe)
        page.get_by_label(text["harassment"]).check()
        page.locator('textarea[name="description"]').fill("Un message insultant.")
        page.locator('textarea[name="description"]').focus()
        challenge_solved(page)
        page.get_by_role("button", name=text["send"]).click()  # second click
        page.get_by_role("heading", level=1, name=text["thanks"]).wait_for()
        axe_clean(page, axe)
    finally:
        cookies = context.cookies()
        context.close()
    assert cookies == []


@pytest.fixture(scope="module")
def approved_comments(site_server):
    _run(site_server, APPROVED, SCRIPT)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_article_with_comments_shows_a_script_as_text_and_never_runs_it(
    browser, site_server, approved_comments, language
):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = Axe()
    try:
        page.goto(ARTICLES[language])
        section = page.locator("#comments")
        section.get_by_role("heading", level=2, name=TEXT[language]["comments"]).wait_for()
        comment = section.locator(".comment__text").first
        assert comment.inner_text() == f"Bonjour {SCRIPT}"
        assert page.evaluate("() => window.__x") is None
        assert section.locator(".comment-list script").count() == 0
        assert section.locator('form textarea[name="text"]').count() == 1
        axe_clean(page, axe)
    finally:
        context.close()
