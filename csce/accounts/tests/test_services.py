"""Dormant and ended accounts are disabled daily, logged, and the AED is told (policy M, S)."""

import datetime
import email
import io

import pytest
import time_machine
from django.core.management import call_command
from wagtail.users.models import UserProfile

from csce.accounts.models import PersonType, StaffProfile
from csce.accounts.roles import AED, PROGRAM_STAFF
from csce.accounts.services import accounts_disable_inactive
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


def _body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


@pytest.fixture
def accounts(staff_user_make):
    with time_machine.travel(TODAY - datetime.timedelta(days=200), tick=False):
        aed_fr = staff_user_make(role=AED, first_name="Aline", last_name="Directrice")
        aed_en = staff_user_make(role=AED, first_name="Anne", last_name="Deputy")
        dormant = staff_user_make(role=PROGRAM_STAFF, first_name="Denis", last_name="Dormant")
        recent = staff_user_make(role=PROGRAM_STAFF, first_name="Rita", last_name="Récente")
        ended = staff_user_make(role=PROGRAM_STAFF, first_name="Éric", last_name="Fini")
    profile = UserProfile.get_for_user(aed_en)
    profile.preferred_language = "en"
    profile.save()
    for user, days in [(aed_fr, 1), (aed_en, 2), (dormant, 91), (recent, 89), (ended, 3)]:
        user.last_login = TODAY - datetime.timedelta(days=days)
        user.save(update_fields=["last_login"])
    StaffProfile.objects.create(
        user=ended, person_type=PersonType.CONTRACTOR, end_date=datetime.date(2026, 11, 26)
    )
    return {
        "aed_fr": aed_fr,
        "aed_en": aed_en,
        "dormant": dormant,
        "recent": recent,
        "ended": ended,
    }


def test_dormant_and_ended_accounts_are_disabled_and_logged(accounts, smtp_inbox):
    with time_machine.travel(TODAY, tick=False):
        result = accounts_disable_inactive()
    assert result.dormant == ["Denis Dormant"]
    assert result.ended == ["Éric Fini"]
    for key in accounts:
        accounts[key].refresh_from_db()
    assert not accounts["dormant"].is_active
    assert not accounts["ended"].is_active
    assert accounts["recent"].is_active
    assert accounts["aed_fr"].is_active
    entries = AccessLogEntry.objects.filter(action=AccessAction.ACCOUNT_DISABLED)
    assert sorted(entries.values_list("object_id", "details")) == sorted(
        [
            (str(accounts["dormant"].pk), {"reason": "dormant"}),
            (str(accounts["ended"].pk), {"reason": "ended"}),
        ]
    )


def test_running_twice_changes_nothing_more(accounts, smtp_inbox):
    with time_machine.travel(TODAY, tick=False):
        accounts_disable_inactive()
        again = accounts_disable_inactive()
    assert again.total == 0
    assert AccessLogEntry.objects.filter(action=AccessAction.ACCOUNT_DISABLED).count() == 2
    assert len(smtp_inbox.messages) == 2  # one summary per AED, the first time only


def test_each_aed_gets_the_summary_in_their_language(accounts, smtp_inbox):
    with time_machine.travel(TODAY, tick=False):
        call_command("disable_dormant_accounts", stdout=io.StringIO())
    by_recipient = {m["To"]: m for m in smtp_inbox.messages}
    french = by_recipient[accounts["aed_fr"].email]
    english = by_recipient[accounts["aed_en"].email]
    assert "2 comptes du personnel désactivés" in str(
        email.header.make_header(email.header.decode_header(french["Subject"]))
    )
    assert english["Subject"] == "2 staff accounts disabled"
    assert "Denis Dormant" in _body(french)
    assert "Aucune connexion depuis 90 jours" in _body(french)
    assert "No sign-in for 90 days: 1 account" in _body(english)
    assert "End date passed: 1 account" in _body(english)
    assert "Éric Fini" in _body(english)


def test_nothing_to_disable_sends_nothing(accounts, smtp_inbox):
    with time_machine.travel(TODAY - datetime.timedelta(days=120), tick=False):
        assert accounts_disable_inactive().total == 0
    assert smtp_inbox.messages == []


def test_a_never_used_account_is_dormant_90_days_after_it_was_created(staff_user_make):
    with time_machine.travel(TODAY - datetime.timedelta(days=91), tick=False):
        user = staff_user_make(role=PROGRAM_STAFF)
    with time_machine.travel(TODAY, tick=False):
        assert accounts_disable_inactive().dormant == [user.get_full_name()]
