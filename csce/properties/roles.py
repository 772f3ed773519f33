"""Who keeps the online-property registry (policy O, R); csce/accounts/roles.py assembles
them. docs/access-matrix.md is the contract.

Policy O: the AED manages the centre's online properties, so the AED adds, changes and
removes them and records their access reviews; the Executive Director, who supervises
with the AED, reads the registry. It holds staff names only, no visitor's data.
"""

from csce.common.roles import AED, ED

ROLE_PERMISSIONS = {
    AED: [
        "properties.add_onlineproperty",
        "properties.change_onlineproperty",
        "properties.delete_onlineproperty",
        "properties.view_onlineproperty",
    ],
    ED: ["properties.view_onlineproperty"],
}
