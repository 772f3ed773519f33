"""The forms of the moderators' actions (policy U, X): each posts back to the item's page
with its ``action``; the page (admin_views.py) performs it through services.py.

Every action needs a reason; "other" needs a note that explains it (policy X: content is
changed or removed for a stated reason). Refused input comes back with what was typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csce.common import policy
from csce.common.incident_intake import IncidentIntakeUnavailable, incident_intake

from .models import Comment, Reason

NOTE_MAX_LENGTH = 2000
# A comment's text as a moderator edits it: as long as a visitor may write, with room.
TEXT_MAX_LENGTH = 10000

NOTE_REQUIRED = _("Explain the reason “Other” in the note.")


def block_days_choices() -> list[tuple[int, str]]:
    return [
        (days, ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
        for days in policy.MODERATION_BLOCK_DAYS
    ]


class ActionForm(forms.Form):
    """An action with its reason and the moderator's note."""

    action_name = ""
    # The reason most actions of this kind have, preselected (None: the moderator chooses).
    default_reason: str | None = None
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=())
    note = forms.CharField(
        label=_("Note (required for “Other”)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept, encrypted, in the item's history; never in the access log."),
    )

    def __init__(self, *args, item=None, **kwargs):
        # Several forms on one page: each its own ids, so each label names its field.
        kwargs.setdefault("auto_id", f"id_{self.action_name}_%s")
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["action"].initial = self.action_name
        self.fields["reason"].choices = [("", _("Choose a reason")), *Reason.choices]
        if self.default_reason:
            self.fields["reason"].initial = self.default_reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", NOTE_REQUIRED)
        return cleaned


class ApproveForm(ActionForm):
    action_name = "approve"
    default_reason = Reason.WITHIN_RULES


class RejectForm(ActionForm):
    action_name = "reject"


class HideForm(ActionForm):
    action_name = "hide"


class EditForm(ActionForm):
    """The comment's text as the moderator corrects it; the comment then shows "edited by
    a moderator" (policy X)."""

    action_name = "edit"
    default_reason = Reason.CORRECTION
    text = forms.CharField(
        label=_("Text of the comment"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Once saved, the comment shows “edited by a moderator”."),
    )

    field_order = ["action", "text", "reason", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.item, Comment):
            self.fields["text"].initial = self.item.text

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("The text cannot be empty: delete the comment instead."))
        return text


class DeleteForm(ActionForm):
    action_name = "delete"
    confirm = forms.BooleanField(
        label=_("Delete this comment for good (its history stays)"), required=True
    )


class BlockForm(ActionForm):
    """Block the sender (policy U): by keyed hashes of their network and address."""

    action_name = "block"
    days = forms.TypedChoiceField(
        label=_("For how long"), coerce=int, choices=(), initial=policy.MODERATION_BLOCK_DAYS[1]
    )

    field_order = ["action", "days", "reason", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = block_days_choices()


class CloseForm(ActionForm):
    action_name = "close"
    default_reason = Reason.HANDLED


class ReopenForm(ActionForm):
    action_name = "reopen"


class EscalateForm(ActionForm):
    """Policy R, U: a report becomes an incident in the register, in one action."""

    action_name = "escalate"
    default_reason = Reason.SECURITY
    kind = forms.ChoiceField(label=_("Kind of incident"), choices=())

    field_order = ["action", "kind", "reason", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            kinds = incident_intake().kinds()
        except IncidentIntakeUnavailable:
            kinds = []
        self.fields["kind"].choices = kinds


COMMENT_FORMS = {
    form.action_name: form
    for form in (ApproveForm, RejectForm, HideForm, EditForm, DeleteForm, BlockForm)
}
REPORT_FORMS = {form.action_name: form for form in (CloseForm, ReopenForm, BlockForm, EscalateForm)}
