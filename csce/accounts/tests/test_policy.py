"""Every staff member acknowledges the current policy version before using the admin (S)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from csce.accounts import policy_v1
from csce.accounts.factories import policy_version, staff_sign_in
from csce.accounts.models import PolicyAcknowledgement
from csce.accounts.roles import AED, CONTENT, PROGRAM_STAFF, TECHNICAL_ADMIN
from csce.accounts.selectors import policy_version_current
from csce.accounts.services import policy_version_approve
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = [pytest.mark.django_db, pytest.mark.policy_enforced]


@pytest.fixture
def newcomer(client, staff_user_make):
    """A staff member signed in (with a second factor) who has acknowledged nothing."""
    user = staff_user_make(role=CONTENT)
    PolicyAcknowledgement.objects.filter(user=user).delete()
    staff_sign_in(client, user)
    return user


def test_the_migration_puts_version_1_in_force_in_both_languages(db):
    version = policy_version_current()
    assert version.version_label == "1"
    assert version.body_en.startswith("CSCE Online Property Web Page")
    assert "Skip to content" not in version.body_en
    assert "La direction générale adjointe est responsable" in version.body_fr
    assert version.body_fr == policy_v1.BODY_FR


def test_every_admin_view_waits_for_the_acknowledgement(client, newcomer):
    for url in [reverse("wagtailadmin_home"), reverse("wagtailadmin_explore_root")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts_policy_acknowledge"))


def test_signing_out_and_the_public_site_stay_open(client, newcomer, site_home):
    assert client.get("/fr/").status_code == 200
    assert client.post(reverse("wagtailadmin_logout")).status_code == 302
    assert not client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    ("language", "heading", "checkbox"),
    [
        ("fr", "Politique sur les propriétés en ligne", "J’ai lu cette politique"),
        ("en", "Online-property policy", "I have read this policy"),
    ],
)
def test_the_page_shows_the_policy_in_the_staff_members_language(
    client, newcomer, language, heading, checkbox
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(newcomer)
    profile.preferred_language = language
    profile.save()
    html = client.get(reverse("accounts_policy_acknowledge")).content.decode()
    assert heading in html
    assert checkbox in html
    version = policy_version_current()
    excerpt = (version.body_fr if language == "fr" else version.body_en).splitlines()[4][:60]
    assert excerpt.strip()[:40] in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_the_box_must_be_ticked(client, newcomer):
    response = client.post(reverse("accounts_policy_acknowledge"), {})
    assert response.status_code == 200
    assert not PolicyAcknowledgement.objects.filter(user=newcomer).exists()


def test_acknowledging_is_recorded_logged_and_opens_the_admin(client, newcomer, site_home):
    target = reverse("wagtailadmin_explore_root")
    response = client.post(
        reverse("accounts_policy_acknowledge"), {"confirm": "on", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == target
    version = policy_version_current()
    assert PolicyAcknowledgement.objects.filter(user=newcomer, version=version).exists()
    entry = AccessLogEntry.objects.get(action=AccessAction.POLICY_ACKNOWLEDGED)
    assert entry.actor_id == newcomer.pk
    assert entry.details == {"version": "1"}
    assert client.get(target).status_code == 200


def test_next_never_leaves_the_site(client, newcomer):
    response = client.post(
        reverse("accounts_policy_acknowledge"),
        {"confirm": "on", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("wagtailadmin_home")


def test_a_draft_asks_nobody(client, staff_login):
    staff_login(role=PROGRAM_STAFF)
    policy_version()  # drafted, in force from today once approved
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_new_version_asks_again_once_the_aed_approves_it(client, staff_login, staff_user_make):
    staff_login(role=PROGRAM_STAFF)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    version = policy_version()
    policy_version_approve(version=version, actor=staff_user_make(role=AED))
    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"].startswith(reverse("accounts_policy_acknowledge"))
    assert policy_version_current() == version


def test_a_future_version_is_not_yet_in_force(client, staff_login, staff_user_make):
    staff_login(role=PROGRAM_STAFF)
    version = policy_version(effective_date=timezone.localdate() + datetime.timedelta(days=10))
    policy_version_approve(version=version, actor=staff_user_make(role=AED))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_aed_sees_who_has_and_has_not_acknowledged(client, staff_user_make, staff_login):
    staff_user_make(role=PROGRAM_STAFF, first_name="Paul", last_name="Pressé")
    late = staff_user_make(role=PROGRAM_STAFF, first_name="Lucie", last_name="Lente")
    PolicyAcknowledgement.objects.filter(user=late).delete()
    staff_login(role=AED)
    html = client.get(reverse("accounts_policy_report")).content.decode()
    assert "Paul Pressé" in html
    assert "Lucie Lente" in html
    assert "Pas encore" in html


@pytest.mark.parametrize("role", [CONTENT, PROGRAM_STAFF, TECHNICAL_ADMIN])
def test_other_roles_cannot_see_the_report(client, staff_login, role):
    staff_login(role=role)
    response = client.get(reverse("accounts_policy_report"))
    # Wagtail turns a refusal into a redirect to the dashboard, with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("role", [AED, TECHNICAL_ADMIN])
def test_the_aed_and_the_technical_administrator_manage_versions(client, staff_login, role):
    staff_login(role=role)
    assert client.get(reverse("policy_versions:add")).status_code == 200
