"""The incident register in the Wagtail admin (policy P8, R, X; PHIPA s.12; O. Reg. 329/04
s.6.3): the list, one incident's page with its workflow and timeline, and the dashboard's
overview. Reading needs ``incidents.view_incident``, acting ``incidents.change_incident``
(the Privacy Officer, the AED and the Executive Director: roles.py); every other staff
member gets the 403 page that says why.

The list shows references, codes, dates and counts, never what was written: it is not a
read of personal data. One incident's page shows what happened and the timeline's texts,
which may name people: each opening is an access-log read (csce/audit/reads.py).

Other parts of the register add their panels to an incident's page without touching
this module's view: they append a ``DetailPanel`` to one of ``DETAIL_PANELS``' slots
("scope_panel", "notices_panel") when their module is imported (viewsets.py imports them
all before any request).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets import HeaderButton

from csce.audit.reads import PersonalDataReadMixin
from csce.common.admin_views import (
    AssigneeColumn,
    CaseDetailView,
    NoStoreMixin,
    PermissionRequiredMixin,
)
from csce.common.typography import short_datetime_display

from . import register_forms, services
from .models import (
    DataCategory,
    Incident,
    IncidentKind,
    IncidentStatus,
    IpcSituation,
)

VIEW_PERMISSION = "incidents.view_incident"
CHANGE_PERMISSION = "incidents.change_incident"

FORBIDDEN_REASON = _(
    "The incident register is kept by the Privacy Officer, the Assistant Executive Director "
    "and the Executive Director only: what is reported may name people (policy R, need to "
    "know). To report an incident, use “Report an incident” in the menu."
)

# The free texts a list never loads: nothing personal is decrypted for a list.
FREE_TEXT_FIELDS = ("description", "containment", "root_cause", "lessons", "notice_text")


# --- words for the register's facts ---------------------------------------------------


def duration_words(delta: datetime.timedelta) -> str:
    """A span of time as a reader says it: « 2 jours et 3 heures », "5 hours",
    "less than an hour"."""
    hours = max(int(delta.total_seconds() // 3600), 0)
    days, hours = divmod(hours, 24)
    day_words = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    hour_words = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if days and hours:
        return gettext("%(days)s and %(hours)s") % {"days": day_words, "hours": hour_words}
    if days:
        return day_words
    if hours:
        return hour_words
    return gettext("less than an hour")


def time_to_notify_words(incident: Incident) -> str:
    """Policy P8 ("as soon as possible"): from detection to the first notice sent."""
    if not incident.is_breach:
        return gettext("Not a privacy breach")
    if incident.first_notified_at is None:
        return gettext("Not yet")
    return duration_words(incident.first_notified_at - incident.detected_at)


def ipc_words(incident: Incident) -> str:
    """O. Reg. 329/04 s.6.3: what the checklist concluded, in words."""
    must = incident.ipc_must_be_notified
    if must is None:
        return gettext("Checklist not completed")
    if not must:
        return gettext("The IPC need not be notified")
    return gettext("The IPC must be notified")


def ipc_list_words(incident: Incident) -> str:
    """The list's IPC cell: the conclusion and, when the IPC must be notified, whether
    it was."""
    if not incident.is_breach:
        return gettext("Not a privacy breach")
    words = ipc_words(incident)
    if incident.ipc_must_be_notified:
        if incident.ipc_notified_at is None:
            return gettext("%(conclusion)s: not yet notified") % {"conclusion": words}
        return gettext("%(conclusion)s: notified on %(when)s") % {
            "conclusion": words,
            "when": short_datetime_display(incident.ipc_notified_at),
        }
    return words


def _ipc_due_rule() -> Q:
    """Breaches whose checklist says the IPC must be notified and that it was not yet."""
    return Q(
        kind=IncidentKind.PRIVACY_BREACH, ipc_assessed_at__isnull=False, ipc_notified_at=None
    ) & ~Q(ipc_situations=[])


# --- the list --------------------------------------------------------------------------


class MomentColumn(Column):
    def get_value(self, instance):
        return short_datetime_display(super().get_value(instance))


class IpcColumn(Column):
    def get_value(self, instance):
        return ipc_list_words(instance)


class TimeToNotifyColumn(Column):
    def get_value(self, instance):
        return time_to_notify_words(instance)


OPEN, CLOSED, ALL = "open", "closed", "all"
# "All" and "Closed" in this register's words (another app's « Toutes », « Fermée » are
# for requests).
EVERY = pgettext_lazy("incidents", "All")
IPC_DUE, IPC_NOTIFIED, IPC_NOT_REQUIRED, IPC_NOT_ASSESSED = (
    "due",
    "notified",
    "not_required",
    "not_assessed",
)


class IncidentFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=[
            (OPEN, pgettext_lazy("incidents", "Open")),
            (CLOSED, pgettext_lazy("incidents", "Closed")),
            (ALL, _("Open and closed")),
        ],
        empty_label=None,
        method="filter_state",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=IncidentKind.choices, empty_label=EVERY
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=IncidentStatus.choices,
        empty_label=EVERY,
    )
    ipc = django_filters.ChoiceFilter(
        label=_("IPC"),
        choices=[
            (IPC_DUE, _("Must be notified, not yet notified")),
            (IPC_NOTIFIED, _("Notified")),
            (IPC_NOT_REQUIRED, _("Need not be notified")),
            (IPC_NOT_ASSESSED, _("Checklist not completed")),
        ],
        empty_label=EVERY,
        method="filter_ipc",
    )

    class Meta:
        model = Incident
        fields = ["state", "kind", "status", "ipc"]

    def __init__(self, data=None, *args, **kwargs):
        # Open incidents by default; a chosen status shows it whether open or not.
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = ALL if data.get("status") else OPEN
        super().__init__(data, *args, **kwargs)
        self.filters["state"].field.initial = OPEN

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        if value == CLOSED:
            return queryset.filter(status=IncidentStatus.CLOSED)
        return queryset

    def filter_ipc(self, queryset, name, value):
        breaches = queryset.breaches()
        if value == IPC_DUE:
            return breaches.filter(_ipc_due_rule())
        if value == IPC_NOTIFIED:
            return breaches.filter(ipc_notified_at__isnull=False)
        if value == IPC_NOT_REQUIRED:
            return breaches.filter(ipc_assessed_at__isnull=False, ipc_situations=[])
        if value == IPC_NOT_ASSESSED:
            return breaches.filter(ipc_assessed_at=None)
        return queryset


class RegisterPermissionMixin(PermissionRequiredMixin):
    permission = VIEW_PERMISSION
    forbidden_reason = FORBIDDEN_REASON


class IncidentIndexView(RegisterPermissionMixin, NoStoreMixin, BaseListingView):
    """Policy P8, R: every incident with where it stands; no free text, so no read."""

    template_name = "incidents/admin/register/index.html"
    page_title = _("Incidents")
    header_icon = "clipboard-list"
    filterset_class = IncidentFilterSet
    index_url_name = "incidents:index"
    index_results_url_name = "incidents:index_results"
    paginate_by = 50
    verbose_name = _("incident")
    verbose_name_plural = _("incidents")
    columns = [
        TitleColumn("reference", label=_("Reference"), url_name="incidents:detail"),
        Column("get_kind_display", label=_("Kind")),
        Column("get_status_display", label=_("Status")),
        AssigneeColumn("assigned_to", label=_("Owner")),
        # Policy O: the registry's entry (its name, no free text), blank when unlinked.
        Column("online_property", label=_("Online property")),
        MomentColumn("detected_at", label=_("Detected")),
        IpcColumn("ipc", label=_("IPC (privacy breaches)")),
        TimeToNotifyColumn("time_to_notify", label=_("Detection to first notice")),
    ]

    def get_base_queryset(self):
        return (
            Incident.objects.select_related("assigned_to", "online_property")
            .defer(*FREE_TEXT_FIELDS)
            .order_by("-detected_at", "-pk")
        )

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                gettext("Report an incident"),
                url=reverse("incident_report:report"),
                icon_name="warning",
            )
        ]


def register_overview(*, shown: int = 10) -> dict:
    """The dashboard's counts and references (policy P8; O. Reg. 329/04 s.6.3): three
    queries whatever the register holds, no free text."""
    counts = Incident.objects.aggregate(
        open=Count("pk", filter=~Q(status=IncidentStatus.CLOSED)),
        ipc_due=Count("pk", filter=_ipc_due_rule()),
        notifying=Count(
            "pk", filter=Q(kind=IncidentKind.PRIVACY_BREACH, status=IncidentStatus.NOTIFYING)
        ),
    )

    def listed(rule: Q) -> list[dict]:
        return list(
            Incident.objects.filter(rule)
            .order_by("detected_at", "pk")
            .values("pk", "reference", "detected_at")[:shown]
        )

    return {
        "open_count": counts["open"],
        "ipc_due_count": counts["ipc_due"],
        "ipc_due": listed(_ipc_due_rule()),
        "notifying_count": counts["notifying"],
        "notifying": listed(Q(kind=IncidentKind.PRIVACY_BREACH, status=IncidentStatus.NOTIFYING)),
        "shown": shown,
    }


# --- one incident -----------------------------------------------------------------------


@dataclass(frozen=True)
class DetailPanel:
    """A panel another part of the register adds to an incident's page: its template,
    rendered with ``incident``, ``is_breach``, ``is_closed``, ``may_act`` and what
    ``context(request=..., incident=...)`` returns; whether it shows for privacy breaches
    only. A panel that shows a personal value logs its read (csce/audit/reads.py)."""

    template_name: str
    context: Callable[..., dict] | None = None
    breaches_only: bool = True


# The page's slots, in page order: the breach's scope (the people affected), then the
# notices to them. A module appends its DetailPanel when imported.
DETAIL_PANELS: dict[str, list[DetailPanel]] = {"scope_panel": [], "notices_panel": []}


class IncidentDetailView(RegisterPermissionMixin, PersonalDataReadMixin, CaseDetailView):
    template_name = "incidents/admin/register/detail.html"
    header_icon = "clipboard-list"
    personal_object_type = services.OBJECT_TYPE
    action_forms = register_forms.ACTION_FORMS
    case_form_kwarg = "incident"
    action_permission = CHANGE_PERMISSION

    def personal_read_details(self, record) -> dict:
        return {"reason": "incident_register"}

    def case_get(self, **kwargs):
        self.incident = get_object_or_404(
            Incident.objects.select_related(
                "assigned_to", "reported_by", "closed_by", "online_property"
            ),
            pk=kwargs["pk"],
        )
        return self.incident

    def case_url(self) -> str:
        return reverse("incidents:detail", args=[self.incident.pk])

    def action_allowed(self, action: str) -> bool:
        if action in register_forms.BREACH_ACTIONS and not self.incident.is_breach:
            return False
        if self.incident.status == IncidentStatus.CLOSED:
            return action in register_forms.CLOSED_ACTIONS
        return True

    def get_page_title(self):
        return gettext("Incident %(reference)s") % {"reference": self.incident.reference}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("incidents:index"), "label": gettext("Incidents")},
            {"url": "", "label": self.get_page_title()},
        ]

    def action_perform(self, action: str, data: dict):
        user = self.request.user
        incident = self.incident
        try:
            if action == "status":
                services.incident_status_change(
                    incident=incident, status=data["status"], actor=user, note=data["note"]
                )
                message = gettext("Status changed to “%(status)s”.") % {
                    "status": incident.get_status_display()
                }
            elif action == "kind":
                services.incident_kind_change(
                    incident=incident, kind=data["kind"], actor=user, note=data["note"]
                )
                message = gettext("Kind changed to “%(kind)s”.") % {
                    "kind": incident.get_kind_display()
                }
            elif action == "owner":
                services.incident_owner_set(incident=incident, owner=data["owner"], actor=user)
                message = gettext("Owner saved.")
            elif action in services.TEXT_FIELDS:
                services.incident_text_set(
                    incident=incident, field=action, text=data["text"], actor=user
                )
                message = gettext("Saved, with its timeline entry.")
            elif action == "note":
                services.incident_note_add(
                    incident=incident, text=data["text"], actor=user, kind=data["kind"]
                )
                message = gettext("Added to the timeline.")
            elif action == "assess":
                services.breach_assess(
                    incident=incident,
                    actor=user,
                    data_categories=data["data_categories"],
                    health_information=data["health_information"],
                    people_affected=data["people_affected"],
                    phipa_category=data["phipa_category"],
                )
                message = gettext("The breach's facts are saved.")
            elif action == "ipc_checklist":
                services.ipc_checklist_complete(
                    incident=incident, situations=data["situations"], actor=user
                )
                message = ipc_words(incident)
            else:  # ipc_notified
                services.ipc_notified_record(
                    incident=incident,
                    notified_at=data["notified_at"],
                    reference=data["reference"],
                    actor=user,
                )
                message = gettext("The IPC's notification is recorded.")
        except services.IncidentError as error:
            # A change the workflow refuses (the page was out of date): said in words.
            raise ValidationError(
                gettext("This change is not possible as the incident stands now.")
            ) from error
        messages.success(self.request, message)
        return None

    def _panels(self, context) -> dict[str, list[str]]:
        """Each slot's panels, rendered with the request (their forms' CSRF token) and
        their own context beside the incident's: a panel sees only what it is given."""
        incident = self.incident
        shared = {
            "incident": incident,
            "is_breach": incident.is_breach,
            "is_closed": context["is_closed"],
            "may_act": context["may_act"],
        }
        return {
            slot: [
                render_to_string(
                    panel.template_name,
                    {
                        **shared,
                        **(
                            panel.context(request=self.request, incident=incident)
                            if panel.context
                            else {}
                        ),
                    },
                    request=self.request,
                )
                for panel in panels
                if incident.is_breach or not panel.breaches_only
            ]
            for slot, panels in DETAIL_PANELS.items()
        }

    def get_context_data(self, **kwargs):
        # What happened and the timeline may name people: the case view logs the read,
        # once per request (a form sent back with errors shows it again).
        context = super().get_context_data(**kwargs)
        incident = self.incident
        context.update(
            incident=incident,
            is_breach=incident.is_breach,
            is_closed=incident.status == IncidentStatus.CLOSED,
            may_act=self.request.user.has_perm(CHANGE_PERMISSION),
            events=_timeline(incident),
            texts=[
                (context[f"{field}_form"], getattr(incident, field))
                for field in services.TEXT_FIELDS
            ],
            allowed={action: self.action_allowed(action) for action in self.action_forms},
            ipc_conclusion=ipc_words(incident),
            ipc_must_notify=incident.ipc_must_be_notified,
            ipc_situations=[IpcSituation(s).label for s in incident.ipc_situations or []],
            data_categories=[
                label for value, label in DataCategory.choices if value in incident.data_categories
            ],
            time_to_notify=time_to_notify_words(incident),
        )
        context["panels"] = self._panels(context)
        return context


def _timeline(incident: Incident) -> list:
    """Every entry, oldest first; a status change says from what to what, in words."""
    events = list(incident.events.select_related("actor"))
    labels = dict(IncidentStatus.choices)
    for event in events:
        before, after = event.details.get("from"), event.details.get("to")
        event.status_from = labels.get(before, "") if before else ""
        event.status_to = labels.get(after, "") if after else ""
    return events


urlpatterns: list = [
    path("", IncidentIndexView.as_view(), name="index"),
    path("results/", IncidentIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", IncidentDetailView.as_view(), name="detail"),
]
