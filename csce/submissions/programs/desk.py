"""The front desk of a program session, for program staff (policy P3, P6, F, R).

What the staff of a program's inbox do besides reading the roster: register someone who
telephones or walks in (their oral consent recorded with who heard it), check people in
on the day, write to everyone registered, and cancel or reschedule the session with a
notice to each person in the language they registered in.

Every write is one entry of the access log naming the session and the submission ids,
never a personal value; a screen that shows names writes a reading. E-mails go through
the outbox (the e-mail backend), never to SMTP on the request path.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.registry import notice_version_in_force
from csce.common.typography import datetime_display

from ..models.pages import ProgramPage, ProgramSession
from ..models.records import (
    DataClass,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
    Submission,
    submission_email,
    submission_person_name,
    submission_phone,
)
from .registration import (
    cancel_token_hash_of,
    registration_cancel_url,
    registration_create,
    registration_ics,
    session_join_url,
    session_lock,
    session_registrations,
    session_when,
    session_where,
)

SESSION_TYPE = "submissions.programsession"
ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class FrontDeskError(Exception):
    """A front-desk action that cannot be done; its message is for the staff member."""


# --- the session in every language ---------------------------------------------------


def session_rows(*, session: ProgramSession) -> list[ProgramSession]:
    """The session's row in each language of its program (one key, one pool of places)."""
    return list(
        ProgramSession.objects.filter(
            key=session.key, page__translation_key=session.page.translation_key
        )
        .select_related("page", "page__locale")
        .order_by("pk")
    )


def session_in_language(*, session: ProgramSession, language: str) -> ProgramSession:
    """The row of the session on the program's page in ``language``, else ``session``."""
    for row in session_rows(session=session):
        if row.page.locale.language_code == language:
            return row
    return session


def _revisions_patch(*, rows: list[ProgramSession], values: dict) -> None:
    """Write ``values`` into the session as the pages' latest and live revisions hold it:
    publishing a page restores its sessions from a revision, which would otherwise bring
    back the old date or undo a cancellation."""
    serialised = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    for row in rows:
        page = ProgramPage.objects.select_related("latest_revision", "live_revision").get(
            pk=row.page_id
        )
        seen = set()
        for revision in (page.latest_revision, page.live_revision):
            if revision is None or revision.pk in seen:
                continue
            seen.add(revision.pk)
            changed = False
            for item in (revision.content or {}).get("sessions", []):
                if str(item.get("key")) == str(row.key):
                    item.update(serialised)
                    changed = True
            if changed:
                revision.save(update_fields=["content"])


def _log(*, session: ProgramSession, actor, action: str, submissions=(), **details) -> None:
    access_log_record(
        action=AccessAction.CONTENT_ACTION,
        actor=actor,
        object_type=SESSION_TYPE,
        object_id=session.pk,
        details={
            "front_desk": action,
            "page_id": session.page_id,
            "submissions": sorted(submissions),
            **details,
        },
    )


def desk_read_log(*, session: ProgramSession, actor, submissions, screen: str) -> None:
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=SESSION_TYPE,
        object_id=session.pk,
        details={"page_id": session.page_id, "submissions": sorted(submissions), "screen": screen},
    )


# --- a registration taken by telephone or at the desk -------------------------------


@dataclass(frozen=True)
class DeskRegistrant:
    name: str
    phone: str
    email: str
    language: str
    channel: str


def _answer(name: str, label: str, value: str, field_type: str = "singleline") -> dict:
    return {
        "name": name,
        "label": label,
        "field_type": field_type,
        "data_class": DataClass.PERSONAL,
        "value": value,
    }


def registration_by_hand(
    *, session: ProgramSession, person: DeskRegistrant, staff, now=None
) -> Registration:
    """Register someone who telephoned or came in: encrypted like an online registration,
    with a place or a place on the waitlist, and the confirmation e-mail when they gave an
    address. Policy P6: their consent, given orally, is recorded with the staff member who
    heard it and the time."""
    now = now or timezone.now()
    if session.cancelled_at is not None:
        raise FrontDeskError(_("This session is cancelled: it takes no registration."))
    if session.ends_at <= now:
        raise FrontDeskError(_("This session is over: it takes no registration."))
    row = session_in_language(session=session, language=person.language)
    page = row.page.specific
    with translation.override(person.language):
        answers = [_answer("nom", _("Name"), person.name)]
        if person.phone:
            answers.append(_answer("telephone", _("Telephone"), person.phone))
        if person.email:
            answers.append(_answer("courriel", _("E-mail"), person.email, "email"))
    submission = Submission(
        page=page,
        form_title=page.title[:255],
        kind=page.form_kind,
        inbox_id=page.inbox_id,
        language=person.language,
        created_at=now,
        expires_at=now + datetime.timedelta(days=page.retention_days),
        answers=answers,
        consent_given=True,
        consent_version=page.consent_version,
        consent_at=now,
        notice_version=notice_version_in_force(language=person.language),
    )
    with transaction.atomic():
        submission.save()
        registration = registration_create(submission=submission, session_id=row.pk, now=now)
        registration.channel = person.channel
        registration.consent_taken_by = staff
        registration.save(update_fields=["channel", "consent_taken_by"])
        _log(
            session=session,
            actor=staff,
            action="registration_added",
            submissions=[submission.pk],
            channel=person.channel,
            status=registration.status,
            consent="oral",
        )
    return registration


