"""The retention panel on the dashboard: last run, counts, oldest record per store (policy M)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import AED, COMMUNICATIONS, CONTENT, PRIVACY_OFFICER, TECHNICAL_ADMIN
from csce.common.registry import PersonalDataSource, personal_data_registry
from csce.retention.models import PurgeRun

pytestmark = pytest.mark.django_db

HEADING = "Automatic deletion of personal data"


def sign_in(client, role: str):
    user = staff_user(role=role, language="en", verified=False)
    staff_sign_in(client, user)
    return user


@pytest.fixture
def old_store():
    source = PersonalDataSource(
        key="zz_old_store",
        label="Old store",
        purpose="test",
        retention="90 days",
        oldest=lambda: timezone.now() - datetime.timedelta(days=100),
    )
    personal_data_registry.register(source)
    yield source
    personal_data_registry.unregister(source.key)


@pytest.mark.parametrize("role", [AED, PRIVACY_OFFICER, TECHNICAL_ADMIN])
def test_the_panel_shows_the_last_run_and_flags_old_records(client, old_store, role):
    now = timezone.now()
    PurgeRun.objects.create(
        started_at=now - datetime.timedelta(hours=3),
        finished_at=now - datetime.timedelta(hours=3),
        counts={"submissions": 4, "zz_old_store": 7},
        total=11,
    )
    sign_in(client, role)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert HEADING in html
    assert "deleted 11 records" in html
    assert "Old store" in html
    assert "100 days" in html
    assert "Too old" in html  # in words, not only a colour
    assert "older than 90 days" in html


def test_a_site_whose_job_never_ran_says_so(client):
    sign_in(client, AED)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "The retention job has never run" in html


@pytest.mark.parametrize("role", [COMMUNICATIONS, CONTENT])
def test_other_roles_do_not_see_the_panel(client, role):
    sign_in(client, role)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert HEADING not in response.content.decode()
