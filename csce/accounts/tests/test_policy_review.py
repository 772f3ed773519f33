"""A new policy version: drafted, approved by the AED, then asked of every staff member;
its next review and the AED's reminders of it (policy R, S, V)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from csce.accounts.factories import policy_version, staff_user
from csce.accounts.models import PolicyAcknowledgement, PolicyVersion, ReviewReminder
from csce.accounts.reviews import policy_review_remind
from csce.accounts.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.accounts.selectors import policy_version_current
from csce.accounts.services import (
    POLICY_APPROVE_ACTION,
    PolicyApprovalRefused,
    policy_version_approve,
)
from csce.common import policy
from csce.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_migration_gives_version_1_a_review_a_year_after_it_took_effect():
    version = policy_version_current()
    assert version.version_label == "1"
    assert version.is_approved
    assert version.next_review == version.effective_date.replace(
        year=version.effective_date.year + 1
    )


# --- approval ---------------------------------------------------------------------------


def test_the_aed_approves_and_the_approval_is_logged():
    aed = staff_user(role=AED)
    version = policy_version(drafted_by=staff_user(role=TECHNICAL_ADMIN))
    assert policy_version_current().version_label == "1"  # a draft is not in force
    policy_version_approve(version=version, actor=aed)
    version.refresh_from_db()
    assert version.approved_by == aed
    assert version.approved_at is not None
    assert policy_version_current() == version
    entry = ModelLogEntry.objects.get(action=POLICY_APPROVE_ACTION)
    assert entry.user_id == aed.pk
    assert entry.object_id == str(version.pk)
    assert entry.data["version"] == version.version_label


def test_the_aed_may_approve_her_own_draft():
    aed = staff_user(role=AED)
    version = policy_version(drafted_by=aed)
    policy_version_approve(version=version, actor=aed)
    assert policy_version_current() == version


@pytest.mark.parametrize("role", [TECHNICAL_ADMIN, ED, CONTENT, PRIVACY_OFFICER])
def test_no_other_role_approves(role):
    version = policy_version()
    with pytest.raises(PermissionDenied):
        policy_version_approve(version=version, actor=staff_user(role=role))
    assert not PolicyVersion.objects.get(pk=version.pk).is_approved


def test_a_version_is_approved_once():
    aed = staff_user(role=AED)
    version = policy_version()
    policy_version_approve(version=version, actor=aed)
    with pytest.raises(PolicyApprovalRefused):
        policy_version_approve(version=version, actor=staff_user(role=AED))
    assert ModelLogEntry.objects.filter(action=POLICY_APPROVE_ACTION).count() == 1


def test_an_incomplete_or_backdated_draft_is_not_approved():
    aed = staff_user(role=AED)
    empty = policy_version(body_fr="", body_en="")
    with pytest.raises(PolicyApprovalRefused):
        policy_version_approve(version=empty, actor=aed)
    current = policy_version_current()
    backdated = policy_version(effective_date=current.effective_date - datetime.timedelta(days=1))
    with pytest.raises(PolicyApprovalRefused) as refusal:
        policy_version_approve(version=backdated, actor=aed)
    assert "1" in refusal.value.problems[0]
    assert not PolicyVersion.objects.filter(
        pk__in=[empty.pk, backdated.pk], approved_at__isnull=False
    ).exists()


# --- the screens ------------------------------------------------------------------------


def _draft_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "version_label": "2",
        "effective_date": today.isoformat(),
        "next_review": (today + datetime.timedelta(days=365)).isoformat(),
        "summary_fr": "Nouvelle règle",
        "summary_en": "New rule",
        "body_fr": "Texte 2",
        "body_en": "Text 2",
        "document": "",
    }
    return {**data, **overrides}


@pytest.mark.policy_enforced
def test_a_draft_by_the_technical_administrator_asks_nobody_until_the_aed_approves(
    client, staff_user_make
):
    from csce.accounts.factories import staff_sign_in

    admin = staff_user_make(role=TECHNICAL_ADMIN)
    staff_sign_in(client, admin)
    response = client.post(reverse("policy_versions:add"), _draft_data())
    version = PolicyVersion.objects.get(version_label="2")
    assert response["Location"] == reverse("policy_versions:approval", args=[version.pk])
    assert version.drafted_by == admin
    assert not version.is_approved
    # Nobody is asked, not even the drafter.
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    listing = client.get(reverse("policy_versions:index")).content.decode()
    assert reverse("policy_versions:approval", args=[version.pk]) in listing
    assert "Brouillon" in listing
    # The technical administrator reads the draft's state but cannot approve it.
    page = client.get(reverse("policy_versions:approval", args=[version.pk]))
    assert page.status_code == 200
    assert 'name="confirm"' not in page.content.decode()
    refused = client.post(reverse("policy_versions:approval", args=[version.pk]), {"confirm": "on"})
    assert refused.status_code == 403
    assert not PolicyVersion.objects.get(pk=version.pk).is_approved

    aed = staff_user_make(role=AED)
    staff_sign_in(client, aed)
    assert (
        client.post(reverse("policy_versions:approval", args=[version.pk]), {}).status_code == 400
    )
    response = client.post(
        reverse("policy_versions:approval", args=[version.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert PolicyVersion.objects.get(pk=version.pk).approved_by == aed
    # Approved and in force: everyone, the AED included, acknowledges it again.
    home = client.get(reverse("wagtailadmin_home"))
    assert home["Location"].startswith(reverse("accounts_policy_acknowledge"))
    assert not PolicyAcknowledgement.objects.filter(version=version).exists()


def test_the_add_form_proposes_a_review_a_year_later(client, staff_login):
    staff_login(role=AED)
    html = client.get(reverse("policy_versions:add")).content.decode()
    today = timezone.localdate()
    expected = today.replace(year=today.year + policy.POLICY_REVIEW_INTERVAL_MONTHS // 12)
    assert f'name="next_review" value="{expected:%d/%m/%Y}"' in html  # the French admin


def test_an_approved_version_keeps_its_text_and_only_the_aed_moves_its_review(client, staff_login):
    version = policy_version_current()
    staff_login(role=TECHNICAL_ADMIN)
    response = client.get(reverse("policy_versions:edit", args=[version.pk]))
    assert response["Location"] == reverse("policy_versions:approval", args=[version.pk])

    staff_login(role=AED)
    html = client.get(reverse("policy_versions:edit", args=[version.pk])).content.decode()
    assert 'name="next_review"' in html
    assert 'name="body_fr"' not in html
    later = version.next_review + datetime.timedelta(days=90)
    client.post(
        reverse("policy_versions:edit", args=[version.pk]),
        {"next_review": later.isoformat(), "body_fr": "Changé en douce"},
    )
    version.refresh_from_db()
    assert version.next_review == later
    assert version.body_fr != "Changé en douce"


def test_a_draft_approved_meanwhile_is_not_changed_by_its_open_form(client, staff_login):
    version = policy_version(version_label="2")
    staff_login(role=TECHNICAL_ADMIN)
    client.get(reverse("policy_versions:edit", args=[version.pk]))
    policy_version_approve(version=version, actor=staff_user(role=AED))
    # The form was for a draft; its author lost the right to edit when it was approved.
    client.post(reverse("policy_versions:edit", args=[version.pk]), _draft_data(body_fr="Autre"))
    assert PolicyVersion.objects.get(pk=version.pk).body_fr == "Texte de la politique"


@pytest.mark.parametrize("role", [ED, CONTENT, COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF])
def test_other_roles_cannot_open_or_approve_a_draft(client, staff_login, role):
    version = policy_version()
    staff_login(role=role)
    url = reverse("policy_versions:approval", args=[version.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert client.get(reverse("policy_versions:index")).status_code == 302
    assert not PolicyVersion.objects.get(pk=version.pk).is_approved


# --- reminders --------------------------------------------------------------------------


def _reminders() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.order_by("pk"))


def test_the_aed_is_reminded_once_in_her_language_before_the_review_and_once_overdue(time_machine):
    today = timezone.localdate()
    version = policy_version_current()
    PolicyVersion.objects.filter(pk=version.pk).update(
        next_review=today + datetime.timedelta(days=40)
    )
    french = staff_user(role=AED, language="fr", email="aed@example.org")
    english = staff_user(role=AED, language="en", email="aed2@example.org")
    staff_user(role=TECHNICAL_ADMIN)
    OutboxMessage.objects.all().delete()

    assert policy_review_remind() == 0  # 40 days ahead: not yet
    time_machine.move_to(timezone.now() + datetime.timedelta(days=10))  # 30 days ahead
    assert policy_review_remind() == 1
    assert policy_review_remind() == 0  # a restart, a second node: nothing more
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5))
    assert policy_review_remind() == 0
    rows = _reminders()
    # Through the real outbox, each in its recipient's language (delivered, then emptied).
    assert sorted(row.language for row in rows) == ["en", "fr"]
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {french.email, english.email}
    assert "Révision prévue le" in sent[french.email].subject
    assert "politique sur les propriétés en ligne" in sent[french.email].subject
    assert "Review due on" in sent[english.email].subject
    assert "/admin/" in sent[english.email].body

    mail.outbox.clear()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=26))  # one day late
    assert policy_review_remind() == 1
    assert policy_review_remind() == 0
    assert len(_reminders()) == 4
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2
    assert subjects[0].startswith("Review overdue since")
    assert subjects[1].startswith("Révision en retard depuis")
    assert ReviewReminder.objects.count() == 2


def test_a_new_review_date_is_reminded_again(time_machine):
    staff_user(role=AED)
    today = timezone.localdate()
    version = policy_version_current()
    PolicyVersion.objects.filter(pk=version.pk).update(
        next_review=today + datetime.timedelta(days=3)
    )
    assert policy_review_remind() == 1
    PolicyVersion.objects.filter(pk=version.pk).update(
        next_review=today + datetime.timedelta(days=20)
    )
    assert policy_review_remind() == 1
    assert ReviewReminder.objects.count() == 2


def test_without_an_aed_nothing_is_recorded_and_the_next_run_sends():
    today = timezone.localdate()
    version = policy_version_current()
    PolicyVersion.objects.filter(pk=version.pk).update(
        next_review=today + datetime.timedelta(days=3)
    )
    assert policy_review_remind() == 0
    assert not ReviewReminder.objects.exists()
    staff_user(role=AED)
    assert policy_review_remind() == 1


def test_a_draft_review_date_reminds_nobody():
    staff_user(role=AED)
    today = timezone.localdate()
    PolicyVersion.objects.filter(version_label="1").update(
        next_review=today + datetime.timedelta(days=200)
    )
    # The draft is not the policy: its date is not the policy's review.
    policy_version(version_label="draft", next_review=today + datetime.timedelta(days=5))
    assert policy_review_remind() == 0
