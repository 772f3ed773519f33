"""Registrations per session for program staff: sessions with their places, and each
session's roster as a screen and an attendance sheet (CSV) (policy P3, F).

Need to know: a program's sessions and rosters are shown to the members of its inbox
(superusers: break-glass); anyone else gets a real 403. A roster shows names and
e-mails decrypted from the submissions, so each reading and each download is written
to the access log with the session and the submission ids, never a personal value.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.admin_views import forbidden, need_to_know
from csce.common.http import no_store

from ..inbox.exports import spreadsheet_cell
from ..inbox.selectors import INBOX_FORBIDDEN_REASON, user_in_inbox, user_inbox_ids
from ..models.pages import ProgramPage, ProgramSession
from ..models.records import (
    Registration,
    RegistrationStatus,
    submission_email,
    submission_person_name,
    submission_phone,
)
from .desk import session_cancelled_list
from .desk_views import (
    CancelSessionView,
    CheckInView,
    DeskRegistrationView,
    MessageView,
    RescheduleView,
)
from .registration import session_place_counts, session_registrations, session_when, session_where

SESSION_TYPE = "submissions.programsession"


# --- reads -----------------------------------------------------------------------------


@dataclass
class SessionSummary:
    session: ProgramSession
    registered: int
    waitlisted: int

    @property
    def when(self) -> str:
        return session_when(session=self.session)

    @property
    def where(self) -> str:
        return session_where(session=self.session)

    @property
    def places_left(self) -> int:
        return max(self.session.capacity - self.registered, 0)


@dataclass
class ProgramSummary:
    page: ProgramPage
    sessions: list[SessionSummary]


@dataclass
class RosterEntry:
    registration: Registration
    number: int  # 1 for the first registered person, or the first in line
    name: str
    email: str
    phone: str = ""

    @property
    def attendance(self) -> str:
        """What the attendance sheet's "Present" column says, from the check-in."""
        attended = self.registration.attended
        if attended is None:
            return ""
        return gettext("yes") if attended else gettext("no")

    @property
    def submission_id(self) -> int:
        return self.registration.submission_id


def programs_for_user(*, user) -> list[ProgramSummary]:
    """The programs whose inbox the user is in (every one for a superuser), each once,
    in the active language when it is translated, with its sessions and their places.

    Three queries, however many programs and sessions.
    """
    if not user.is_active:
        return []
    pages = ProgramPage.objects.select_related("locale").order_by("title", "pk")
    if not user.is_superuser:
        pages = pages.filter(inbox_id__in=list(user_inbox_ids(user=user)))
    language = translation.get_language() or ""
    chosen: dict = {}
    for page in pages:
        # A program and its translations share one pool of places: shown once.
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[page.translation_key] = page
    sessions = list(
        ProgramSession.objects.filter(page__in=list(chosen.values()))
        .select_related("page")
        .order_by("starts_at", "pk")
    )
    counts = session_place_counts(sessions=sessions)
    by_page: dict[int, list[SessionSummary]] = {}
    for session in sessions:
        by_page.setdefault(session.page_id, []).append(
            SessionSummary(
                session=session,
                registered=counts[session.pk][RegistrationStatus.REGISTERED],
                waitlisted=counts[session.pk][RegistrationStatus.WAITLISTED],
            )
        )
    programs = [ProgramSummary(page=p, sessions=by_page.get(p.pk, [])) for p in chosen.values()]
    return sorted(programs, key=lambda program: program.page.title.casefold())


def session_roster(*, session: ProgramSession, user) -> dict[str, list[RosterEntry]]:
    """The people of one session, every language together: those with a place, then the
    waitlist, each in order of arrival. Only items of the user's inboxes are listed."""
    registrations = (
        session_registrations(session=session)
        .filter(status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED])
        .select_related("submission")
        .order_by("position", "pk")
    )
    if not user.is_superuser:
        registrations = registrations.filter(
            submission__inbox_id__in=list(user_inbox_ids(user=user))
        )
    roster: dict[str, list[RosterEntry]] = {
        RegistrationStatus.REGISTERED: [],
        RegistrationStatus.WAITLISTED: [],
    }
    for registration in registrations:
        answers = registration.submission.answers or []
        entries = roster[registration.status]
        entries.append(
            RosterEntry(
                registration=registration,
                number=len(entries) + 1,
                name=submission_person_name(answers=answers),
                email=submission_email(answers=answers),
                phone=submission_phone(answers=answers),
            )
        )
    return roster


def _roster_log(*, action, session: ProgramSession, roster: dict, actor, **details) -> None:
    ids = [entry.submission_id for entries in roster.values() for entry in entries]
    access_log_record(
        action=action,
        actor=actor,
        object_type=SESSION_TYPE,
        object_id=session.pk,
        details={"page_id": session.page_id, "submissions": ids, **details},
    )


def session_roster_read(*, session: ProgramSession, user) -> dict[str, list[RosterEntry]]:
    """The roster, with its reading written to the access log (policy F)."""
    roster = session_roster(session=session, user=user)
    _roster_log(action=AccessAction.PERSONAL_DATA_READ, session=session, roster=roster, actor=user)
    return roster


