"""Which roles get which retention permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, PRIVACY_OFFICER, TECHNICAL_ADMIN

# Policy M: when the retention job last ran and the age of the oldest personal record.
RETENTION_REVIEW = "retention.view_purgerun"

ROLE_PERMISSIONS = {
    AED: [RETENTION_REVIEW],
    PRIVACY_OFFICER: [RETENTION_REVIEW],
    TECHNICAL_ADMIN: [RETENTION_REVIEW],
}
