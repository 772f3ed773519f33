"""Service registration: places, waitlist, e-mails and cancel links (policy P3).

A registration is a submission of a ProgramPage plus a Registration row that holds its
session and its place. The visitor's address is read from the encrypted answers only
to send them their own e-mails, which never contain any of their answers (policy P6).

Places are counted under a lock on the session row (``select_for_update``): on
PostgreSQL two visitors taking the last place wait for each other; on SQLite the
submission is already written when the place is counted, so the transaction holds the
database's single write lock and registrations are serialised too.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from csce.common.http import no_store
from csce.common.links import page_public_url, site_record_address
from csce.common.spam import same_origin
from csce.common.typography import date_display, datetime_display, time_display

from ..models.records import (
    PROGRAM_CANCEL_PARAMETER,
    PROGRAM_SESSION_FIELD,
    DataClass,
    FormKind,
    Registration,
    RegistrationStatus,
    Submission,
    submission_email,
)
from .calendar import CalendarEvent, event_ics

logger = logging.getLogger(__name__)

CANCEL_SALT = "csce.submissions.registration.cancel"


class SessionCancelled(Exception):
    """The session was cancelled by the centre: it takes no registration."""


# --- Reading places --------------------------------------------------------------------


# The program's pages and sessions (models/pages.py) are passed in, never imported: the
# page types build on this module (the session choice, the cancel page).


def session_registrations(*, session):
    """The registrations of one session in every language: one pool of places."""
    return Registration.objects.of_session(session)


def session_place_counts(*, sessions, translation_key=None) -> dict[int, dict[str, int]]:
    """Registered and waitlisted people per session, every language together, in one query.

    Sessions of several programs at once need their ``page`` loaded (select_related);
    one program's sessions may name its ``translation_key`` instead.
    """
    sessions = list(sessions)
    active = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    rows = Registration.objects.filter(
        session__key__in=[s.key for s in sessions], status__in=active
    )
    if translation_key is not None:
        rows = rows.filter(session__page__translation_key=translation_key)
    counts: dict[tuple, int] = {}
    for row in rows.values("session__key", "session__page__translation_key", "status").annotate(
        people=Count("pk")
    ):
        counts[(row["session__page__translation_key"], row["session__key"], row["status"])] = row[
            "people"
        ]
    return {
        s.pk: {
            status: counts.get((translation_key or s.page.translation_key, s.key, status), 0)
            for status in active
        }
        for s in sessions
    }


def session_places_taken(*, page: Page, sessions) -> dict[int, int]:
    """Registered (not waitlisted, not cancelled) people per session, in one query."""
    counts = session_place_counts(sessions=sessions, translation_key=page.translation_key)
    return {pk: count[RegistrationStatus.REGISTERED] for pk, count in counts.items()}


def session_places_left(*, session) -> int:
    taken = (
        session_registrations(session=session).filter(status=RegistrationStatus.REGISTERED).count()
    )
    return max(session.capacity - taken, 0)


def session_when(*, session) -> str:
    """Date and times of a session in the active language, in the centre's time zone."""
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = date_display(start, weekday=True)
    if start.date() == end.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": day,
            "start": time_display(start),
            "end": time_display(end),
        }
    return _("%(day)s, %(start)s to %(end_day)s, %(end)s") % {
        "day": day,
        "start": time_display(start),
        "end_day": date_display(end),
        "end": time_display(end),
    }


def session_where(*, session) -> str:
    if session.online and session.location:
        return _("Online (%(location)s)") % {"location": session.location}
    if session.online:
        return _("Online")
    return session.location


def session_join_url(*, session) -> str:
    """The video-call link of an online session, for its registrants only (policy P6)."""
    return session.join_url if session.online and session.join_url else ""


def session_label(*, session, places_left: int | None = None) -> str:
    """What the visitor reads next to a session's radio button."""
    parts = [session_when(session=session)]
    where = session_where(session=session)
    if where:
        parts.append(where)
    if places_left is not None:
        if places_left > 0:
            parts.append(
                ngettext("%(count)d place left", "%(count)d places left", places_left)
                % {"count": places_left}
            )
        else:
            parts.append(_("full: you will be on the waitlist"))
    return " — ".join(parts)


def program_session_form_field(*, page: Page) -> forms.TypedChoiceField:
    """The required session choice of a program's public form (upcoming sessions only)."""
    sessions = page.upcoming_sessions()
    taken = session_places_taken(page=page, sessions=sessions)
    choices = [
        (s.pk, session_label(session=s, places_left=max(s.capacity - taken.get(s.pk, 0), 0)))
        for s in sessions
    ]
    return forms.TypedChoiceField(
        label=_("Session"),
        help_text=_("When a session is full, you are put on its waitlist."),
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a session."),
            "invalid_choice": _("This session is no longer offered: please choose another one."),
        },
    )


