"""A news article's social media post in Chromium (policy C, O, P2).

A content creator, in French, opens a news article in the editor, reaches the post's
field with the keyboard and types: the networks counted are the centre's own, from the
demo's online-property registry (policy O), and the widget says so; each network's count
follows, in words, as the server counts it (``csce.pages.social_posts``, same table, same
rules: links, accents, emoji); past Instagram's 2,200 the row says how far over and a
polite live region names the network once the typing pauses; the copy button is reached
and pressed from the keyboard. The field passes axe in French and in English, under the
admin's strict CSP.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from csce.accounts.roles import CONTENT
from csce.pages import social_posts
from csce.properties.demo import PROPERTIES

from .helpers import AXE_OPTIONS, csp_violations_listen, manage_shell

ARTICLE_FIND = """
from csce.pages.models import NewsPage
article = NewsPage.objects.filter(locale__language_code="fr").order_by("path").first()
print("ARTICLE", article.pk)
"""
# The demo registry's accounts on networks the table counts: Facebook and Instagram.
DEMO_KINDS = {kind for kind, *_rest in PROPERTIES}
DEMO_NETWORKS = [n for n in social_posts.SOCIAL_NETWORKS if n.key in DEMO_KINDS]
TEXT = (
    "Cliniques de vaccination 💉👍🏽 à l'automne : https://csce.example/fr/nouvelles/cliniques/ 🇨🇦"
)


def _counts(page) -> dict[str, tuple[int, str]]:
    counts = {}
    for row in page.locator("[data-social-post] tbody tr").all():
        key = row.get_attribute("data-network")
        counts[key] = (
            int(row.locator("[data-length]").inner_text()),
            row.locator("[data-status]").inner_text(),
        )
    return counts


def _editor(site_server, staff_context, language: str):
    printed = manage_shell(site_server, ARTICLE_FIND)
    article = re.search(r"ARTICLE (\d+)", printed).group(1)
    context = staff_context(
        role=CONTENT, language=language, locale="fr-CA" if language == "fr" else "en-CA"
    )
    page = context.new_page()
    csp: list[str] = []
    csp_violations_listen(page, csp)
    page.goto(f"/admin/pages/{article}/edit/")
    return context, page, csp


def test_the_post_is_counted_for_each_network_as_it_is_typed(site_server, staff_context):
    context, page, csp = _editor(site_server, staff_context, "fr")
    try:
        field = page.locator("[data-social-post] textarea")
        field.scroll_into_view_if_needed()
        field.fill("")
        field.focus()
        page.keyboard.type(TEXT)
        counts = _counts(page)
        assert list(counts) == [n.key for n in DEMO_NETWORKS] == ["instagram", "facebook"]
        note = page.locator("[data-social-post-networks]")
        expect(note).to_contain_text("où le centre a un compte")
        for network in DEMO_NETWORKS:
            expected = social_posts.post_length(text=TEXT, network=network)
            assert counts[network.key][0] == expected, network.key
            left = network.limit - expected
            assert counts[network.key][1] == f"{left} caractères restants", network.key

        field.fill("a" * 2199)
        page.keyboard.press("Control+End")
        page.keyboard.type("aa")
        row = page.locator('[data-network="instagram"]')
        expect(row.locator("[data-status]")).to_have_text("1 caractère de trop")
        expect(row).to_have_class(re.compile("social-post__over"))
        status = page.locator("[data-social-post-status]")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(status).to_have_text("Trop longue pour\u00a0: Instagram.")
        page.keyboard.press("Backspace")
        expect(status).to_have_text("La publication respecte la limite de chaque réseau.")

        # From the field, the next stop is the copy button.
        page.keyboard.press("Tab")
        copy = page.locator("[data-social-post-copy]")
        expect(copy).to_be_focused()
        page.keyboard.press("Enter")
        expect(status).to_have_text(re.compile(r"^(Publication copiée\.|La copie a échoué.*)$"))
        assert csp == [], csp
    finally:
        context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_post_field_passes_axe(site_server, staff_context, language):
    context, page, csp = _editor(site_server, staff_context, language)
    try:
        page.locator("[data-social-post] textarea").scroll_into_view_if_needed()
        results = Axe().run(page, context="[data-social-post]", options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
        assert csp == [], csp
    finally:
        context.close()
