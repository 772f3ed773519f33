"""The policy's roles, by name (policy R): what every app's ``roles.py`` grants to.

Each app declares, in its own ``roles.py``, ``ROLE_PERMISSIONS``: the permissions of its
models each role gets. csce/accounts/roles.py assembles them into the groups; no app
names another app's permissions. Group names are stable English identifiers; their
French display comes from gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AED = "Assistant Executive Director"
ED = "Executive Director"
CONTENT = "Content creator/administrator"
COMMUNICATIONS = "Communications"
PRIVACY_OFFICER = "Privacy Officer"
PROGRAM_STAFF = "Program staff"
TECHNICAL_ADMIN = "Technical administrator"

ROLE_LABELS = {
    AED: _("Assistant Executive Director"),
    ED: _("Executive Director"),
    CONTENT: _("Content creator/administrator"),
    COMMUNICATIONS: _("Communications"),
    PRIVACY_OFFICER: _("Privacy Officer"),
    PROGRAM_STAFF: _("Program staff"),
    TECHNICAL_ADMIN: _("Technical administrator"),
}


def role_label(group_or_name) -> str:
    """A role's name in the active language (policy P2), from a Group or its name; a group
    that is no policy role keeps its own name. Group.name stays the stable identifier."""
    name = getattr(group_or_name, "name", group_or_name)
    return str(ROLE_LABELS.get(name, name))
