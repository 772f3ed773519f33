"""Which roles get which analytics permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, COMMUNICATIONS

# Policy P4, R: the website statistics dashboard (daily rollups, no personal data) is read
# by the AED, who supervises the properties, and by Communications, who run them.
STATISTICS = "analytics.view_statistics"

ROLE_PERMISSIONS = {
    AED: [STATISTICS],
    COMMUNICATIONS: [STATISTICS],
}
