"""Refusing to publish a page whose image has no credit, in Chromium (policy C, P2).

The AED, in French, opens a draft that places an image nobody credited and publishes it:
the editor comes back with the refusal naming the image and linking to it; that page
passes axe. The AED follows the link, fills in the credit and the licence, publishes
again and the page goes live. The media rights report passes axe in French and English.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED

from .helpers import axe_violations, csp_violations_listen, manage_shell

DRAFT_CREATE = """
from wagtail.models import Page
from csce.media.factories import image_add, image_block
from csce.pages.models import StandardPage

home = Page.objects.get(depth=2, locale__language_code="fr")
image = image_add(title="Photo " + token, credited=False)
page = home.add_child(instance=StandardPage(
    title="Nos locaux " + token, slug="nos-locaux-" + token, live=False,
    body=[image_block(image, alt_text="La salle d'attente")],
))
page.save_revision()
print("ITEMS", page.pk, image.pk)
"""


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def _publish(page) -> None:
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()


def test_the_aed_is_refused_then_publishes_once_the_image_is_credited(site_server, staff_context):
    token = secrets.token_hex(4)
    printed = manage_shell(site_server, f"token = {token!r}\n" + DRAFT_CREATE)
    page_id, image_id = re.search(r"ITEMS (\d+) (\d+)", printed).groups()
    edit_url = f"/admin/pages/{page_id}/edit/"
    image_url = f"/admin/images/{image_id}/"

    csp: list[str] = []
    context = staff_context(role=AED, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto(edit_url)
        _publish(page)
        assert edit_url in page.url
        messages = page.locator(".messages").inner_text()
        assert "ne peut pas être publiée tant que ces médias" in messages
        assert f"Photo {token}" in messages
        _axe_clean(page, "refusal (fr)")

        page.locator(f".messages a[href='{image_url}']").click()
        page.wait_for_url(f"**{image_url}")
        page.get_by_label("Crédit").fill("Photo : CSCE")
        page.get_by_label("Licence", exact=True).select_option("own")
        with page.expect_navigation():
            page.locator(
                "main form[enctype='multipart/form-data'] button[type=submit]"
            ).first.click()
        # Saved: Wagtail leads back to the library (an error would keep the form).
        assert image_url not in page.url, page.locator("main").inner_text()

        page.goto(edit_url)
        _publish(page)
        assert "ne peut pas être publiée" not in page.locator(".messages").inner_text()
        live = manage_shell(
            site_server,
            f"from wagtail.models import Page\nprint('LIVE', Page.objects.get(pk={page_id}).live)",
        )
        assert "LIVE True" in live
        assert csp == []
    finally:
        context.close()


def test_the_media_rights_report_passes_axe_in_both_languages(site_server, staff_context):
    for language, locale, heading in (
        ("fr", "fr-CA", "Droits des médias"),
        ("en", "en-CA", "Media rights"),
    ):
        context = staff_context(role=AED, language=language, locale=locale)
        page = context.new_page()
        try:
            page.goto("/admin/reports/media-rights/")
            assert heading in page.locator("h1").inner_text()
            _axe_clean(page, f"report ({language})")
        finally:
            context.close()
