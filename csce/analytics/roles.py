"""Which roles get which analytics permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, COMMUNICATIONS, ED

# Policy P4, R: the website statistics dashboard (daily rollups, no personal data) is read
# by the AED, who supervises the properties, and by Communications, who run them.
STATISTICS = "analytics.view_statistics"
# Policy R: the response times to inquiries, comments and reports (counts and durations,
# no personal data) are read by the AED and the Executive Director, who supervise how
# promptly the centre answers.
ENGAGEMENT = "analytics.view_engagement"

ROLE_PERMISSIONS = {
    AED: [STATISTICS, ENGAGEMENT],
    COMMUNICATIONS: [STATISTICS],
    ED: [ENGAGEMENT],
}
