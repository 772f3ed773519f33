"""Which roles moderate comments and reports of a concern (policy U, R, X);
csce/accounts/roles.py assembles them. docs/access-matrix.md is the contract.

Policy R names the content creators/administrators as those who monitor engagement and
answer it; the AED supervises them and moderates too. What visitors write is personal
data (policy F): holding ``moderation.moderate_comment`` makes a group one that opens it
(csce/moderation/registry.py ``group_receives``), so giving it needs a second person's
approval (csce/accounts/role_requests.py).
"""

from csce.common.roles import AED, CONTENT

MODERATE = [
    "moderation.moderate_comment",
    "moderation.view_comment",
    "moderation.change_comment",
    "moderation.view_concernreport",
    "moderation.change_concernreport",
]

ROLE_PERMISSIONS = {
    CONTENT: MODERATE,
    AED: MODERATE,
}