# --- Writing places --------------------------------------------------------------------


def session_lock(*, session):
    """Lock the session's rows in every language, always in the same order (no deadlock)."""
    rows = (
        type(session)
        .objects.select_for_update()
        .filter(key=session.key, page__translation_key=session.page.translation_key)
    )
    locked = list(rows.order_by("pk"))
    return next(s for s in locked if s.pk == session.pk)


def cancel_token_hash_of(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def registration_create(
    *, submission: Submission, session_id: int, now: datetime.datetime | None = None
) -> Registration:
    """Give the visitor a place in ``session``, or a place on its waitlist when full."""
    now = now or timezone.now()
    nonce = secrets.token_urlsafe(16)
    with transaction.atomic():
        # A session of the submission's own program page, never another page's.
        session = session_lock(session=submission.page.specific.sessions.get(pk=session_id))
        if session.cancelled_at is not None:
            raise SessionCancelled(session.pk)
        registrations = session_registrations(session=session)
        taken = registrations.filter(status=RegistrationStatus.REGISTERED).count()
        last = registrations.aggregate(last=Max("position"))["last"] or 0
        registration = Registration.objects.create(
            submission=submission,
            session=session,
            status=(
                RegistrationStatus.REGISTERED
                if taken < session.capacity
                else RegistrationStatus.WAITLISTED
            ),
            position=last + 1,
            created_at=now,
            cancel_token_hash=cancel_token_hash_of(nonce),
        )
        # The inbox reads which session was chosen among the answers (no personal data).
        submission.answers = [
            *(submission.answers or []),
            {
                "name": PROGRAM_SESSION_FIELD,
                "label": _("Session"),
                "field_type": "dropdown",
                "data_class": DataClass.GENERAL,
                "value": session_label(session=session),
            },
        ]
        submission.save(update_fields=["answers"])
        kind = "confirmed" if registration.status == RegistrationStatus.REGISTERED else "waitlisted"
        transaction.on_commit(
            lambda: registration_email_send(registration=registration, nonce=nonce, kind=kind)
        )
    return registration


def registration_waitlist_advance(
    *, session, now: datetime.datetime | None = None
) -> list[Registration]:
    """Move people up from the waitlist while the session has free places.

    Call inside a transaction that holds the session row's lock. Each person moved up
    gets their confirmation e-mail once the transaction commits.
    """
    now = now or timezone.now()
    if session.starts_at <= now:
        return []
    promoted = []
    free = session_places_left(session=session)
    waiting = (
        session_registrations(session=session)
        .filter(
            status=RegistrationStatus.WAITLISTED,
            # Someone whose data is being deleted is not moved up (and not e-mailed).
            submission__purged_at__isnull=True,
            submission__expires_at__gt=now,
        )
        .order_by("position", "pk")
    )
    for registration in waiting[:free] if free else []:
        nonce = secrets.token_urlsafe(16)
        registration.status = RegistrationStatus.REGISTERED
        registration.cancel_token_hash = cancel_token_hash_of(nonce)
        registration.save(update_fields=["status", "cancel_token_hash"])
        promoted.append(registration)
        transaction.on_commit(
            lambda r=registration, n=nonce: registration_email_send(
                registration=r, nonce=n, kind="promoted"
            )
        )
    return promoted


def registration_cancel_promoting(
    *, registration: Registration
) -> tuple[Registration, list[Registration]]:
    """Cancel a registration; a freed place goes to the first person on the waitlist.
    Returns the registration and whoever was moved up (often nobody)."""
    now = timezone.now()
    with transaction.atomic():
        session = None
        if registration.session_id:
            session = session_lock(session=registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration, []
        held_a_place = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_token_hash = ""
        registration.save(update_fields=["status", "cancelled_at", "cancel_token_hash"])
        promoted = []
        if held_a_place and session is not None:
            promoted = registration_waitlist_advance(session=session, now=now)
    return registration, promoted


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed place goes to the first person on the waitlist."""
    return registration_cancel_promoting(registration=registration)[0]


# --- Called by the submission services ------------------------------------------------


def registration_from_submission(*, submission: Submission, form) -> Registration | None:
    """The place asked for on a program's form: called by ``submission_create``."""
    if submission.kind != FormKind.REGISTRATION:
        return None
    session_id = form.cleaned_data.get(PROGRAM_SESSION_FIELD)
    if not session_id:
        return None
    return registration_create(submission=submission, session_id=session_id)


def registrations_release(*, submission_ids: list[int]) -> None:
    """Closing, erasing or purging a registration frees its place (policy M): called by
    the submission services inside the transaction that deletes the content."""
    for registration in Registration.objects.filter(submission_id__in=submission_ids).exclude(
        status=RegistrationStatus.CANCELLED
    ):
        registration_cancel(registration=registration)


# --- E-mails to the visitor ------------------------------------------------------------


def registration_cancel_url(*, registration: Registration, nonce: str) -> str:
    token = signing.Signer(salt=CANCEL_SALT).sign_object({"r": registration.pk, "n": nonce})
    page = registration.session.page
    return f"{page_public_url(page)}?{urlencode({PROGRAM_CANCEL_PARAMETER: token})}"


def registration_ics(*, registration: Registration) -> str:
    session = registration.session
    page = session.page
    host = site_record_address(settings.SITE_URL)[0]
    return event_ics(
        event=CalendarEvent(
            uid=f"registration-{registration.pk}@{host}",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            summary=page.title,
            location=session_where(session=session),
            description=session_join_url(session=session),
            url=page_public_url(page),
        )
    )


def registration_email_send(*, registration: Registration, nonce: str, kind: str) -> int:
    """E-mail the visitor, in the language they registered in: ``confirmed`` and
    ``promoted`` with the calendar file, ``waitlisted`` with their place in line."""
    registration = (
        Registration.objects.select_related("submission", "session__page")
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None or registration.session is None:
        return 0
    submission = registration.submission
    if submission.is_purged:
        return 0
    address = submission_email(answers=submission.answers or [])
    if not address:
        return 0
    session = registration.session
    with translation.override(submission.language):
        context = {
            "program": session.page.title,
            "when": session_when(session=session),
            "where": session_where(session=session),
            "cancel_url": registration_cancel_url(registration=registration, nonce=nonce),
            "place": registration.waitlist_place,
            "cancel_until": datetime_display(session.starts_at),
            "join_url": session_join_url(session=session),
        }
        subject = render_to_string(
            f"submissions/email/registration_{kind}_subject.txt", context
        ).strip()
        body = render_to_string(f"submissions/email/registration_{kind}_body.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[address])
        if kind in ("confirmed", "promoted"):
            message.attach(
                _("session.ics"), registration_ics(registration=registration), "text/calendar"
            )
    try:
        return message.send()
    except OSError as exc:
        # The place is kept; the inbox staff see the registration even without the e-mail.
        logger.warning("registration e-mail not sent: %s", type(exc).__name__)
        return 0


# --- The public cancel page ------------------------------------------------------------


def registration_for_token(*, page: Page, token: str, now=None) -> Registration | None:
    """The registration a cancel link names, if the link is genuine, unused and the
    session has not started yet (the link expires at the session's start)."""
    now = now or timezone.now()
    try:
        data = signing.Signer(salt=CANCEL_SALT).unsign_object(token)
        registration_id, nonce = int(data["r"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    registration = (
        Registration.objects.select_related("session", "submission")
        .filter(pk=registration_id, submission__page_id=page.pk)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if (
        registration is None
        or registration.session is None
        or not registration.cancel_token_hash
        or not secrets.compare_digest(registration.cancel_token_hash, cancel_token_hash_of(nonce))
        or registration.session.starts_at <= now
    ):
        return None
    return registration


def registration_cancel_view(request: HttpRequest, *, page: Page, token: str) -> HttpResponse:
    """GET shows what would be cancelled and a button; POST (from our origin) cancels."""
    registration = registration_for_token(page=page, token=token)
    context = page.get_context(request)
    context["state"] = "confirm"
    status = 200
    if registration is None:
        context["state"] = "invalid"
        status = 404
    elif request.method == "POST":
        if same_origin(request):
            _cancelled, promoted = registration_cancel_promoting(registration=registration)
            context["state"] = "cancelled"
            # Say the place goes to someone only when someone was waiting for it.
            context["place_passed_on"] = bool(promoted)
        else:
            context["form_notice"] = _("Please use the button on this page to cancel.")
            status = 403
    if registration is not None:
        context["when"] = session_when(session=registration.session)
        context["where"] = session_where(session=registration.session)
        if context["state"] == "confirm":
            # The cancel link is personal: its page may show the session's join link.
            context["join_url"] = session_join_url(session=registration.session)
    response = TemplateResponse(
        request, "submissions/program_registration_cancel.html", context, status=status
    )
    # The page is reached through a personal link: never kept by a cache.
    return no_store(response)
