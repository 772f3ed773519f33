"""Reads about staff accounts."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from csce.common import policy

from .models import PolicyAcknowledgement, PolicyVersion, StaffProfile
from .roles import AED

# Policy M: accounts with no sign-in for this long are disabled.
DORMANT_AFTER = datetime.timedelta(days=policy.DORMANT_ACCOUNT_DAYS)


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
    """Active accounts with no sign-in for DORMANT_AFTER (never signed in: joined that long ago).

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


def policy_versions_approved() -> QuerySet:
    """Policy R, V: a draft binds nobody; only the versions the AED approved count."""
    return PolicyVersion.objects.filter(approved_at__isnull=False)


def policy_version_current(*, today: datetime.date | None = None) -> PolicyVersion | None:
    """The version in force: the latest approved one whose effective date has come."""
    today = today or timezone.localdate()
    return policy_versions_approved().filter(effective_date__lte=today).first()


def policy_version_latest_approved() -> PolicyVersion | None:
    """The policy as decided: the latest approved version, in force or about to be. Its
    next review is the policy's (policy V)."""
    return policy_versions_approved().first()


def policy_acknowledged(*, user: AbstractBaseUser, version: PolicyVersion) -> bool:
    return PolicyAcknowledgement.objects.filter(user=user, version=version).exists()


def admin_staff() -> QuerySet:
    """Every active account that may enter the admin (a role, a direct grant, or the
    break-glass superuser)."""
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions=access) | Q(user_permissions=access))
        .distinct()
    )


def policy_acknowledgement_status(*, version: PolicyVersion) -> list[dict]:
    """Every active staff member who may enter the admin, with when they acknowledged."""
    staff = admin_staff().order_by("last_name", "first_name", "username")
    acknowledged = dict(
        PolicyAcknowledgement.objects.filter(version=version).values_list(
            "user_id", "acknowledged_at"
        )
    )
    return [{"user": user, "acknowledged_at": acknowledged.get(user.pk)} for user in staff]
