"""The retention job's checks of the annual security audit (policy M): it ran lately and
without a failing store, and no store holds a personal record older than it keeps one."""

from __future__ import annotations

import datetime
import math

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.compliance import FAIL, PASS, AuditCheck, CheckResult
from csce.common.registry import personal_data_registry

from .selectors import purge_last_run

# The job runs once a day: a record may outlive its retention by that day.
_DAILY_SLACK = datetime.timedelta(days=1)


def retention_job_run(*, now: datetime.datetime) -> CheckResult:
    run = purge_last_run()
    if run is None:
        return CheckResult(FAIL, gettext("The retention job has never run."))
    values = {
        "date": run.finished_at.strftime("%Y-%m-%d %H:%M"),
        "days": policy.RETENTION_JOB_MAX_AGE_DAYS,
    }
    if now - run.finished_at > datetime.timedelta(days=policy.RETENTION_JOB_MAX_AGE_DAYS):
        return CheckResult(
            FAIL,
            gettext("The retention job last ran on %(date)s, more than %(days)s days ago.")
            % values,
        )
    if run.errors:
        return CheckResult(
            FAIL,
            gettext("The retention job's last run (%(date)s) failed for: %(stores)s.")
            % {**values, "stores": ", ".join(str(key) for key in run.errors)},
        )
    return CheckResult(
        PASS, gettext("The retention job last ran on %(date)s, with no failure.") % values
    )


def retention_oldest_run(*, now: datetime.datetime) -> CheckResult:
    over, unreadable, held = [], [], 0
    for source in personal_data_registry:
        if source.oldest is None:
            continue
        try:
            oldest = source.oldest()
        except Exception:  # one store's fault must not hide the others; it fails the check
            unreadable.append(source.key)
            continue
        if oldest is None:
            continue
        held += 1
        limit = source.retention_days
        if limit is None or math.isinf(limit):
            continue
        age = now - oldest
        if age > datetime.timedelta(days=limit) + _DAILY_SLACK:
            over.append(
                gettext("%(store)s: %(age)s days (keeps %(limit)s)")
                % {"store": source.key, "age": age.days, "limit": math.ceil(limit)}
            )
    if over or unreadable:
        parts = []
        if over:
            parts.append(gettext("Kept too long: %(list)s.") % {"list": "; ".join(over)})
        if unreadable:
            parts.append(gettext("Could not be read: %(list)s.") % {"list": ", ".join(unreadable)})
        return CheckResult(FAIL, " ".join(parts))
    return CheckResult(
        PASS,
        gettext("No store holds a record beyond its retention (%(count)s stores hold records).")
        % {"count": held},
    )


AUDIT_CHECKS = (
    AuditCheck(
        key="retention_job",
        label=_("Retention job's last run"),
        clauses=("M",),
        run=retention_job_run,
        order=50,
    ),
    AuditCheck(
        key="retention_oldest",
        label=_("Oldest personal record of each store"),
        clauses=("M",),
        run=retention_oldest_run,
        order=51,
    ),
)
