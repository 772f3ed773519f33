"""Fixtures shared by the apps' tests."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a new deployment would."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_site(db):
    """The bilingual demo site, as `make run` loads it."""
    from wagtail.models import Site

    from csce.pages.demo import demo_content_load

    demo_content_load(stdout=io.StringIO())
    return Site.objects.get(is_default_site=True)
