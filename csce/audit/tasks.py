"""The worker's side of the annual security audit (django-tasks, `manage.py db_worker`):
the checks may take seconds (a subprocess, an HTTP request), so they never run inside the
request of whoever asked for them (policy M)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from .models import SecurityAudit, SecurityAuditStatus
from .security_audit import security_audit_run, security_audit_run_failed

logger = logging.getLogger(__name__)


@task()
def security_audit_checks(audit_id: int, actor_id: int | None) -> None:
    audit = SecurityAudit.objects.filter(
        pk=audit_id, status__in=(SecurityAuditStatus.PENDING, SecurityAuditStatus.RUNNING)
    ).first()
    if audit is None:  # already run, or gone: a task delivered twice does nothing
        return
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        security_audit_run(audit=audit, actor=actor)
    except Exception as exc:  # the screen says it failed rather than pending forever
        logger.error("security audit %s could not run: %s", audit_id, type(exc).__name__)
        security_audit_run_failed(audit=audit)
        raise
