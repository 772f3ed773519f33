"""What the accounts app declares in the personal-data registry (csce/common/registry.py).

django-axes keeps a row per username and address pseudonym that failed to sign in
(user agent, attempt time). It is needed for the lockout; policy M keeps no
collected data longer than needed, so rows go SIGN_IN_ATTEMPTS_DAYS after their last attempt.
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.registry import PersonalDataSource

SIGN_IN_ATTEMPTS_DAYS = 30


def sign_in_attempts_purge(*, now: datetime.datetime, batch_size: int) -> int:
    limit = now - datetime.timedelta(days=SIGN_IN_ATTEMPTS_DAYS)
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        while ids := list(
            model.objects.filter(attempt_time__lt=limit)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        ):
            with transaction.atomic():
                deleted += model.objects.filter(pk__in=ids).delete()[0]
    return deleted


def sign_in_attempts_oldest():
    return (
        AccessAttempt.objects.order_by("attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )


SIGN_IN_ATTEMPTS_SOURCE = PersonalDataSource(
    key="sign_in_attempts",
    label=_("Failed staff sign-ins"),
    purpose=policy.interpolate_lazy(
        ngettext_lazy(
            "Locking an account for %(minutes)s minute after %(failures)s failed sign-ins "
            "(security).",
            "Locking an account for %(minutes)s minutes after %(failures)s failed sign-ins "
            "(security).",
            "minutes",
        ),
        {"minutes": policy.LOCKOUT_MINUTES, "failures": policy.LOCKOUT_FAILURE_LIMIT},
    ),
    retention=policy.interpolate_lazy(
        ngettext_lazy(
            "%(days)s day after the last failed attempt.",
            "%(days)s days after the last failed attempt.",
            "days",
        ),
        {"days": SIGN_IN_ATTEMPTS_DAYS},
    ),
    purge_expired=sign_in_attempts_purge,
    oldest=sign_in_attempts_oldest,
    models=("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"),
    retention_days=SIGN_IN_ATTEMPTS_DAYS,
)
