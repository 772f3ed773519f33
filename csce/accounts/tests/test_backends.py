"""An account past its end date cannot sign in, and the login form says why (policy S)."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_sign_in
from csce.accounts.models import PersonType, StaffProfile
from csce.accounts.roles import CONTENT

pytestmark = pytest.mark.django_db
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def contractor(staff_user_make):
    user = staff_user_make(role=CONTENT, username="contractuel")
    StaffProfile.objects.create(
        user=user,
        person_type=PersonType.CONTRACTOR,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    return user


def _authenticate(rf):
    # django-axes needs the request to count failures by address.
    request = rf.post(reverse("wagtailadmin_login"))
    return authenticate(request, username="contractuel", password=PASSWORD)


def test_an_ended_contractor_cannot_authenticate(rf, contractor):
    assert _authenticate(rf) is None


def test_a_contractor_before_the_end_date_can(rf, contractor):
    contractor.staff_profile.end_date = timezone.localdate()
    contractor.staff_profile.save()
    assert _authenticate(rf) == contractor


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "La date de fin de ce compte est passée"),
        ("en", "This account’s end date has passed"),
    ],
)
def test_the_login_form_says_the_end_date_has_passed(client, contractor, language, message):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "contractuel", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "’").replace("'", "’")
    assert message in html


def test_a_wrong_password_on_an_ended_account_gets_the_usual_answer(client, contractor):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "contractuel", "password": "pas le bon mot de passe"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "end date" not in response.content.decode()


def test_an_open_session_ends_with_the_end_date(client, contractor):
    staff_sign_in(client, contractor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
