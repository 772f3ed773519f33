"""Which roles get which pages permissions (policy R); csce/accounts/roles.py assembles."""

from csce.common.roles import AED, COMMUNICATIONS, CONTENT, TECHNICAL_ADMIN

# Policy C, P2: a site alert is public as soon as it is saved, with no approval step, so
# only the roles that may publish write one: the AED, who approves content, and
# Communications, who speak for the centre. Content creators read the list (what the
# site shows now and next) and ask them; their own pages go through the AED's approval.
SITE_ALERTS = [
    "pages.add_sitealert",
    "pages.change_sitealert",
    "pages.delete_sitealert",
    "pages.view_sitealert",
]

# Policy C, M: the centre's settings (name, addresses, officers) are the AED's and the
# technical administrator's. Page permissions are on the home pages: accounts/roles.py.
# Policy X: only the AED overrides a page's owner (unpublishes any page, or publishes one
# another staff member owns), always with a reason (csce/pages/review.py).
OVERRIDE = ["pages.override_page"]

ROLE_PERMISSIONS = {
    AED: ["pages.change_centresettings", *SITE_ALERTS, *OVERRIDE],
    COMMUNICATIONS: SITE_ALERTS,
    CONTENT: ["pages.view_sitealert"],
    TECHNICAL_ADMIN: ["pages.change_centresettings"],
}
