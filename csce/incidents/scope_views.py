"""The register's "people affected" page (policy P8; PHIPA s.12(2)): the officer says
what a privacy breach touched and over which days, and sees whom it resolves to before
anything is sent: the people with an address, the records held without one, and those
already deleted. Nothing is sent from here; the counts are kept with the incident."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.common.admin_views import NoStoreMixin, forbidden
from csce.common.registry import personal_data_registry

from .models import Incident
from .scope import ScopeTargetGroup, breach_scope_resolve, breach_scope_targets
from .services import IncidentError

CHANGE_PERMISSION = "incidents.change_incident"
FORBIDDEN_REASON = _(
    "Finding the people affected by a breach is open only to the Privacy Officer, the "
    "Assistant Executive Director and the Executive Director, who keep the incident register."
)


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BreachScopeForm(forms.Form):
    targets = forms.MultipleChoiceField(
        label=_("What the breach touched"),
        error_messages={
            "required": _("Choose at least one thing the breach touched."),
            "invalid_choice": _("One of the chosen items no longer exists: choose again."),
        },
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=DateInput,
        help_text=_("The first day of the period, included."),
    )
    ends_on = forms.DateField(
        label=_("To"),
        widget=DateInput,
        help_text=_("The last day of the period, included: today at the latest."),
    )

    def __init__(self, *args, groups: list[ScopeTargetGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.fields["targets"].choices = [
            (target.key, target.label) for group in groups for target in group.targets
        ]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        today = timezone.localdate()
        if starts_on and starts_on > today:
            self.add_error("starts_on", gettext("The period cannot start in the future."))
        if ends_on and ends_on > today:
            self.add_error("ends_on", gettext("The period cannot end in the future."))
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The last day of the period comes before the first."))
        return cleaned

    def target_groups(self) -> list[dict]:
        """The targets by source, each with whether it is ticked, for the fieldsets."""
        chosen = set(self["targets"].value() or [])
        number = 0
        groups = []
        for group in self.groups:
            rows = []
            for target in group.targets:
                rows.append(
                    {
                        "key": target.key,
                        "label": target.label,
                        "id": f"id_targets_{number}",
                        "checked": target.key in chosen,
                    }
                )
                number += 1
            groups.append({"label": group.label, "targets": rows})
        return groups


def _source_label(key: str) -> str:
    try:
        return str(personal_data_registry.get(key).label)
    except KeyError:
        return key


def scope_result(scope) -> dict:
    """A stored scope's counts as the page and the register's panel show them: per
    source with its name, and the notes in the reader's language."""
    counts = scope.counts or {}
    language = (translation.get_language() or "fr")[:2]
    return {
        "scope": scope,
        "held": counts.get("held", 0),
        "records": counts.get("records", 0),
        "without_address": counts.get("without_address", 0),
        "purged": counts.get("purged", 0),
        "per_source": sorted(
            (
                {"key": key, "label": _source_label(key), **values}
                for key, values in counts.get("per_source", {}).items()
            ),
            key=lambda row: row["label"].casefold(),
        ),
        "notes": [
            {
                "source": _source_label(note.get("source", "")),
                "text": note.get(language) or note.get("fr", ""),
            }
            for note in counts.get("notes", [])
        ],
    }


class BreachScopeView(NoStoreMixin, WagtailAdminTemplateMixin, TemplateView):
    """Policy P8: the scope of one privacy breach, resolved and shown before any notice."""

    template_name = "incidents/admin/register/scope.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            return forbidden(request, reason=FORBIDDEN_REASON)
        self.incident = get_object_or_404(Incident, pk=kwargs["pk"])
        if not self.incident.is_breach:
            # Only a privacy breach has people to notify (PHIPA s.12(2)).
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("People affected by %(reference)s") % {"reference": self.incident.reference}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("incidents:index"), "label": gettext("Incidents")},
            {"url": "", "label": self.get_page_title()},
        ]

    def _initial(self) -> dict:
        latest = self.incident.scopes.first()
        if latest is None:
            return {}
        return {"targets": latest.targets, "starts_on": latest.starts_on, "ends_on": latest.ends_on}

    def get(self, request, *args, **kwargs):
        form = BreachScopeForm(groups=breach_scope_targets(), initial=self._initial())
        latest = self.incident.scopes.first()
        return self.render_to_response(
            self.get_context_data(form=form, result=scope_result(latest) if latest else None)
        )

    def post(self, request, *args, **kwargs):
        form = BreachScopeForm(request.POST, groups=breach_scope_targets())
        if form.is_valid():
            try:
                scope = breach_scope_resolve(
                    incident=self.incident,
                    targets=form.cleaned_data["targets"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    actor=request.user,
                )
            except IncidentError as error:
                form.add_error(None, str(error))
            else:
                return self.render_to_response(
                    self.get_context_data(form=form, result=scope_result(scope), resolved=True)
                )
        response = self.render_to_response(self.get_context_data(form=form, result=None))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incident"] = self.incident
        return context


urlpatterns: list = [
    path("<int:pk>/scope/", BreachScopeView.as_view(), name="scope"),
]
