"""Which roles get which privacy permissions (policy R, F); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, PRIVACY_OFFICER

# Policy F, P3, P9-P10: the Privacy Officer keeps the processors register and answers
# privacy requests; the AED supervises both.
PRIVACY_MANAGEMENT = [
    "privacy.view_processor",
    "privacy.add_processor",
    "privacy.change_processor",
    "privacy.delete_processor",
    "privacy.view_privacyrequest",
    "privacy.change_privacyrequest",
    "privacy.view_privacynoticeversion",
]
PRIVACY_SUPERVISION = ["privacy.view_processor", "privacy.view_privacynoticeversion"]

ROLE_PERMISSIONS = {
    AED: PRIVACY_SUPERVISION,
    PRIVACY_OFFICER: PRIVACY_MANAGEMENT,
}
