"""The policy's roles, by name (policy R): what every app's ``roles.py`` grants to.

Each app declares, in its own ``roles.py``, ``ROLE_PERMISSIONS``: the permissions of its
models each role gets. csce/accounts/roles.py assembles them into the groups; no app
names another app's permissions. Group names are stable English identifiers; their
display, and their descriptions, come from gettext in the reader's language (policy P2).
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

# What each role does, for whoever gives or approves it (policy R, F); docs/access-matrix.md
# is the whole contract.
ROLE_DESCRIPTIONS = {
    AED: _(
        "Approves pages and their translations before they are published, approves roles "
        "that open personal data, reads the access log."
    ),
    ED: _("Approves, with the AED, the roles that open personal data."),
    CONTENT: _(
        "Writes and translates pages, which the AED approves before they go live; moderates "
        "visitors' comments and reports of a concern, which opens what visitors wrote."
    ),
    COMMUNICATIONS: _("Answers the contact form's messages and publishes site alerts."),
    PRIVACY_OFFICER: _(
        "Answers privacy requests, keeps the processors register, reads the access log."
    ),
    PROGRAM_STAFF: _("Handles the registrations and sessions of their programs."),
    TECHNICAL_ADMIN: _(
        "Manages staff accounts, sites, workflows and locked sign-ins; opens no form data."
    ),
}


def role_description(group_or_name) -> str:
    """What a role does, in the active language; empty for a group that is no policy role."""
    name = getattr(group_or_name, "name", group_or_name)
    description = ROLE_DESCRIPTIONS.get(name)
    return str(description) if description else ""


def role_label(group_or_name) -> str:
    """A role's name in the active language (policy P2), from a Group or its name; a group
    that is no policy role keeps its own name. Group.name stays the stable identifier."""
    name = getattr(group_or_name, "name", group_or_name)
    return str(ROLE_LABELS.get(name, name))


def permission_label(permission) -> str:
    """« Ajouter — document » for Django's "Can add document", whose name is stored in
    English when the permission is made; any other permission by its translated name."""
    from django.utils.translation import gettext

    actions = {
        "add": gettext("Add"),
        "change": gettext("Change"),
        "delete": gettext("Delete"),
        "view": gettext("View"),
    }
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in actions and model is not None and model_name == model._meta.model_name:
        return f"{actions[action]} — {model._meta.verbose_name}"
    return gettext(permission.name)
