"""Which roles get which pages permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, TECHNICAL_ADMIN

# Policy C, M: the centre's settings (name, addresses, officers) are the AED's and the
# technical administrator's. Page permissions are on the home pages: accounts/roles.py.
ROLE_PERMISSIONS = {
    AED: ["pages.change_centresettings"],
    TECHNICAL_ADMIN: ["pages.change_centresettings"],
}
