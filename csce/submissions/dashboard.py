"""What the inbox staff see first on the admin's home (policy R: respond promptly).

Communications and Program staff start their day with their inboxes' new and overdue
items (overdue by the business-day rule of the first response) and the program sessions
held today with their registrant counts. Counts, form titles, dates and places only:
no visitor's name or words, so nothing here is a read of personal data (policy F).
Each panel runs a fixed number of bounded queries, whatever the inboxes hold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.utils import timezone, translation
from wagtail.admin.ui.components import Component

from csce.common.roles import COMMUNICATIONS, PROGRAM_STAFF, ROLE_LABELS

from .inbox.selectors import inbox_group_ids, overdue_filter, user_inbox_ids
from .models.pages import ProgramSession
from .models.records import Submission, SubmissionStatus
from .programs.registration import session_place_counts
from .programs.roster import SessionSummary

# The roles whose day starts with their inboxes and today's sessions (the Privacy
# Officer's inbox has its own panel, with the privacy requests).
DASHBOARD_ROLES = (COMMUNICATIONS, PROGRAM_STAFF)
# At most this many overdue items and sessions are listed; the counts say the rest.
OVERDUE_SHOWN = 5
SESSIONS_SHOWN = 20


def dashboard_inboxes(*, user) -> list[Group]:
    """The user's inboxes among the dashboard roles' groups (none for other roles)."""
    if not user.is_active:
        return []
    ids = user_inbox_ids(user=user) & inbox_group_ids()
    return list(Group.objects.filter(pk__in=ids, name__in=DASHBOARD_ROLES).order_by("name"))


def user_has_dashboard_role(*, user) -> bool:
    return user.is_active and user.groups.filter(name__in=DASHBOARD_ROLES).exists()


@dataclass
class InboxLine:
    group: Group
    new: int
    overdue: int

    @property
    def label(self) -> str:
        return str(ROLE_LABELS.get(self.group.name, self.group.name))


def inbox_overview(*, inboxes: list[Group], now: datetime.datetime | None = None) -> dict:
    """New and overdue items per inbox in one query, and the oldest overdue ones."""
    now = now or timezone.now()
    ids = [group.pk for group in inboxes]
    rows = Submission.objects.filter(inbox_id__in=ids).order_by()
    counts = {
        row["inbox_id"]: row
        for row in rows.values("inbox_id").annotate(
            new=Count("pk", filter=Q(status=SubmissionStatus.NEW)),
            overdue=Count("pk", filter=overdue_filter(now=now)),
        )
    }
    lines = [
        InboxLine(
            group=group,
            new=counts.get(group.pk, {}).get("new", 0),
            overdue=counts.get(group.pk, {}).get("overdue", 0),
        )
        for group in inboxes
    ]
    overdue = list(
        Submission.objects.filter(overdue_filter(now=now), inbox_id__in=ids)
        .select_related("inbox")
        .only("pk", "form_title", "created_at", "due_at", "inbox__name")
        .order_by("due_at", "pk")[:OVERDUE_SHOWN]
    )
    return {
        "lines": lines,
        "new_total": sum(line.new for line in lines),
        "overdue_total": sum(line.overdue for line in lines),
        "overdue": overdue,
    }


@dataclass
class TodaySession(SessionSummary):
    may_read_roster: bool


def sessions_today(*, user, now: datetime.datetime | None = None) -> list[TodaySession]:
    """The sessions held today, each once (in the admin's language when translated),
    with their registered and waitlisted counts: two queries."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    rows = (
        ProgramSession.objects.filter(starts_at__gte=start, starts_at__lt=end, page__live=True)
        .select_related("page", "page__locale")
        .order_by("starts_at", "pk")[: SESSIONS_SHOWN * 2]
    )
    language = translation.get_language() or ""
    chosen: dict = {}
    for session in rows:
        # A session and its translation share one key and one pool of places.
        current = chosen.get(session.key)
        if current is None or (
            session.page.locale.language_code == language
            and current.page.locale.language_code != language
        ):
            chosen[session.key] = session
    sessions = sorted(chosen.values(), key=lambda s: (s.starts_at, s.pk))[:SESSIONS_SHOWN]
    counts = session_place_counts(sessions=sessions)
    inboxes = user_inbox_ids(user=user)
    return [
        TodaySession(
            session=session,
            registered=counts[session.pk]["registered"],
            waitlisted=counts[session.pk]["waitlisted"],
            may_read_roster=user.is_superuser or session.page.inbox_id in inboxes,
        )
        for session in sessions
    ]


class InboxDashboardPanel(Component):
    """Policy R: the inbox staff's new and overdue items, first thing."""

    name = "inbox_today"
    order = 20
    template_name = "submissions/dashboard/inboxes.html"

    def __init__(self, *, inboxes: list[Group]):
        self.inboxes = inboxes

    def get_context_data(self, parent_context=None):
        return inbox_overview(inboxes=self.inboxes)


class TodaySessionsPanel(Component):
    """The program sessions held today and how many people are expected."""

    name = "sessions_today"
    order = 30
    template_name = "submissions/dashboard/sessions_today.html"

    def __init__(self, *, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"sessions": sessions_today(user=self.user), "shown": SESSIONS_SHOWN}


def inbox_dashboard_panels(request, panels) -> None:
    """The home-page hook: only the dashboard roles get these panels."""
    user = request.user
    if not user_has_dashboard_role(user=user):
        return
    inboxes = dashboard_inboxes(user=user)
    if inboxes:
        panels.append(InboxDashboardPanel(inboxes=inboxes))
    panels.append(TodaySessionsPanel(user=user))
