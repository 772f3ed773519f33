"""Staff accounts: who each staff member is for the policy (scope S) and until when."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.models import BaseModel


class PersonType(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    INTERN = "intern", _("Intern")
    VOLUNTEER = "volunteer", _("Volunteer")


class StaffProfile(BaseModel):
    """Policy S: employees, contractors, interns and volunteers; all but employees leave
    on a known date, after which their account cannot sign in. The last sign-in is
    Django's ``User.last_login``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    person_type = models.CharField(
        _("person type"),
        max_length=20,
        choices=PersonType.choices,
        default=PersonType.EMPLOYEE,
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_(
            "Last day of the contract, internship or volunteering. Required for everyone "
            "but employees: the account cannot sign in after this day."
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_person_type_display()})"

    def clean(self) -> None:
        if self.person_type != PersonType.EMPLOYEE and not self.end_date:
            raise ValidationError(
                {"end_date": _("An end date is required for contractors, interns and volunteers.")}
            )

    def has_ended(self, *, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.end_date is not None and self.end_date < today
