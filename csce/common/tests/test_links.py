"""Every link in an e-mail starts with the one public address (``SITE_URL``), and `make run`
with a PORT and no SITE_URL makes that address, and the Wagtail site record, follow the
port (policy M: a link in a message from the centre leads to the centre's own site)."""

from __future__ import annotations

import os
import re

import pytest
from wagtail.models import Page, Site

from csce.accounts.factories import staff_user
from csce.accounts.roles import COMMUNICATIONS
from csce.common.links import public_url, site_url_for
from csce.common.management.commands.serve import serve_public_address
from csce.pages.factories import page_of_type
from csce.pages.models import ServiceIndexPage
from csce.privacy.factories import portal_page, portal_page_create, portal_post, portal_post_data
from csce.submissions.factories import (
    inquiry_page_create,
    inquiry_post_data,
    post_form,
    program_page_create,
    registration_post_data,
    services_index,
)

pytestmark = pytest.mark.django_db

PUBLIC = "http://127.0.0.1:8765"
URL = re.compile(r"https?://[^\s<>\"')]+")


def _links(messages) -> list[str]:
    links = []
    for message in messages:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                links += URL.findall(part.get_content())
    return links


@pytest.fixture
def public_address(settings, site_home):
    """SITE_URL on another port than the site record's, as after editing either by hand."""
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    assert not site_home.get_site().root_url.startswith(PUBLIC)
    return PUBLIC


def _forms_site(home) -> None:
    """The pages whose forms send e-mail: a services index (for a program) and the
    privacy-rights portal, each in French and English."""
    page_of_type(ServiceIndexPage, home=home)
    portal_page_create(home=home)


def test_every_link_in_the_visitors_and_staffs_e_mails_starts_with_the_public_address(
    public_address, client, smtp_inbox, django_capture_on_commit_callbacks
):
    home = Page.objects.get(depth=2, locale__language_code="fr")
    _forms_site(home)
    inquiry = inquiry_page_create(parent=home, slug="liens")
    staff_user(username="liaison", role=COMMUNICATIONS, verified=False)
    program = program_page_create(parent=services_index("fr"), slug="liens-atelier")
    portal = portal_page("en")
    with django_capture_on_commit_callbacks(execute=True):
        # The inbox's notification to staff, the registration confirmation, the privacy
        # portal's verification link.
        assert post_form(client, inquiry, inquiry_post_data(inquiry)).status_code == 200
        data = registration_post_data(program, program.sessions.first())
        assert post_form(client, program, data).status_code == 200
        assert portal_post(client, portal, portal_post_data(portal)).status_code == 200
    messages = smtp_inbox.wait(3)
    assert len(messages) == 3
    links = _links(messages)
    assert any("/admin/" in link for link in links), links
    assert any(program.url in link for link in links), links
    assert any(portal.url in link for link in links), links
    assert all(link.startswith(public_address + "/") for link in links), links


def test_make_run_with_a_port_and_no_site_url_serves_links_at_that_port(
    site_home, settings, monkeypatch
):
    settings.SITE_URL = settings.SITE_URL  # restored after the test
    monkeypatch.delenv("SITE_URL", raising=False)
    address = serve_public_address(host="127.0.0.1", port=8765)
    assert address == "http://127.0.0.1:8765"
    # The web server, the worker and the scheduler inherit it; this process uses it too.
    assert os.environ["SITE_URL"] == address == settings.SITE_URL
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    home = Page.objects.get(depth=2, locale__language_code="fr")
    assert home.get_full_url().startswith(address + "/")
    assert public_url(home.url) == home.get_full_url()


def test_a_configured_site_url_wins_over_the_port(settings, monkeypatch):
    settings.SITE_URL = settings.SITE_URL
    monkeypatch.setenv("SITE_URL", "https://www.example.org/")
    assert serve_public_address(host="0.0.0.0", port=9000) == "https://www.example.org"  # noqa: S104
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("www.example.org", 443)


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 9001, "http://localhost:9001"),  # noqa: S104
        ("::1", 8080, "http://[::1]:8080"),
        ("localhost", 80, "http://localhost"),
    ],
)
def test_the_derived_address_is_one_a_browser_on_this_machine_opens(host, port, expected):
    assert site_url_for(host=host, port=port) == expected
