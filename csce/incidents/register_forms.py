"""The forms of the register's actions on one incident (policy P8, R, X; PHIPA s.12;
O. Reg. 329/04 s.6.3). Each posts back to the incident's page with its ``action``; the
page (register_views.IncidentDetailView) performs it through csce/incidents/services.py.

Refused input comes back with what was typed (status 400): a text longer than its limit,
a null byte (Django's CharField refuses it), an unknown choice, a negative count, an IPC
notification dated in the future.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from csce.common.staff import staff_display_name

from .models import (
    DataCategory,
    EventKind,
    Incident,
    IncidentKind,
    IncidentStatus,
    IpcSituation,
    PhipaCategory,
)
from .services import STATUS_ORDER

# A free text of the register (what was done, why it happened, what was learned).
TEXT_MAX_LENGTH = 10000
NOTE_MAX_LENGTH = 5000
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def register_staff():
    """Who may own an incident: the staff who keep the register (``change_incident``)."""
    users = get_user_model().objects.filter(is_active=True)
    rule = Q(
        groups__permissions__codename="change_incident",
        groups__permissions__content_type__app_label="incidents",
    ) | Q(is_superuser=True)
    return users.filter(rule).distinct().order_by("first_name", "last_name", "username")


def status_choices(current: str) -> list[tuple[str, str]]:
    """Where the incident may go from ``current``: forward in the workflow, or back to
    assessing (new facts); a closed incident is reopened into assessing (policy P8)."""
    if current == IncidentStatus.CLOSED:
        return [(IncidentStatus.ASSESSING.value, _("Reopen (back to assessing)"))]
    at = STATUS_ORDER.index(current)
    assessing = STATUS_ORDER.index(IncidentStatus.ASSESSING)
    choices = []
    if at > assessing:
        choices.append((IncidentStatus.ASSESSING.value, _("Back to assessing")))
    choices += [(s, IncidentStatus(s).label) for s in STATUS_ORDER[at + 1 :]]
    return choices


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_display_name(obj)


class ActionForm(forms.Form):
    action_name = ""
    action = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, incident: Incident | None = None, **kwargs):
        # Several forms on one page: each its own ids, so each label names its field.
        kwargs.setdefault("auto_id", f"id_{self.action_name}_%s")
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.fields["action"].initial = self.action_name


class _ChangeWithNoteForm(ActionForm):
    """A change of one of the incident's choices, with an optional note kept, encrypted, on
    the timeline; the subclass names the field and the choices the incident allows."""

    choice_field = ""
    note_label = _("Reason or note (optional)")
    note = forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept, encrypted, on the timeline."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label
        if self.incident is not None:
            self.fields[self.choice_field].choices = self.choices_for(self.incident)

    def choices_for(self, incident: Incident) -> list[tuple[str, str]]:
        raise NotImplementedError


class StatusForm(_ChangeWithNoteForm):
    action_name = choice_field = "status"
    status = forms.ChoiceField(label=_("New status"), choices=())

    def choices_for(self, incident: Incident) -> list[tuple[str, str]]:
        return status_choices(incident.status)


class KindForm(_ChangeWithNoteForm):
    """What the incident turned out to be (policy P8)."""

    action_name = choice_field = "kind"
    kind = forms.ChoiceField(label=_("It is in fact"), choices=())
    note_label = _("Why (optional)")

    def choices_for(self, incident: Incident) -> list[tuple[str, str]]:
        return [choice for choice in IncidentKind.choices if choice[0] != incident.kind]


class OwnerForm(ActionForm):
    action_name = "owner"
    owner = StaffChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = register_staff()
        if self.incident is not None:
            self.fields["owner"].initial = self.incident.assigned_to_id


class _TextForm(ActionForm):
    """One of the register's free texts: the field keeps the latest, the timeline each."""

    field_name = ""
    text = forms.CharField(max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = capfirst(Incident._meta.get_field(self.field_name).verbose_name)
        if self.incident is not None:
            self.fields["text"].initial = getattr(self.incident, self.field_name)


class ContainmentForm(_TextForm):
    action_name = field_name = "containment"


class RootCauseForm(_TextForm):
    action_name = field_name = "root_cause"


class LessonsForm(_TextForm):
    action_name = field_name = "lessons"


class NoteForm(ActionForm):
    action_name = "note"
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=[
            (EventKind.NOTE.value, _("A note")),
            (EventKind.ACTION.value, _("An action taken")),
        ],
        initial=EventKind.NOTE.value,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept, encrypted, on the timeline."),
    )


