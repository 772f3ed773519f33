"""The public form of the privacy-rights portal (policy P9, P10).

Only what answering the request needs (policy P7): the right exercised, an address to
confirm and answer, an optional name, and the details a correction or a complaint
cannot do without. Limits on every value so that no input can fail the page.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from csce.common.altcha import CHALLENGE_FIELD
from csce.common.spam import HONEYPOT_FIELD, STARTED_FIELD, guard_form_fields

from .models.records import RequestKind

EMAIL_MAX = 254
NAME_MAX = 200
DETAILS_MAX = 5000

# One line under each choice: what the visitor gets when they pick it.
KIND_HELP = {
    RequestKind.ACCESS: _("You receive a copy of the information the centre holds about you."),
    RequestKind.CORRECTION: _("We fix information about you that is wrong or incomplete."),
    RequestKind.DELETION: _("We delete your information, except what the law requires us to keep."),
    RequestKind.WITHDRAWAL: _(
        "We stop every optional use you agreed to, such as the newsletter, everywhere at once."
    ),
    RequestKind.COMPLAINT: _(
        "Tell us how we handled your information; you may also complain to Ontario's "
        "Information and Privacy Commissioner."
    ),
    RequestKind.OTHER: _("Any other question about your personal information."),
}

# A correction, a complaint or a question cannot be answered without its substance.
DETAILS_REQUIRED = {
    RequestKind.CORRECTION: _("Tell us which information is wrong and what it should say instead."),
    RequestKind.COMPLAINT: _("Tell us what happened and what you expect from us."),
    RequestKind.OTHER: _("Write your question."),
}


class PrivacyRightsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you would like to do.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX,
        help_text=_(
            "We send a link to this address to confirm it is yours, then answer you there."
        ),
        error_messages={"required": _("Enter your e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Helps us find information that was sent under your name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=DETAILS_MAX,
        required=False,
        help_text=_(
            "Required for a correction, a complaint or another question. Please do not "
            "write health information that we do not need to answer you."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(guard_form_fields())
        for name in ("kind", "email"):
            self.fields[name].widget.attrs["required"] = True

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in DETAILS_REQUIRED and not (cleaned.get("details") or "").strip():
            self.add_error("details", DETAILS_REQUIRED[RequestKind(kind)])
        return cleaned

    def kind_choices(self) -> list[dict]:
        """Each radio button with its one-line explanation, for the template."""
        help_texts = {str(k): text for k, text in KIND_HELP.items()}
        return [
            {"choice": choice, "help": help_texts.get(str(choice.data["value"]), "")}
            for choice in self["kind"]
        ]

    def guard_names(self) -> tuple[str, ...]:
        return (HONEYPOT_FIELD, STARTED_FIELD, CHALLENGE_FIELD)