def session_roster_csv(*, session: ProgramSession, user) -> str:
    """The roster as an attendance sheet; logged as an export (policy F)."""
    roster = session_roster(session=session, user=user)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext("List"),
            gettext("Order"),
            gettext("Name"),
            gettext("E-mail"),
            gettext("Telephone"),
            gettext("Registered on"),
            gettext("Item number"),
            gettext("Present"),
        ]
    )
    for status, entries in roster.items():
        for entry in entries:
            writer.writerow(
                [
                    RegistrationStatus(status).label,
                    entry.number,
                    spreadsheet_cell(entry.name),
                    spreadsheet_cell(entry.email),
                    spreadsheet_cell(entry.phone),
                    timezone.localtime(entry.registration.created_at).strftime("%Y-%m-%d %H:%M"),
                    entry.submission_id,
                    entry.attendance,
                ]
            )
    _roster_log(
        action=AccessAction.PERSONAL_DATA_EXPORTED,
        session=session,
        roster=roster,
        actor=user,
        format="csv",
    )
    return buffer.getvalue()


# --- views -----------------------------------------------------------------------------


class ProgramSessionsView(WagtailAdminTemplateMixin, TemplateView):
    """Every session of the user's programs, with places taken and the waitlist (no names)."""

    template_name = "submissions/admin/roster/programs.html"
    page_title = _("Registrations per session")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("submissions_admin:index"), "label": gettext("Inboxes")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programs"] = programs_for_user(user=self.request.user)
        return context


class SessionRosterView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "submissions/admin/roster/session.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.session = get_object_or_404(
            ProgramSession.objects.select_related("page"), pk=kwargs["session_id"]
        )
        if not user_in_inbox(user=request.user, inbox_id=self.session.page.inbox_id):
            return forbidden(request, reason=INBOX_FORBIDDEN_REASON)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Roster: %(program)s") % {"program": self.session.page.title}

    def get_page_subtitle(self):
        return session_when(session=self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("submissions_admin:index"), "label": gettext("Inboxes")},
            {
                "url": reverse("submissions_admin:programs"),
                "label": gettext("Registrations per session"),
            },
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        # Names and e-mails: never kept by a browser or a shared cache.
        return no_store(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roster = session_roster(session=self.session, user=self.request.user)
        cancelled = session_cancelled_list(session=self.session)
        # One reading of everything the screen shows, the cancelled list included.
        _roster_log(
            action=AccessAction.PERSONAL_DATA_READ,
            session=self.session,
            roster=roster,
            actor=self.request.user,
            cancelled=[c["registration"].submission_id for c in cancelled],
        )
        counts = session_place_counts(sessions=[self.session])[self.session.pk]
        context.update(
            {
                "session": self.session,
                "summary": SessionSummary(
                    session=self.session,
                    registered=counts[RegistrationStatus.REGISTERED],
                    waitlisted=counts[RegistrationStatus.WAITLISTED],
                ),
                "registered": roster[RegistrationStatus.REGISTERED],
                "waitlisted": roster[RegistrationStatus.WAITLISTED],
                "cancelled": cancelled,
                "desk": {
                    name: reverse(f"submissions_admin:session_{name}", args=[self.session.pk])
                    for name in ("add", "check_in", "message", "cancel", "reschedule")
                },
                "export_url": reverse(
                    "submissions_admin:session_roster_export", args=[self.session.pk]
                ),
            }
        )
        return context


@login_required
@need_to_know(reason=INBOX_FORBIDDEN_REASON)
def session_roster_export_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(ProgramSession.objects.select_related("page"), pk=session_id)
    if not user_in_inbox(user=request.user, inbox_id=session.page.inbox_id):
        raise PermissionDenied
    content = session_roster_csv(session=session, user=request.user)
    # A byte-order mark, so that spreadsheet programs read the accents right.
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    day = timezone.localtime(session.starts_at).date().isoformat()
    filename = f"roster-{session.pk}-{day}-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


def roster_urlpatterns():
    """Routes of the registrations per session, wired by the inbox viewset."""
    return [
        path("programs/", ProgramSessionsView.as_view(), name="programs"),
        path(
            "programs/sessions/<int:session_id>/",
            SessionRosterView.as_view(),
            name="session_roster",
        ),
        path(
            "programs/sessions/<int:session_id>/csv/",
            session_roster_export_view,
            name="session_roster_export",
        ),
        # The front desk (programs/desk.py): same need to know as the roster.
        path(
            "programs/sessions/<int:session_id>/add/",
            DeskRegistrationView.as_view(),
            name="session_add",
        ),
        path(
            "programs/sessions/<int:session_id>/check-in/",
            CheckInView.as_view(),
            name="session_check_in",
        ),
        path(
            "programs/sessions/<int:session_id>/message/",
            MessageView.as_view(),
            name="session_message",
        ),
        path(
            "programs/sessions/<int:session_id>/cancel/",
            CancelSessionView.as_view(),
            name="session_cancel",
        ),
        path(
            "programs/sessions/<int:session_id>/reschedule/",
            RescheduleView.as_view(),
            name="session_reschedule",
        ),
    ]
