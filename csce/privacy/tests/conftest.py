"""What the privacy tests share: the pages they work on, built on a fresh site with
``csce.privacy.factories``, and a visitor's message through the contact form."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from wagtail.models import Locale, Page

from csce.common.testing import kept_for_module
from csce.submissions.factories import form_data_filled

EMAIL = "marie.tremblay@example.org"
NAME = "Marie Tremblay"
MESSAGE = "Pouvez-vous me rappeler au sujet de mon rendez-vous Zorblax-77 ?"


def contact_page(language: str) -> Page:
    """The contact form in ``language`` (the inquiry form with topics)."""
    pages = Page.objects.live().filter(
        locale=Locale.objects.get(language_code=language),
        content_type__app_label="submissions",
        content_type__model="inquirypage",
    )
    return pages.order_by("path").first().specific


def contact_submit(client, *, email: str = EMAIL, language: str = "fr", message: str = MESSAGE):
    """Send the contact form as a visitor would, every required field filled."""
    page = contact_page(language)
    data = form_data_filled(page, email=email, message=message, name=NAME)
    response = client.post(page.url, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200, response.content.decode()[:800]
    return page


@pytest.fixture
def contact_form(site_home):
    """The contact form, in French and English, on a fresh site."""
    from csce.privacy.factories import contact_form_create

    return contact_form_create(home=site_home)


@pytest.fixture
def portal(site_home):
    """The privacy-rights portal, in French and English, on a fresh site."""
    from csce.privacy.factories import portal_page_create

    return portal_page_create(home=site_home)


def notice_site_build() -> SimpleNamespace:
    """A fresh site whose privacy notice has something to say, in French and English: the
    three kinds of form, the processors, the rights portal, then the notice itself with
    its first version (policy P3, F, P10, V)."""
    from csce.pages.factories import site_home
    from csce.privacy.factories import (
        notice_forms_create,
        notice_page_create,
        portal_page_create,
        processors_create,
    )

    home = site_home()
    forms = notice_forms_create(home=home)
    processors = processors_create()
    portal = portal_page_create(home=home)
    notice = notice_page_create(home=home)
    return SimpleNamespace(
        home=home, forms=forms, processors=processors, portal=portal, notice=notice
    )


@pytest.fixture
def notice_site(db) -> SimpleNamespace:
    """``notice_site_build`` for one test."""
    return notice_site_build()


@pytest.fixture(scope="module")
def notice_site_shared(django_db_setup, django_db_blocker) -> SimpleNamespace:
    """``notice_site_build`` once for a module whose every test reads the notice, in a
    transaction rolled back when the module ends: each test runs in its own savepoint
    inside it, so what one test changes the next never sees. Tests read the pages again
    from the database rather than through the objects returned."""
    with kept_for_module(django_db_blocker):
        yield notice_site_build()


@pytest.fixture
def privacy_officer(db):
    from csce.accounts.factories import staff_user
    from csce.accounts.roles import PRIVACY_OFFICER

    return staff_user(
        role=PRIVACY_OFFICER,
        username="agente-vie-privee",
        first_name="Nadia",
        last_name="Roy",
        verified=False,
    )