# Yes / no / not known, for a nullable yes-or-no fact.
YES, NO, UNKNOWN = "yes", "no", "unknown"
_TRI_STATE = {YES: True, NO: False, UNKNOWN: None}


class AssessmentForm(ActionForm):
    """A privacy breach's facts (PHIPA s.12; the yearly counts of O. Reg. 329/04 s.6.4)."""

    action_name = "assess"
    data_categories = forms.MultipleChoiceField(
        label=_("Information involved"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_information = forms.ChoiceField(
        label=_("Health information involved"),
        choices=[(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("Not known yet"))],
        initial=UNKNOWN,
        widget=forms.RadioSelect,
    )
    people_affected = forms.IntegerField(
        label=_("People affected"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Leave empty while the number is not known."),
    )
    phipa_category = forms.ChoiceField(
        label=_("PHIPA category"),
        choices=[("", _("Not decided yet")), *PhipaCategory.choices],
        required=False,
        help_text=_("The count of the yearly report to the IPC this breach falls under."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.incident
        if incident is not None:
            self.fields["data_categories"].initial = list(incident.data_categories or [])
            self.fields["health_information"].initial = next(
                k for k, v in _TRI_STATE.items() if v is incident.health_information
            )
            self.fields["people_affected"].initial = incident.people_affected
            self.fields["phipa_category"].initial = incident.phipa_category

    def clean_health_information(self):
        return _TRI_STATE[self.cleaned_data["health_information"]]


class IpcChecklistForm(ActionForm):
    """O. Reg. 329/04 s.6.3(1): the seven situations, in their full wording."""

    action_name = "ipc_checklist"
    situations = forms.MultipleChoiceField(
        label=_("Situations that apply"),
        choices=IpcSituation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every situation that applies; any one means the IPC must be notified."),
    )
    confirm = forms.BooleanField(
        label=_("I went through each of the seven situations"),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.incident is not None:
            self.fields["situations"].initial = list(self.incident.ipc_situations or [])


class IpcNotifiedForm(ActionForm):
    action_name = "ipc_notified"
    notified_at = forms.DateTimeField(
        label=_("IPC notified on (the centre's time zone)"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": _("Give a date and a time, e.g. 2027-01-12 09:30.")},
    )
    reference = forms.CharField(label=_("IPC file number"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.incident is not None:
            self.fields["notified_at"].initial = (
                timezone.localtime(self.incident.ipc_notified_at)
                if self.incident.ipc_notified_at
                else None
            )
            self.fields["reference"].initial = self.incident.ipc_reference

    def clean_notified_at(self):
        value = self.cleaned_data["notified_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The date and time cannot be in the future."))
        return value


ACTION_FORMS = {
    form.action_name: form
    for form in (
        StatusForm,
        KindForm,
        OwnerForm,
        ContainmentForm,
        RootCauseForm,
        LessonsForm,
        NoteForm,
        AssessmentForm,
        IpcChecklistForm,
        IpcNotifiedForm,
    )
}

# The actions that concern a privacy breach only.
BREACH_ACTIONS = frozenset({"assess", "ipc_checklist", "ipc_notified"})
# What may still be done on a closed incident: reopen it, add a note, record that the IPC
# was notified (a fact of the record, whenever it is learned).
CLOSED_ACTIONS = frozenset({"status", "note", "ipc_notified"})
