"""Outgoing e-mail in the admin: the backlog and the failures, with a retry (policy M).

Read by the staff who run the site (the AED and the technical administrator,
``outbox.view_outboxmessage``: csce/accounts/roles.py). Recipients appear masked and the
content never, so reading this page reads no personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .delivery import PROVIDER_NOT_DECLARED_TEXT, delivery_held
from .models import OutboxMessage, OutboxState
from .selectors import address_masked, outbox_counts
from .services import outbox_message_retry

VIEW_PERMISSION = "outbox.view_outboxmessage"
LISTED = 200


def outbox_index_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        message = OutboxMessage.objects.filter(pk=request.POST.get("message", "")).first()
        if message is not None and outbox_message_retry(message=message):
            messages.success(request, _("The message will be sent again."))
        else:
            messages.error(request, _("This message cannot be sent again."))
        return redirect(reverse("outbox_admin"))
    rows = (
        OutboxMessage.objects.exclude(state=OutboxState.SENT)
        .defer("content")
        .order_by("-created_at", "-pk")[:LISTED]
    )
    listed = [
        {
            "pk": row.pk,
            "created_at": row.created_at,
            "kind": row.kind,
            "recipient": address_masked((row.recipients or [""])[0]),
            "language": row.language,
            "state": row.state,
            "state_label": row.get_state_display(),
            "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at if row.state == OutboxState.QUEUED else None,
            "last_error": row.last_error,
            "retry": row.state == OutboxState.FAILED,
        }
        for row in rows
    ]
    context = {
        "rows": listed,
        "counts": outbox_counts(),
        "states": OutboxState,
        # Policy F: why nothing leaves while the provider is not in the register.
        "held": PROVIDER_NOT_DECLARED_TEXT if delivery_held() else "",
    }
    return TemplateResponse(request, "outbox/admin/index.html", context)
