"""The forms of an inbox item's actions: assign, change status, note, reply, close."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from csce.common.staff import staff_display_name

from ..models.records import SubmissionStatus
from ..services import inbox_members
from .services import STATUSES_SETTABLE, reply_preview_seal_valid

# A reply is an e-mail, not a letter: long enough for any answer, short enough to read.
REPLY_MAX_LENGTH = 10000


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


class SubmissionReplyPreviewForm(forms.Form):
    """The reply as staff type it; it is shown as the e-mail it will be before it goes."""

    action = forms.CharField(widget=forms.HiddenInput, initial="reply_preview")
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent by e-mail to the visitor, in the language they wrote in, with the "
            "centre's greeting and signature around it. You see it as it will be sent "
            "before it goes."
        ),
        error_messages={
            "required": _("Write the reply before looking at it as an e-mail."),
            "max_length": _(
                "The reply is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.fields["body"].widget.attrs["id"] = "id_reply_body"


class SubmissionReplyForm(SubmissionReplyPreviewForm):
    """Sending: the text that was previewed, sealed by the preview (nothing unseen goes)."""

    action = forms.CharField(widget=forms.HiddenInput, initial="reply")
    seal = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, submission=submission, **kwargs)
        self.fields["body"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        body = data.get("body")
        if body and not reply_preview_seal_valid(
            submission=self.submission, body=body, seal=data.get("seal", "")
        ):
            raise forms.ValidationError(
                _("Look at the reply as an e-mail before sending it: the text changed.")
            )
        return data


class SubmissionCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have handled this item: close it and delete its content now."),
        required=True,
    )