# --- attendance ------------------------------------------------------------------------


def attendance_people(*, session: ProgramSession) -> list[dict]:
    """Everyone with a place, in order of arrival, with what the check-in screen shows."""
    return session_recipients(session=session, include_waitlist=False)


def attendance_mark(
    *, session: ProgramSession, registration_id: int, present: bool | None, staff, now=None
) -> Registration:
    """Mark one registered person present or absent (None: not marked yet)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            session_registrations(session=session)
            .select_for_update()
            .filter(pk=registration_id, status=RegistrationStatus.REGISTERED)
            .first()
        )
        if registration is None:
            raise FrontDeskError(_("This person is not registered in this session."))
        registration.attended = present
        registration.attendance_at = now if present is not None else None
        registration.attendance_by = staff if present is not None else None
        registration.save(update_fields=["attended", "attendance_at", "attendance_by"])
        _log(
            session=session,
            actor=staff,
            action="attendance_marked",
            submissions=[registration.submission_id],
            present=present,
        )
    return registration


# --- e-mails to the people of a session ---------------------------------------------


def session_recipients(*, session: ProgramSession, include_waitlist: bool) -> list[dict]:
    """The people a message reaches: those with a place (and, if asked, those waiting),
    each with their language and address ("" without one: to be called)."""
    statuses = list(ACTIVE) if include_waitlist else [RegistrationStatus.REGISTERED]
    registrations = (
        session_registrations(session=session)
        .filter(status__in=statuses, submission__purged_at__isnull=True)
        .select_related("submission", "session__page")
        .order_by("position", "pk")
    )
    people = []
    for registration in registrations:
        answers = registration.submission.answers or []
        people.append(
            {
                "registration": registration,
                "name": submission_person_name(answers=answers),
                "phone": submission_phone(answers=answers),
                "email": submission_email(answers=answers),
                "language": registration.submission.language,
            }
        )
    return people


def _language_of(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def _notice_send(
    *,
    registration: Registration,
    kind: str,
    extra: dict | None = None,
    nonce: str = "",
    calendar: bool = False,
) -> int:
    """One e-mail to one person of the session, in their language, through the outbox."""
    registration = (
        Registration.objects.select_related("submission", "session__page")
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None or registration.session is None or registration.submission.is_purged:
        return 0
    address = submission_email(answers=registration.submission.answers or [])
    if not address:
        return 0
    session = registration.session
    with translation.override(_language_of(registration.submission.language)):
        context = {
            "program": session.page.title,
            "when": session_when(session=session),
            "where": session_where(session=session),
            "join_url": session_join_url(session=session),
            "cancel_url": (
                registration_cancel_url(registration=registration, nonce=nonce) if nonce else ""
            ),
        }
        for name, value in (extra or {}).items():
            # Dates in the person's language (« mardi 12 janvier 2027 à 18 h 30 »).
            is_moment = isinstance(value, datetime.datetime)
            context[name] = datetime_display(value, weekday=True) if is_moment else value
        subject = render_to_string(f"submissions/email/session_{kind}_subject.txt", context)
        body = render_to_string(f"submissions/email/session_{kind}_body.txt", context)
        # One line (no header injection), keeping the no-break spaces of French.
        subject = re.sub(r"\s*[\r\n]+\s*", " ", subject.strip())
        message = EmailMessage(subject=subject, body=body, to=[address])
        if calendar:
            message.attach(
                _("session.ics"), registration_ics(registration=registration), "text/calendar"
            )
    return message.send()


@dataclass
class MessageTexts:
    """What staff write, in each language: {"fr": (subject, body), "en": (...)}."""

    texts: dict[str, tuple[str, str]]


def session_message_send(
    *, session: ProgramSession, texts: MessageTexts, include_waitlist: bool, staff
) -> dict:
    """E-mail the session's people, each the text of their language; returns who was
    written to and who has no address (to be called)."""
    people = session_recipients(session=session, include_waitlist=include_waitlist)
    sent, without = [], []
    for person in people:
        if not person["email"]:
            without.append(person)
            continue
        language = _language_of(person["language"])
        subject, body = texts.texts[language]
        _notice_send(
            registration=person["registration"],
            kind="message",
            extra={"subject": subject, "message": body},
        )
        sent.append(person)
    _log(
        session=session,
        actor=staff,
        action="message_sent",
        submissions=[p["registration"].submission_id for p in sent],
        without_email=len(without),
        include_waitlist=include_waitlist,
    )
    return {"sent": sent, "without_email": without}


# --- cancelling and rescheduling a session --------------------------------------------


def session_cancel(*, session: ProgramSession, staff, now=None) -> list[Registration]:
    """Cancel the session in every language: it leaves the public form, everyone with a
    place or waiting is cancelled (kept apart as the session's cancelled list) and told,
    in their language. Returns the cancelled registrations."""
    now = now or timezone.now()
    with transaction.atomic():
        session = session_lock(session=session)
        if session.cancelled_at is not None:
            raise FrontDeskError(_("This session is already cancelled."))
        rows = session_rows(session=session)
        ProgramSession.objects.filter(pk__in=[r.pk for r in rows]).update(cancelled_at=now)
        _revisions_patch(rows=rows, values={"cancelled_at": now})
        cancelled = list(
            session_registrations(session=session)
            .select_for_update()
            .filter(status__in=list(ACTIVE))
            .order_by("position", "pk")
        )
        for registration in cancelled:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.cancel_token_hash = ""
            registration.cancelled_with_session = True
            registration.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancel_token_hash",
                    "cancelled_with_session",
                ]
            )
            transaction.on_commit(
                lambda r=registration: _notice_send(registration=r, kind="cancelled")
            )
        _log(
            session=session,
            actor=staff,
            action="session_cancelled",
            submissions=[r.submission_id for r in cancelled],
        )
    session.refresh_from_db()
    return cancelled


def session_reschedule(
    *,
    session: ProgramSession,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    staff,
    now=None,
) -> list[Registration]:
    """Move the session in every language and tell each person, in their language, the
    new date and time (with a new calendar file for those with a place and a new cancel
    link: the old one named the old date). Returns the registrations told."""
    now = now or timezone.now()
    if starts_at <= now:
        raise FrontDeskError(_("The new date must be in the future."))
    if ends_at <= starts_at:
        raise FrontDeskError(_("A session ends after it starts."))
    with transaction.atomic():
        session = session_lock(session=session)
        if session.cancelled_at is not None:
            raise FrontDeskError(_("This session is cancelled: it cannot be moved."))
        previous = session.starts_at
        rows = session_rows(session=session)
        ProgramSession.objects.filter(pk__in=[r.pk for r in rows]).update(
            starts_at=starts_at, ends_at=ends_at
        )
        _revisions_patch(rows=rows, values={"starts_at": starts_at, "ends_at": ends_at})
        told = list(
            session_registrations(session=session)
            .select_for_update()
            .filter(status__in=list(ACTIVE))
            .order_by("position", "pk")
        )
        for registration in told:
            nonce = secrets.token_urlsafe(16)
            registration.cancel_token_hash = cancel_token_hash_of(nonce)
            registration.save(update_fields=["cancel_token_hash"])
            transaction.on_commit(
                lambda r=registration, n=nonce: _notice_send(
                    registration=r,
                    kind="rescheduled",
                    nonce=n,
                    extra={"previous": previous},
                    calendar=r.status == RegistrationStatus.REGISTERED,
                )
            )
        _log(
            session=session,
            actor=staff,
            action="session_rescheduled",
            submissions=[r.submission_id for r in told],
            previous_start=previous,
            start=starts_at,
        )
    session.refresh_from_db()
    return told


def session_cancelled_list(*, session: ProgramSession) -> list[dict]:
    """The session's cancelled registrations, kept apart from the active roster."""
    registrations = (
        session_registrations(session=session)
        .filter(status=RegistrationStatus.CANCELLED)
        .select_related("submission")
        .order_by("cancelled_at", "pk")
    )
    return [
        {
            "registration": r,
            "name": submission_person_name(answers=r.submission.answers or []),
            "by_centre": r.cancelled_with_session,
        }
        for r in registrations
    ]


__all__ = [
    "DeskRegistrant",
    "FrontDeskError",
    "MessageTexts",
    "RegistrationChannel",
    "attendance_mark",
    "attendance_people",
    "registration_by_hand",
    "session_cancel",
    "session_cancelled_list",
    "session_message_send",
    "session_recipients",
    "session_reschedule",
]
