"""Which roles read the compliance view (policy R); csce/accounts/roles.py assembles.

The AED supervises every online property and ensures the policy is followed; the
Executive Director answers for it to the board. The view shows counts and dates only.
"""

from csce.common.roles import AED, ED

VIEW = "compliance.view_compliance"

ROLE_PERMISSIONS = {
    AED: [VIEW],
    ED: [VIEW],
}
