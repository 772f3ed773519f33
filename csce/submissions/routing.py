"""Every change of where a form sends personal data is logged and told to the AED (F)."""

from __future__ import annotations

from csce.audit.context import current_actor_id
from csce.audit.models import AccessAction
from csce.audit.services import access_log_record


def routing_change_record(*, page, before: dict | None, after: dict | None) -> None:
    """One access log entry (ids only: inboxes and topics) and a notice to each AED."""
    from csce.accounts.role_requests import aed_routing_notify

    access_log_record(
        action=AccessAction.ROUTING_CHANGED,
        actor=current_actor_id(),
        object_type=page._meta.label_lower,
        object_id=page.pk,
        details={"before": before, "after": after},
    )
    aed_routing_notify(page=page)
