"""Every change of where a form sends personal data is logged and told to the AED (F)."""

from __future__ import annotations

from csce.accounts.role_requests import aed_routing_notify
from csce.audit.context import current_actor_id, current_request_user
from csce.audit.models import AccessAction
from csce.audit.services import access_log_record


def routing_change_record(*, page, before: dict | None, after: dict | None) -> None:
    """One access log entry (ids only: inboxes and topics) and a notice to each AED.

    Sent synchronously like the other staff notices (``aed_mail_send``)."""

    access_log_record(
        action=AccessAction.ROUTING_CHANGED,
        actor=current_actor_id(),
        object_type=page._meta.label_lower,
        object_id=page.pk,
        details={"before": before, "after": after},
    )
    # A page created by a loader or the shell is logged; one created or changed from the
    # admin is also told to the AED.
    if before is not None or current_request_user() is not None:
        aed_routing_notify(page=page)
