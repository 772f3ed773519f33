"""The website statistics' check of the annual security audit (policy M, P5): no salt of
a day that has ended is still stored, so no visitor hash can be linked to an address."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from csce.common.compliance import FAIL, PASS, AuditCheck, CheckResult

from .models import DailySalt
from .salts import local_day


def salt_rotation_run(*, now: datetime.datetime) -> CheckResult:
    stale = DailySalt.objects.filter(day__lt=local_day(now))
    count = stale.count()
    if count:
        oldest = stale.order_by("day").values_list("day", flat=True).first()
        return CheckResult(
            FAIL,
            ngettext(
                "%(count)s salt of an ended day is still stored (the oldest of %(date)s): "
                "the daily rotation is not running.",
                "%(count)s salts of ended days are still stored (the oldest of %(date)s): "
                "the daily rotation is not running.",
                count,
            )
            % {"count": count, "date": oldest.isoformat()},
        )
    if not settings.ANALYTICS_ENABLED:
        return CheckResult(PASS, gettext("The website statistics are off; no salt is stored."))
    return CheckResult(PASS, gettext("Only today's salt is stored."))


AUDIT_CHECKS = (
    AuditCheck(
        key="analytics_salt",
        label=_("Daily rotation of the statistics' salt"),
        clauses=("M", "P5"),
        run=salt_rotation_run,
        order=80,
    ),
)
