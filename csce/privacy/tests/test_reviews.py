"""The privacy notice's review and the policy's, as the AED is reminded of them and as the
compliance view shows them (policy V, R)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from csce.accounts.factories import staff_user
from csce.accounts.models import PolicyVersion
from csce.accounts.roles import AED
from csce.accounts.selectors import policy_version_current
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry, indicators_read
from csce.common.schedule import job_schedule
from csce.outbox.models import OutboxMessage
from csce.privacy.factories import notice_page
from csce.privacy.notice_versions import notice_review_remind

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_site(notice_site_shared):
    return notice_site_shared


def _set_notice_review(**dates: datetime.date | None) -> None:
    for language, day in dates.items():
        page = notice_page(language)
        type(page).objects.filter(pk=page.pk).update(next_review=day)


def _set_policy_review(day: datetime.date) -> None:
    PolicyVersion.objects.filter(pk=policy_version_current().pk).update(next_review=day)


def _reading(now=None):
    registry = type(indicator_registry)()
    registry.register(indicator_registry.get("reviews_due"))
    with translation.override("en"):
        [(_indicator, reading)] = indicators_read(now=now, registry=registry)
    return reading


def test_the_notice_review_is_reminded_once_per_date_in_the_aeds_language(
    notice_site, time_machine
):
    today = timezone.localdate()
    _set_notice_review(
        fr=today + datetime.timedelta(days=31), en=today + datetime.timedelta(days=200)
    )
    aed = staff_user(role=AED, language="en")
    job = job_schedule.get("remind_notice_review")
    OutboxMessage.objects.all().delete()
    job.run()
    assert mail.outbox == []
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    job.run()
    job.run()  # twice, or on two nodes: once
    [message] = mail.outbox
    assert message.to == [aed.email]
    assert message.subject.startswith("Review due on")
    assert "the privacy notice in French" in message.subject
    assert OutboxMessage.objects.get().language == "en"
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    assert notice_review_remind() == 1
    assert notice_review_remind() == 0
    assert "overdue" in mail.outbox[-1].subject


def test_the_indicator_is_red_amber_then_green(notice_site, time_machine):
    today = timezone.localdate()
    now = timezone.now()
    _set_policy_review(today + datetime.timedelta(days=300))
    _set_notice_review(fr=today + datetime.timedelta(days=200), en=None)
    reading = _reading(now)
    assert reading.level == RED
    assert "no review date" in reading.summary
    assert reading.action_url == reverse("wagtailadmin_pages:edit", args=[notice_page("en").pk])

    _set_notice_review(en=today + datetime.timedelta(days=45))
    assert _reading(now).level == GREEN
    time_machine.move_to(now + datetime.timedelta(days=20))  # the notice: 25 days left
    reading = _reading()
    assert reading.level == AMBER
    assert "the privacy notice in English" in reading.summary
    time_machine.move_to(now + datetime.timedelta(days=46))  # the notice: a day late
    reading = _reading()
    assert reading.level == RED
    assert "overdue since" in reading.summary

    _set_notice_review(en=today + datetime.timedelta(days=400))
    assert _reading().level == GREEN


def test_the_indicator_is_red_when_the_policy_review_is_overdue(notice_site, time_machine):
    today = timezone.localdate()
    _set_notice_review(
        fr=today + datetime.timedelta(days=200), en=today + datetime.timedelta(days=200)
    )
    _set_policy_review(today + datetime.timedelta(days=10))
    reading = _reading()
    assert reading.level == AMBER
    assert reading.action_url == reverse("policy_versions:index")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=11))
    reading = _reading()
    assert reading.level == RED
    assert "the online-property policy" in reading.summary


def test_the_indicator_is_red_without_a_notice_page(db):
    assert _reading().level == RED
