"""Which roles get which submissions permissions (policy R, F); csce/accounts/roles.py
assembles them."""

from csce.common.roles import AED

# Policy F: which inbox receives a form or a topic decides who reads what visitors send;
# only the AED changes it, and every change is logged.
ROUTING = "submissions.change_routing"

ROLE_PERMISSIONS = {
    AED: [ROUTING],
}
