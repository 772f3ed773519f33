"""Values that guard access or abuse stay true when the cache forgets (policy M)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from csce.common.guards import (
    generation_bump,
    generation_read,
    generations_per_request,
    guards_purge_expired,
    rate_counter_hit,
    used_challenge_record,
)
from csce.common.models import RateCounter, UsedChallenge
from csce.common.spam import rate_limit_hit

pytestmark = pytest.mark.django_db


def test_a_generation_only_goes_up_even_when_the_cache_is_cleared():
    start = generation_read(name="essai")
    generation_bump(name="essai")
    generation_bump(name="essai")
    cache.clear()
    assert generation_read(name="essai") == start + 2


def test_a_generation_is_read_once_per_request_and_again_after_a_change(
    django_assert_num_queries,
):
    with generations_per_request():
        with django_assert_num_queries(1):
            first = generation_read(name="essai")
            generation_read(name="autre")
        generation_bump(name="essai")
        assert generation_read(name="essai") == first + 1


def test_a_window_that_ended_starts_again_and_its_row_goes():
    assert rate_counter_hit(key="a", window_seconds=60) == 1
    assert rate_counter_hit(key="a", window_seconds=60) == 2
    RateCounter.objects.filter(key="a").update(expires_at=timezone.now())
    assert rate_counter_hit(key="b", window_seconds=60) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["b"]
    assert rate_counter_hit(key="a", window_seconds=60) == 1


def test_the_retention_job_deletes_ended_windows_and_expired_challenges():
    past = timezone.now() - datetime.timedelta(seconds=1)
    RateCounter.objects.create(key="old", count=3, expires_at=past)
    UsedChallenge.objects.create(key="old", expires_at=past)
    assert used_challenge_record(key="new", expires_at=timezone.now() + datetime.timedelta(1))
    assert guards_purge_expired(now=timezone.now()) >= 1
    assert not RateCounter.objects.filter(key="old").exists()
    assert list(UsedChallenge.objects.values_list("key", flat=True)) == ["new"]


def test_the_address_itself_is_never_stored(settings):
    settings.FORM_RATE_LIMIT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    assert not rate_limit_hit(request)
    assert rate_limit_hit(request)
    (key,) = RateCounter.objects.values_list("key", flat=True)
    assert "203.0.113" not in key
