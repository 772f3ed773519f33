"""Form pages and inboxes for the submissions tests, on the few pages ``site_home`` builds."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from csce.submissions.factories import (
    inquiry_page_create,
    inquiry_post_data,
    post_form,
    services_index_create,
    started_token,
)

__all__ = ["inquiry_page_create", "inquiry_post_data", "post_form", "started_token"]


def in_english(page):
    """The English translation of a French page."""
    return page.get_translation(Locale.objects.get(language_code="en")).specific


@pytest.fixture
def inquiry_page(site_home):
    return inquiry_page_create(parent=site_home)


@pytest.fixture
def inquiry_page_en(site_home):
    return inquiry_page_create(parent=in_english(site_home), slug="write-to-us")


@pytest.fixture
def services(site_home) -> dict:
    """The services index, where programs are published, by language."""
    french = services_index_create(home=site_home)
    return {"fr": french, "en": in_english(french)}
