import datetime

import pytest
from django.core.exceptions import ValidationError

from csce.accounts.models import PersonType, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "person_type", [PersonType.CONTRACTOR, PersonType.INTERN, PersonType.VOLUNTEER]
)
def test_everyone_but_employees_needs_an_end_date(staff_user_make, person_type):
    profile = StaffProfile(user=staff_user_make(), person_type=person_type)
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "end_date" in error.value.error_dict


def test_an_employee_needs_no_end_date(staff_user_make):
    StaffProfile(user=staff_user_make(), person_type=PersonType.EMPLOYEE).full_clean()


def test_an_account_has_ended_the_day_after_its_end_date(staff_user_make):
    profile = StaffProfile(
        user=staff_user_make(), person_type=PersonType.INTERN, end_date=datetime.date(2026, 6, 30)
    )
    assert not profile.has_ended(today=datetime.date(2026, 6, 30))
    assert profile.has_ended(today=datetime.date(2026, 7, 1))
