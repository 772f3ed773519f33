"""The forms of an inbox item's actions: assign, change status, note, reply, close."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from csce.common.staff import staff_display_name

from ..models.records import SubmissionStatus
from ..services import inbox_members
from .services import STATUSES_SETTABLE


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_display_name(obj)


class SubmissionAssignForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="assign")
    assignee = MemberChoiceField(
        label=_("Assigned to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        # Need to know: only a member of the item's inbox may be given it.
        self.fields["assignee"].queryset = inbox_members(inbox_id=submission.inbox_id).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["assignee"].initial = submission.assigned_to_id
        self.fields["assignee"].widget.attrs["id"] = "id_assignee"


class SubmissionStatusForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="status")
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in SubmissionStatus if s in STATUSES_SETTABLE],
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = submission.status


class SubmissionNoteForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="note")
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the inbox's members; deleted with the item."),
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)


class SubmissionReplyForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="reply")
    body = forms.CharField(
        label=_("Reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent by e-mail to the visitor, in the language they wrote in, with the "
            "centre's greeting and signature around it."
        ),
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)


class SubmissionCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have handled this item: close it and delete its content now."),
        required=True,
    )
