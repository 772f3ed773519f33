"""Which roles get which audit permissions (policy R, F); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, PRIVACY_OFFICER, TECHNICAL_ADMIN

# Policy M, R: the AED runs the annual security audit and signs it; the technical
# administrator may run its checks and read the reports (counts and dates only).
SECURITY_AUDIT_RUN = ["audit.view_securityaudit", "audit.run_securityaudit"]
SECURITY_AUDIT_SIGN = "audit.sign_securityaudit"

# Policy F, P10: the AED and the Privacy Officer read the access log.
ROLE_PERMISSIONS = {
    AED: ["audit.view_accesslogentry", *SECURITY_AUDIT_RUN, SECURITY_AUDIT_SIGN],
    PRIVACY_OFFICER: ["audit.view_accesslogentry"],
    TECHNICAL_ADMIN: SECURITY_AUDIT_RUN,
}
