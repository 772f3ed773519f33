"""The weekly digest (policy R) with the real database and the real outbox: once per ISO
week whatever the restarts, caught up after a missed Monday, in each AED's language with
absolute links, nothing sent (but recorded) when every indicator holds."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction

from csce.accounts.factories import staff_user
from csce.common.compliance import AMBER, GREEN, RED, Indicator, IndicatorRegistry, Reading
from csce.common.crypto import blind_index
from csce.common.roles import AED, ED
from csce.common.schedule import job_schedule
from csce.compliance.models import ComplianceDigest
from csce.compliance.services import (
    DIGEST_MAIL_KIND,
    compliance_digest_send,
    iso_week,
)
from csce.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
MONDAY = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=TORONTO)  # ISO week 2026-W50


class Levels:
    """Indicators whose level a test sets."""

    def __init__(self):
        self.level = {"alpha": RED, "beta": AMBER, "gamma": GREEN}
        self.registry = IndicatorRegistry()
        for order, key in enumerate(self.level):
            self.registry.register(
                Indicator(
                    key=key,
                    label=f"Indicateur {key}",
                    clauses=("R",),
                    read=self.reader(key),
                    order=order,
                )
            )

    def reader(self, key):
        def read(*, now):
            from django.utils.translation import get_language

            return Reading(
                self.level[key],
                f"{key}: 3 éléments ({get_language()})",
                "/admin/inboxes/",
                f"Agir {key}",
            )

        return read


@pytest.fixture
def levels():
    return Levels()


def _digests():
    return OutboxMessage.objects.filter(kind=DIGEST_MAIL_KIND)


def test_the_aeds_each_get_the_non_green_indicators_in_their_language(levels):
    french = staff_user(role=AED, language="fr", email="adjointe@csce.example")
    english = staff_user(role=AED, language="en", email="deputy@csce.example")
    staff_user(role=ED, email="direction@csce.example")  # not the AED: not sent
    staff_user(role=AED, email="ancienne@csce.example", is_active=False)
    with time_machine.travel(MONDAY, tick=False):
        digest = compliance_digest_send(registry=levels.registry)
    assert digest.week == "2026-W50"
    assert digest.recipients == 2
    assert digest.not_holding == 2
    assert digest.indicator_keys == ["alpha", "beta"]
    rows = _digests()
    assert rows.count() == 2
    for user, language, words in (
        (french, "fr", ("Ne tient pas", "Semaine", "Conformité")),
        (english, "en", ("Does not hold", "week", "Compliance")),
    ):
        (row,) = rows.filter(recipient_index=blind_index(user.email))
        assert row.language == language
        assert row.reference == "2026-W50"
        (message,) = [m for m in mail.outbox if m.to == [user.email]]
        subject, body = message.subject, message.body
        assert words[2] in subject
        assert "2026-W50" in subject
        assert words[0] in body.replace("NE TIENT PAS", "Ne tient pas").replace(
            "DOES NOT HOLD", "Does not hold"
        )
        # Red before amber, the green one left out; the summaries read in that language.
        assert body.index("alpha") < body.index("beta")
        assert "gamma" not in body
        assert f"({language})" in body
        assert f"{settings.SITE_URL}/admin/inboxes/" in body
        assert f"{settings.SITE_URL}/admin/compliance/" in body


def test_once_a_week_across_runs_and_again_the_next_week(levels):
    staff_user(role=AED)
    with time_machine.travel(MONDAY, tick=False):
        assert compliance_digest_send(registry=levels.registry) is not None
        assert compliance_digest_send(registry=levels.registry) is None
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        assert compliance_digest_send(registry=levels.registry) is None
    assert _digests().count() == 1
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        assert compliance_digest_send(registry=levels.registry).week == "2026-W51"
    assert _digests().count() == 2


def test_a_missed_monday_is_caught_up_on_the_first_run_of_the_week(levels):
    staff_user(role=AED)
    wednesday = MONDAY + datetime.timedelta(days=2)
    with time_machine.travel(wednesday, tick=False):
        digest = compliance_digest_send(registry=levels.registry)
    assert digest.week == "2026-W50"
    assert _digests().count() == 1


def test_a_week_another_node_recorded_is_not_sent_twice(levels):
    """The week is unique in the database: a second node's insert fails and sends nothing."""
    staff_user(role=AED)
    with time_machine.travel(MONDAY, tick=False):
        ComplianceDigest.objects.create(week=iso_week(MONDAY.date()), read_at=MONDAY)
        assert compliance_digest_send(registry=levels.registry) is None
        with pytest.raises(IntegrityError), transaction.atomic():
            ComplianceDigest.objects.create(week="2026-W50", read_at=MONDAY)
    assert not _digests().exists()


def test_nothing_is_sent_when_every_indicator_holds_but_the_week_is_recorded(levels):
    staff_user(role=AED)
    levels.level.update(alpha=GREEN, beta=GREEN)
    with time_machine.travel(MONDAY, tick=False):
        digest = compliance_digest_send(registry=levels.registry)
    assert digest.not_holding == 0
    assert digest.recipients == 0
    assert digest.indicator_keys == []
    assert not _digests().exists()
    # Recorded: a later problem that week waits for the next week's digest.
    levels.level.update(alpha=RED)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        assert compliance_digest_send(registry=levels.registry) is None


def test_an_indicator_that_raises_is_sent_as_not_holding(levels):
    staff_user(role=AED, language="en")

    def broken(*, now):
        raise RuntimeError("database unreachable")

    levels.level.update(alpha=GREEN, beta=GREEN)
    levels.registry.register(Indicator(key="broken", label="Broken", clauses=("M",), read=broken))
    with time_machine.travel(MONDAY, tick=False):
        digest = compliance_digest_send(registry=levels.registry)
    assert digest.indicator_keys == ["broken"]
    (message,) = mail.outbox
    assert "could not be read" in message.body


def test_the_iso_week_of_the_first_days_of_january_is_last_years():
    assert iso_week(datetime.date(2027, 1, 1)) == "2026-W53"
    assert iso_week(datetime.date(2026, 12, 28)) == "2026-W53"
    assert iso_week(datetime.date(2027, 1, 4)) == "2027-W01"


def test_the_daily_job_is_scheduled_and_sends_with_every_apps_indicators():
    """The real registry: on a fresh database the retention job has never run, which
    does not hold, so the AED hears of it."""
    staff_user(role=AED, language="fr")
    job = job_schedule.get("send_compliance_digest")
    with time_machine.travel(MONDAY, tick=False):
        job.run()
    digest = ComplianceDigest.objects.get()
    assert "retention.last_run" in digest.indicator_keys
    (message,) = mail.outbox
    assert "La tâche de conservation ne s'est jamais exécutée." in message.body
