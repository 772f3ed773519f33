"""Reads about staff accounts."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import StaffProfile
from .roles import AED

# Policy M: accounts with no sign-in for this long are disabled.
DORMANT_AFTER = datetime.timedelta(days=90)


def account_has_ended(*, user: AbstractBaseUser, today: datetime.date | None = None) -> bool:
    """Whether the staff member's end date (contractor, intern, volunteer) has passed."""
    try:
        profile = user.staff_profile
    except StaffProfile.DoesNotExist:
        return False
    return profile.has_ended(today=today)


def accounts_ended(*, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return get_user_model().objects.filter(is_active=True, staff_profile__end_date__lt=today)


def accounts_dormant(*, now: datetime.datetime | None = None) -> QuerySet:
    """Active accounts with no sign-in for 90 days (never signed in: joined 90 days ago).

    Superusers are break-glass accounts, unused by design and logged when used: they are
    not disabled for dormancy (they are for an end date).
    """
    cutoff = (now or timezone.now()) - DORMANT_AFTER
    return get_user_model().objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        is_active=True,
        is_superuser=False,
    )


def aed_members() -> QuerySet:
    return get_user_model().objects.filter(groups__name=AED, is_active=True).exclude(email="")
