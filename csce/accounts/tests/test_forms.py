"""The technical administrator records person type and end date on Wagtail's user forms."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from csce.accounts.models import PersonType, StaffProfile
from csce.accounts.roles import PROGRAM_STAFF, TECHNICAL_ADMIN

pytestmark = pytest.mark.django_db


def _form_data(**extra):
    return {
        "username": "benevole",
        "email": "benevole@example.org",
        "first_name": "Bénévole",
        "last_name": "Un",
        "language": "fr",
        "groups": [Group.objects.get(name=PROGRAM_STAFF).pk],
        **extra,
    }


def test_the_forms_show_person_type_and_end_date_but_not_superuser(client, staff_login):
    staff_login(role=TECHNICAL_ADMIN)
    html = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="person_type"' in html
    assert 'name="end_date"' in html
    assert 'name="is_superuser"' not in html


def test_a_volunteer_without_an_end_date_is_refused(client, staff_login):
    staff_login(role=TECHNICAL_ADMIN)
    response = client.post(
        reverse("wagtailusers_users:add"), _form_data(person_type=PersonType.VOLUNTEER)
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="benevole").exists()


def test_a_volunteer_is_created_with_the_end_date(client, staff_login):
    staff_login(role=TECHNICAL_ADMIN)
    response = client.post(
        reverse("wagtailusers_users:add"),
        _form_data(person_type=PersonType.VOLUNTEER, end_date="2027-03-31"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = StaffProfile.objects.get(user__username="benevole")
    assert profile.person_type == PersonType.VOLUNTEER
    assert profile.end_date == datetime.date(2027, 3, 31)
    assert not profile.user.is_superuser


def test_editing_keeps_and_changes_the_profile(client, staff_login, staff_user_make):
    staff_login(role=TECHNICAL_ADMIN)
    intern = staff_user_make(role=PROGRAM_STAFF, username="stagiaire")
    StaffProfile.objects.create(
        user=intern, person_type=PersonType.INTERN, end_date=datetime.date(2027, 1, 1)
    )
    url = reverse("wagtailusers_users:edit", args=[intern.pk])
    assert 'value="2027-01-01"' in client.get(url).content.decode()
    data = _form_data(
        username="stagiaire",
        email="stagiaire@example.org",
        is_active="on",
        person_type=PersonType.EMPLOYEE,
        end_date="",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    intern.staff_profile.refresh_from_db()
    assert intern.staff_profile.person_type == PersonType.EMPLOYEE
    assert intern.staff_profile.end_date is None
