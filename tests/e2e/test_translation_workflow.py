"""A content creator translates a page in the French admin and submits it for approval;
the AED approves it from the dashboard and the English page is live under its translated
slug (policy C, P2). The new screens pass axe in both languages, under the strict CSP:
the creator's editor, the AED's approval, the notices of a page in one language only."""

from __future__ import annotations

import re
import secrets
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe

from csce.accounts.roles import AED, CONTENT

from .helpers import axe_clean, axe_violations, manage_shell

PAGE_CREATE = """
from wagtail.models import Locale
from csce.pages.models import HomePage, StandardPage
home = HomePage.objects.get(locale__language_code="fr")
page = home.add_child(instance=StandardPage(
    title=title, slug=slug, locale=home.locale,
    body=[{"type": "paragraph", "value": "<p>Des ateliers pour tous.</p>"}],
))
page.save_revision().publish()
"""

ENGLISH_ONLY_CREATE = """
from csce.pages.models import HomePage, StandardPage
home = HomePage.objects.get(locale__language_code="en")
home.add_child(instance=StandardPage(title=title, slug=slug, locale=home.locale)).save_revision(
).publish()
"""

SECTION_HEADING = {
    "fr": "Texte en français, traduction en anglais",
    "en": "French to English translation",
}

FOOTER = {
    "fr": {
        "submit": "Soumettre la traduction pour approbation",
        "draft": "Enregistrer le brouillon",
    },
    "en": {"submit": "Submit the translation for approval", "draft": "Save draft"},
}


def _page_make(site_server) -> tuple[str, str]:
    """A live French page with no English yet: (title, slug)."""
    tag = secrets.token_hex(3)
    title, slug = f"Ateliers d’été {tag}", f"ateliers-ete-{tag}"
    manage_shell(site_server, f"title, slug = {title!r}, {slug!r}\n{PAGE_CREATE}")
    return title, slug


def _page_id(site_server, slug: str) -> int:
    with urllib.request.urlopen(f"{site_server['url']}/fr/{slug}/") as response:
        assert response.status == 200
    out = site_server["data_dir"] / f"{slug}.id"
    manage_shell(
        site_server,
        "from wagtail.models import Page\n"
        f"open({str(out)!r}, 'w').write(str(Page.objects.get(slug={slug!r}).pk))",
    )
    return int(out.read_text())


def _translate(page, page_id: int) -> None:
    """Traduire cette page: into English, to the translation editor."""
    page.goto(f"/admin/localize/submit/page/{page_id}/")
    page.locator("input[name=locales]").first.check()
    page.locator("form input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.wait_for_selector(".js-translation-editor .segment, .js-translation-editor li")


def _type_title(page, text: str) -> None:
    page.get_by_role("button", name=re.compile(r"^(Traduire|Translate)$")).first.click()
    box = page.locator(".js-translation-editor textarea").first
    box.fill(text)
    with page.expect_response(lambda r: "/strings/" in r.url and r.request.method == "PUT"):
        box.press("Enter")


def test_a_creator_translates_and_the_aed_approves(site_server, staff_context):
    _title, slug = _page_make(site_server)
    page_id = _page_id(site_server, slug)
    english_title = f"Summer workshops {slug[-6:]}"

    creator = staff_context(role=CONTENT, language="fr", locale="fr-CA")
    page = creator.new_page()
    page.set_default_timeout(30_000)
    _translate(page, page_id)
    editor_url = page.url
    footer = page.locator(".csce-translation-actions")
    # The main action is to submit, not to delete; the editor's own footer is hidden.
    assert footer.get_by_role("button").first.inner_text().strip() == FOOTER["fr"]["submit"]
    assert page.get_by_role("link", name="Supprimer").count() == 0
    _type_title(page, english_title)
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)

    footer.get_by_role("button", name=FOOTER["fr"]["draft"]).click()
    page.wait_for_url(editor_url)
    assert "Brouillon de" in page.locator(".messages").inner_text()
    assert axe_violations(page) == []

    page.locator(".csce-translation-actions").get_by_role(
        "button", name=FOOTER["fr"]["submit"]
    ).click()
    page.wait_for_url(editor_url)
    message = page.locator(".messages").inner_text()
    assert "soumise pour approbation" in message
    assert "Approbation de la direction adjointe" in message
    assert "Moderators approval" not in page.content()
    creator.close()

    # Until approved, the French page says it exists only in French.
    public = page.context.browser.new_context(base_url=site_server["url"], locale="fr-CA")
    french = public.new_page()
    french.goto(f"/fr/{slug}/")
    notice = french.locator(".language-switcher__missing")
    assert "This page is only available in French." in notice.inner_text()
    assert notice.get_by_role("link").get_attribute("href") == "/en/"
    axe_clean(french, Axe())
    # A page only in English says so in French, on the English page itself.
    only = f"newcomers-{slug[-6:]}"
    manage_shell(site_server, f"title, slug = 'Newcomers', {only!r}\n{ENGLISH_ONLY_CREATE}")
    french.goto(f"/en/{only}/")
    notice = french.locator(".language-switcher__missing")
    assert "Cette page n’existe qu’en anglais." in notice.inner_text()
    assert notice.get_attribute("lang") == "fr"
    axe_clean(french, Axe())

    aed = staff_context(role=AED, language="fr", locale="fr-CA")
    page = aed.new_page()
    page.set_default_timeout(30_000)
    page.goto("/admin/")
    row = page.locator("tr", has_text=english_title)
    assert row.count() >= 1, "the English page awaits the AED's review"
    assert "Approbation de la direction adjointe" in page.content()
    row.first.get_by_role("button", name="Actions").click()
    with page.expect_navigation():
        row.first.get_by_role("button", name="Approuver", exact=True).click()
    assert axe_violations(page) == []
    aed.close()

    french.goto(f"/en/summer-workshops-{slug[-6:]}/")
    assert french.locator("h1").inner_text().strip() == english_title
    assert french.locator(".language-switcher__missing").count() == 0
    public.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_creators_translation_screen_passes_axe(site_server, staff_context, language):
    _title, slug = _page_make(site_server)
    page_id = _page_id(site_server, slug)
    context = staff_context(role=CONTENT, language=language, locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    _translate(page, page_id)
    footer = page.locator(".csce-translation-actions")
    assert footer.get_by_role("button", name=FOOTER[language]["submit"]).is_visible()
    assert footer.get_by_role("button", name=FOOTER[language]["draft"]).is_visible()
    # The editor's section heading in the admin's language, the languages named in it.
    heading = page.locator(".js-translation-editor section h3").first
    assert heading.inner_text().strip() == SECTION_HEADING[language]
    if language == "fr":
        assert not re.search(r"\bEnglish\b", page.locator("main").inner_text())
    assert axe_violations(page) == []
    footer.get_by_role("button", name=FOOTER[language]["draft"]).click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    if language == "en":
        # The AED's approval screen in English: the dashboard with the page to approve.
        footer = page.locator(".csce-translation-actions")
        footer.get_by_role("button", name=FOOTER["en"]["submit"]).click()
        page.wait_for_selector(".messages")
        context.close()
        context = staff_context(role=AED, language="en", locale="en-CA")
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto("/admin/")
        row = page.locator("tr", has_text=slug[-6:])
        assert row.count() >= 1, "the English page awaits the AED's review"
        assert "Assistant Executive Director approval" in page.content()
        assert axe_violations(page) == []
        row.first.get_by_role("button", name="Actions").click()
        with page.expect_navigation():
            row.first.get_by_role("button", name="Approve", exact=True).click()
        assert axe_violations(page) == []
    context.close()
