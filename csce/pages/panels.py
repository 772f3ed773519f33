"""The AED's override reason in the page editor (policy X).

When the AED publishes a page whose content owner is another staff member, the editor
asks why; ``wagtail_hooks.py`` keeps the edit as a draft when no reason is given and logs
the reason in the page's history when it is published (csce/pages/review.py). The field
is plain HTML, not a form field, so every page type's form (those of other apps
included) carries it without a form class of its own.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from csce.common import policy

OVERRIDE_PERMISSION = "pages.override_page"
OVERRIDE_REASON_FIELD = "csce_override_reason"


def override_reason_required(*, owner_id: int | None, user) -> bool:
    """Policy X: the override is the AED's; a page with no owner, or the AED's own, needs
    no reason."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm(OVERRIDE_PERMISSION)
        and owner_id is not None
        and owner_id != user.pk
    )


class OverrideReasonPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Reason for publishing over the owner"))
        kwargs.setdefault(
            "help_text",
            _(
                "This page belongs to another staff member. To publish your changes, say "
                "why: the reason is kept in the page's history and the owner is told."
            ),
        )
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "pages/admin/override_reason_panel.html"

        def is_shown(self) -> bool:
            if self.request is None or self.instance is None or not self.instance.pk:
                return False
            return override_reason_required(
                owner_id=getattr(self.instance, "owner_id", None), user=self.request.user
            )

        def id_for_label(self) -> str:
            return f"id_{OVERRIDE_REASON_FIELD}"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            value = ""
            if self.request is not None and self.request.method == "POST":
                value = self.request.POST.get(OVERRIDE_REASON_FIELD, "")
            context.update(
                field_name=OVERRIDE_REASON_FIELD,
                field_id=self.id_for_label(),
                value=value,
                max_length=policy.OVERRIDE_REASON_MAX_LENGTH,
                help_text=self.help_text,
            )
            return context
