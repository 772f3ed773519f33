"""Which roles get which incident permissions (policy R, P8, X); csce/accounts/roles.py
assembles them. docs/access-matrix.md is the contract.

Reporting needs no permission: every staff member who reaches the admin may report an
incident (policy R). The register opens what was reported, which may name people, so
only the Privacy Officer, the AED and the Executive Director read and keep it; notifying
the people affected is the Privacy Officer's and the AED's.
"""

from csce.common.roles import AED, ED, PRIVACY_OFFICER

REGISTER = ["incidents.view_incident", "incidents.change_incident"]
NOTIFY = "incidents.notify_incident"

ROLE_PERMISSIONS = {
    PRIVACY_OFFICER: [*REGISTER, NOTIFY],
    AED: [*REGISTER, NOTIFY],
    ED: REGISTER,
}
