"""Which roles get which outbox permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, TECHNICAL_ADMIN

# Policy M: the staff who run the site see the outgoing e-mail's backlog and failures
# (recipients masked, never the content) and send a failed message again.
OUTBOX_REVIEW = "outbox.view_outboxmessage"

ROLE_PERMISSIONS = {
    AED: [OUTBOX_REVIEW],
    TECHNICAL_ADMIN: [OUTBOX_REVIEW],
}
