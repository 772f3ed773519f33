"""Form pages and inboxes for the submissions tests."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from csce.submissions.factories import (
    inquiry_page_create,
    inquiry_post_data,
    post_form,
    started_token,
)

__all__ = ["inquiry_page_create", "inquiry_post_data", "post_form", "started_token"]


@pytest.fixture
def inquiry_page(demo_site):
    home = demo_site.root_page.specific
    fr_home = (
        home
        if home.locale.language_code == "fr"
        else home.get_translation(Locale.objects.get(language_code="fr"))
    )
    return inquiry_page_create(parent=fr_home)


@pytest.fixture
def inquiry_page_en(demo_site):
    home = demo_site.root_page.specific
    en_home = home.get_translation(Locale.objects.get(language_code="en"))
    return inquiry_page_create(parent=en_home, slug="write-to-us")
