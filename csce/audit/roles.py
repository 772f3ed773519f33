"""Which roles get which audit permissions (policy R, F); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, PRIVACY_OFFICER

# Policy F, P10: the AED and the Privacy Officer read the access log.
ROLE_PERMISSIONS = {
    AED: ["audit.view_accesslogentry"],
    PRIVACY_OFFICER: ["audit.view_accesslogentry"],
}
