"""The AED's "unpublish with a reason" in Chromium, in French and in English (policy X, C).

Two published pages of the demo belong to a content creator. The AED, in French, finds
« Dépublier avec un motif » among the page's actions, submits without a reason (refused,
said next to the field), then with one: the page leaves the site and the reason is in
its history. The same in English on the other page. Every screen passes axe, and the
admin's strict CSP holds.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED

from .helpers import axe_violations, csp_violations_listen, manage_shell

PAGES_CREATE = """
from django.contrib.auth import get_user_model
from wagtail.models import Page
from csce.pages.factories import page_add
from csce.pages.models import HomePage, StandardPage

owner = get_user_model().objects.create_user(
    username="proprietaire-" + token, email="proprietaire-" + token + "@example.org"
)
ids = []
for language in ("fr", "en"):
    home = HomePage.objects.get(locale__language_code=language)
    page = page_add(StandardPage, parent=home, title="Page " + language + " " + token)
    Page.objects.filter(pk=page.pk).update(owner=owner)
    ids.append(page.pk)
print("PAGES", *ids)
"""

WORDS = {
    "fr": {
        "action": "Dépublier avec un motif",
        "button": "Dépublier",
        "required": "Donnez le motif",
        "history": "Historique",
    },
    "en": {
        "action": "Unpublish with a reason",
        "button": "Unpublish",
        "required": "Give the reason",
        "history": "History",
    },
}


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def _unpublish_with_a_reason(page, page_id: str, language: str, token: str) -> None:
    words = WORDS[language]
    url = f"/admin/pages-review/{page_id}/unpublish/"
    page.goto(f"/admin/pages/{page_id}/edit/")
    assert page.locator("html").get_attribute("lang") == language
    # The action is among the page's own actions in the editor's header (a dropdown whose
    # items the script mounts when it opens): in the page as served.
    served = page.request.get(f"/admin/pages/{page_id}/edit/").text()
    assert f'href="{url}' in served
    assert words["action"] in served
    page.goto(url)
    _axe_clean(page, f"unpublish form ({language})")

    # Without a reason: refused, said next to the field, and the page stays live.
    with page.expect_navigation():
        page.get_by_role("button", name=words["button"], exact=True).click()
    reason = page.locator("textarea[name=csce_override_reason]")
    assert reason.get_attribute("aria-invalid") == "true"
    assert words["required"] in page.locator("main").inner_text()
    _axe_clean(page, f"unpublish form, refused ({language})")

    reason.focus()
    page.keyboard.type(f"Offre terminée {token}")
    with page.expect_navigation():
        page.get_by_role("button", name=words["button"], exact=True).click()
    page.goto(f"/admin/pages/{page_id}/history/")
    assert f"Offre terminée {token}" in page.locator("main").inner_text()
    _axe_clean(page, f"history ({language})")
    page.goto("/admin/pages-review/")
    _axe_clean(page, f"pages due for review ({language})")


def test_the_aed_unpublishes_with_a_reason_in_each_language(site_server, staff_context):
    token = secrets.token_hex(4)
    printed = manage_shell(site_server, f"token = {token!r}\n" + PAGES_CREATE)
    french_id, english_id = re.search(r"PAGES (\d+) (\d+)", printed).groups()

    csp: list[str] = []
    for language, locale, page_id in (("fr", "fr-CA", french_id), ("en", "en-CA", english_id)):
        context = staff_context(role=AED, language=language, locale=locale)
        page = context.new_page()
        csp_violations_listen(page, csp)
        try:
            _unpublish_with_a_reason(page, page_id, language, token)
        finally:
            context.close()
    assert csp == [], csp
    ids = f"[{french_id}, {english_id}]"
    live = manage_shell(
        site_server,
        "from wagtail.models import Page\n"
        f"print('LIVE', Page.objects.filter(pk__in={ids}, live=True).count())",
    )
    assert "LIVE 0" in live
