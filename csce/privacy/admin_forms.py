"""The forms of the Privacy Officer's actions on a request."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.staff import staff_display_name

from .models.records import LOGGED_CHANNELS, MAX_EXTENSION_DAYS, RequestKind, RequestOutcome

# The two languages, by their names (never the raw code).
LANGUAGE_CHOICES = [("fr", _("French")), ("en", _("English"))]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_display_name(obj)


def privacy_staff():
    """Who may be given a request: staff holding the request permission."""
    users = get_user_model().objects.filter(is_active=True)
    rule = Q(
        groups__permissions__codename="change_privacyrequest",
        groups__permissions__content_type__app_label="privacy",
    ) | Q(is_superuser=True)
    return users.filter(rule).distinct().order_by("first_name", "last_name", "username")


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, privacy_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].initial = self.action_name


class AssignForm(ActionForm):
    action_name = "assign"
    assignee = StaffChoiceField(
        label=_("Assigned to"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, privacy_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = privacy_staff()
        if privacy_request is not None:
            self.fields["assignee"].initial = privacy_request.assigned_to_id


class ExtendForm(ActionForm):
    action_name = "extend"
    days = forms.IntegerField(
        label=_("Extension in days"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        initial=MAX_EXTENSION_DAYS,
        help_text=policy.interpolate_lazy(
            ngettext_lazy(
                "At most %(days)s day, once (PHIPA). The requester is told in writing.",
                "At most %(days)s days, once (PHIPA). The requester is told in writing.",
                "days",
            ),
            {"days": MAX_EXTENSION_DAYS},
        ),
    )
    reason = forms.CharField(
        label=_("Reason given to the requester"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LetterForm(ActionForm):
    action_name = "letter"
    letter = forms.ChoiceField(
        label=_("Letter"),
        choices=[
            ("access", _("Access: your information is attached by link")),
            ("correction", _("Correction made")),
            ("deletion", _("Deletion made")),
            ("withdrawal", _("Consent withdrawn")),
            ("complaint", _("Answer to a complaint")),
            ("refusal", _("Refusal, with the right to complain to the IPC")),
            ("general", _("Other answer")),
        ],
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Inserted in the letter, which goes out in the requester's language."),
    )


class NoteForm(ActionForm):
    action_name = "note"
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted with the request; never sent to the requester."),
    )


class ConfirmForm(ActionForm):
    """Export and erasure act on every app at once: the officer confirms first."""

    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class ExportForm(ConfirmForm):
    action_name = "export"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "Gather this person's information from every app and e-mail them a download link"
        )


class EraseForm(ConfirmForm):
    action_name = "erase"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "Erase this person's information in every app now (records the law requires are kept)"
        )


class DiscoverForm(ActionForm):
    action_name = "discover"


class CloseForm(ActionForm):
    action_name = "close"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RequestOutcome.choices)


class CorrectionForm(forms.Form):
    """The record's values as they are; the officer changes what the person asked."""

    note = forms.CharField(
        label=_("What was corrected and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the request (encrypted); the values themselves are not copied."),
    )

    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = values
        fields = {}
        for value in values:
            widget = forms.Textarea(attrs={"rows": 4}) if value.multiline else forms.TextInput
            fields[f"value_{value.name}"] = forms.CharField(
                label=value.label,
                initial=value.value,
                required=False,
                max_length=5000,
                widget=widget,
            )
        # The record's values first, the note last.
        self.fields = {**fields, "note": self.fields["note"]}

    def changes(self) -> dict[str, str]:
        return {
            value.name: self.cleaned_data[f"value_{value.name}"]
            for value in self.values
            if self.cleaned_data[f"value_{value.name}"] != value.value
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("Nothing was changed."))
        return cleaned


# --- requests that do not come through the portal (policy P9) ---------------------------


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class IdentityCheckField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Identity checked on"),
            widget=DateInput,
            initial=_today,
            help_text=policy.interpolate_lazy(
                ngettext_lazy(
                    "The PHIPA clock starts on this day: an answer is due %(days)s day later.",
                    "The PHIPA clock starts on this day: an answer is due %(days)s days later.",
                    "days",
                ),
                {"days": policy.PHIPA_RESPONSE_DAYS},
            ),
            **kwargs,
        )


class PrivacyRequestLogForm(forms.Form):
    """A request received by telephone, mail or in person, typed in by the officer."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in LOGGED_CHANNELS],
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput, initial=_today)
    identity_checked_on = IdentityCheckField()
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. With an address, the acknowledgement and letters go by e-mail."),
    )
    contact_details = forms.CharField(
        label=_("Telephone or postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language of the answer"), choices=LANGUAGE_CHOICES)
    details = forms.CharField(
        label=_("What the person asked"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("email") or cleaned.get("contact_details")):
            raise forms.ValidationError(
                _("Give an e-mail address or a telephone number or postal address.")
            )
        return cleaned


class PrivacyInquiryConvertForm(forms.Form):
    """Turn a privacy-topic inquiry into a request: what is asked, and the identity check."""

    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    identity_checked_on = IdentityCheckField()
