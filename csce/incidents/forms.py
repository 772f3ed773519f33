"""The incidents app's forms. Each part of the app keeps its forms under its own heading."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Incident, IncidentKind

# --- Report (policy R, X, P8) -----------------------------------------------------------

# What happened: enough for a long account, bounded so a pasted log cannot fill the
# database (policy M).
DESCRIPTION_MAX_LENGTH = 10_000
PROPERTY_MAX_LENGTH = Incident._meta.get_field("property_name").max_length
PROPERTY_OTHER = "other"


def registered_properties():
    """The online-property registry's entries, through the incident's link to it (the
    registry's own app is not imported here)."""
    model = Incident._meta.get_field("online_property").related_model
    return model.objects.order_by("sort_order", "name", "pk")


# Each kind in the reporter's words: what it covers, with everyday examples.
KIND_EXPLANATIONS = {
    IncidentKind.SECURITY: _(
        "Someone reached an account, a computer or a website who should not have; a "
        "password was shared, stolen or guessed; a suspicious link or attachment was "
        "opened; a device was lost or stolen."
    ),
    IncidentKind.PRIVACY_BREACH: _(
        "Personal information was seen, sent, lost, stolen or changed by or for someone "
        "who should not have had it: an e-mail or a list sent to the wrong person, a file "
        "shared publicly, a form's answers left open."
    ),
    IncidentKind.POLICY_VIOLATION: _(
        "Something was done against the online property policy: a tool or account used "
        "without approval, content published without approval, information kept longer "
        "than allowed."
    ),
    IncidentKind.CONDUCT: _(
        "Harassment, discrimination, defamation, spam or malicious content on one of the "
        "centre's websites or social media accounts, by a visitor or a staff member."
    ),
    IncidentKind.OTHER: _(
        "Anything else that worries you. Report it anyway: the people who keep the "
        "register decide what it is."
    ),
}


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, which takes and gives ISO values whatever the
    language (2026-03-14T09:30)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class IncidentReportForm(forms.Form):
    """What a staff member reports: the kind, what happened, when, and where."""

    kind = forms.ChoiceField(
        label=_("What kind of incident is it?"),
        choices=IncidentKind.choices,
        widget=forms.RadioSelect,
        help_text=_("If you are not sure, choose the closest one or “Other”."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you saw or did, who or what was involved, and what has already been done. "
            "Only the Privacy Officer, the Assistant Executive Director and the Executive "
            "Director can read it."
        ),
    )
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        required=False,
        widget=DateTimeLocalInput,
        help_text=_("An approximate date and time is fine."),
    )
    occurred_unknown = forms.BooleanField(label=_("I don't know when it happened"), required=False)
    # Policy O: the registry's properties, "another" and "none in particular"; the free
    # text says which when it is another (or adds to the chosen one).
    online_property = forms.ChoiceField(
        label=_("Which website or account?"),
        required=False,
        help_text=_("Optional: the centre's website or social media account concerned."),
    )
    property_name = forms.CharField(
        label=_("If another, which one?"),
        max_length=PROPERTY_MAX_LENGTH,
        required=False,
        help_text=_(
            "The website, account or online tool concerned, in your own words, when it is "
            "not in the list."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered = {str(p.pk): p for p in registered_properties()}
        self.fields["online_property"].choices = [
            ("", _("None in particular, or I don't know")),
            *[(pk, prop.name) for pk, prop in self.registered.items()],
            (PROPERTY_OTHER, _("Another website, account or tool")),
        ]

    def kind_choices(self) -> list[dict]:
        """The radio buttons with their explanation, for a fieldset the template draws."""
        return [
            {"choice": choice, "explanation": KIND_EXPLANATIONS[choice.data["value"]]}
            for choice in self["kind"]
        ]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data.get("occurred_at")
        if occurred_at is not None and occurred_at > timezone.now():
            raise forms.ValidationError(
                _("This moment is in the future: give when it happened, or tick “I don't know”.")
            )
        return occurred_at

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("online_property") or ""
        text = (cleaned.get("property_name") or "").strip()
        cleaned["registered_property"] = self.registered.get(chosen)
        if chosen == PROPERTY_OTHER and not text:
            self.add_error("property_name", _("Say which website, account or tool it is."))
        elif cleaned["registered_property"] is not None and not text:
            # The name stays with the incident if the property leaves the registry.
            cleaned["property_name"] = cleaned["registered_property"].name[:PROPERTY_MAX_LENGTH]
        if cleaned.get("occurred_unknown") and cleaned.get("occurred_at"):
            self.add_error(
                "occurred_at",
                _("Give when it happened or tick “I don't know when it happened”, not both."),
            )
        return cleaned

    def errors_described(self) -> None:
        """Each field with an error is marked invalid and described by its message (WCAG
        3.3.1), the message's id being the one the template gives it."""
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            described = [f"{self[name].auto_id}-error"]
            if self.fields[name].help_text:
                described.append(f"{self[name].auto_id}-helptext")
            widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})
