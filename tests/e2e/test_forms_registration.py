"""Program registration in a real browser: the one-place session fills up, the next
visitors land on its waitlist, in French and in English, with no axe violation; the
confirmation e-mail (written to the server's mail folder) carries the calendar file."""

from __future__ import annotations

import email
import subprocess
import sys
import time
from email import policy

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from .helpers import AXE_OPTIONS, REPO

PROGRAM_CREATE = """
from csce.pages.models import ServiceIndexPage
from csce.submissions.models import ProgramPage
from csce.submissions.demo import program_demo_create

french = ProgramPage.objects.filter(locale__language_code="fr").first()
if french is None:
    french = program_demo_create(parent=ServiceIndexPage.objects.get(locale__language_code="fr"))
english = french.get_translation(ServiceIndexPage.objects.get(locale__language_code="en").locale)
print("URLS", french.url, english.url)
"""


def _program_urls(site_server) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROGRAM_CREATE],
        cwd=REPO,
        env=site_server["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("URLS "))
    _, french, english = line.split()
    return {"fr": french, "en": english}


def _said(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _register(browser, site_server, *, url: str, language: str, address: str, axe: Axe) -> str:
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(url)
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
        # The one-place session is the second one offered.
        page.locator('input[name="program_session"]').nth(1).check()
        page.locator('.public-form input[type="text"]:not([name="form_website"])').first.fill(
            "Visiteur Test"
        )
        page.locator('.public-form input[type="email"]').fill(address)
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success", timeout=60_000)
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
        return page.locator(".notice--success").inner_text()
    finally:
        context.close()


def test_the_last_place_goes_to_the_first_visitor_and_the_next_ones_wait_in_both_languages(
    browser, site_server
):
    urls = _program_urls(site_server)
    axe = Axe()
    first = _register(
        browser, site_server, url=urls["fr"], language="fr", address="premiere@example.org", axe=axe
    )
    second = _register(
        browser, site_server, url=urls["fr"], language="fr", address="deuxieme@example.org", axe=axe
    )
    third = _register(
        browser, site_server, url=urls["en"], language="en", address="third@example.org", axe=axe
    )
    assert _said("fr", "Your registration is confirmed.") in first
    assert _said("fr", "The session you chose is full: you are on its waitlist.") in second
    assert "The session you chose is full: you are on its waitlist." in third

    # In the embedded default, outgoing e-mail is written to the data folder.
    deadline = time.monotonic() + 20
    confirmation = None
    while confirmation is None and time.monotonic() < deadline:
        for path in sorted((site_server["data_dir"] / "mail").glob("*.log")) + sorted(
            (site_server["data_dir"] / "mail").glob("*.eml")
        ):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(raw.strip(), policy=policy.default)
                if message["To"] == "premiere@example.org":
                    confirmation = message
        time.sleep(0.5)
    assert confirmation is not None
    calendars = [
        part
        for part in confirmation.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(calendars) == 1
    assert "DTSTART:" in calendars[0].get_content()
