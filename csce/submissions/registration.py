"""Service registration: places, waitlist, e-mails and cancel links (issue 4, item 4).

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
import uuid
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Max
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csce.common.links import page_public_url, site_record_address

from .ics import CalendarEvent, event_ics
from .models import (
    PROGRAM_CANCEL_PARAMETER,
    PROGRAM_SESSION_FIELD,
    DataClass,
    FormKind,
    ProgramFormField,
    ProgramPage,
    ProgramSession,
    Registration,
    RegistrationStatus,
    Submission,
)
from .services import (
    submission_content_deleting,
    submission_created,
    submission_email,
)

logger = logging.getLogger(__name__)

CANCEL_SALT = "csce.submissions.registration.cancel"


# --- Reading places --------------------------------------------------------------------


def session_translations(*, session: ProgramSession):
    """The rows of one session in every language of its program: one pool of places."""
    return ProgramSession.objects.filter(
        key=session.key, page__translation_key=session.page.translation_key
    )


def session_registrations(*, session: ProgramSession):
    return Registration.objects.filter(session__in=session_translations(session=session))


def session_place_counts(
    *, sessions, translation_key: uuid.UUID | None = None
) -> dict[int, dict[str, int]]:
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


def session_places_taken(*, page: ProgramPage, sessions) -> dict[int, int]:
    """Registered (not waitlisted, not cancelled) people per session, in one query."""
    counts = session_place_counts(sessions=sessions, translation_key=page.translation_key)
    return {pk: count[RegistrationStatus.REGISTERED] for pk, count in counts.items()}


def session_places_left(*, session: ProgramSession) -> int:
    taken = (
        session_registrations(session=session).filter(status=RegistrationStatus.REGISTERED).count()
    )
    return max(session.capacity - taken, 0)


def session_when(*, session: ProgramSession) -> str:
    """Date and times of a session in the active language, in the centre's time zone."""
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = f"{date_format(start, 'l')} {date_format(start, 'DATE_FORMAT')}"
    if start.date() == end.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": day,
            "start": time_format(start, "TIME_FORMAT"),
            "end": time_format(end, "TIME_FORMAT"),
        }
    return _("%(day)s, %(start)s to %(end_day)s, %(end)s") % {
        "day": day,
        "start": time_format(start, "TIME_FORMAT"),
        "end_day": date_format(end, "DATE_FORMAT"),
        "end": time_format(end, "TIME_FORMAT"),
    }


def session_where(*, session: ProgramSession) -> str:
    if session.online and session.location:
        return _("Online (%(location)s)") % {"location": session.location}
    if session.online:
        return _("Online")
    return session.location


def session_label(*, session: ProgramSession, places_left: int | None = None) -> str:
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


def program_session_form_field(*, page: ProgramPage) -> forms.TypedChoiceField:
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


def registration_waitlist_place(*, registration: Registration) -> int:
    """1 for the first person in line."""
    if registration.session is None:
        return 0
    return (
        session_registrations(session=registration.session)
        .filter(
            status=RegistrationStatus.WAITLISTED,
            position__lte=registration.position,
        )
        .count()
    )


# --- Writing places --------------------------------------------------------------------


def session_lock(*, session: ProgramSession) -> ProgramSession:
    """Lock the session's rows in every language, always in the same order (no deadlock)."""
    pks = list(session_translations(session=session).order_by("pk").values_list("pk", flat=True))
    locked = list(ProgramSession.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    return next(s for s in locked if s.pk == session.pk)


def _token_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def registration_create(
    *, submission: Submission, session_id: int, now: datetime.datetime | None = None
) -> Registration:
    """Give the visitor a place in ``session``, or a place on its waitlist when full."""
    now = now or timezone.now()
    nonce = secrets.token_urlsafe(16)
    with transaction.atomic():
        session = session_lock(
            session=ProgramSession.objects.get(pk=session_id, page_id=submission.page_id)
        )
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
            cancel_token_hash=_token_hash(nonce),
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
    *, session: ProgramSession, now: datetime.datetime | None = None
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
        registration.cancel_token_hash = _token_hash(nonce)
        registration.save(update_fields=["status", "cancel_token_hash"])
        promoted.append(registration)
        transaction.on_commit(
            lambda r=registration, n=nonce: registration_email_send(
                registration=r, nonce=n, kind="promoted"
            )
        )
    return promoted


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed place goes to the first person on the waitlist."""
    now = timezone.now()
    with transaction.atomic():
        session = None
        if registration.session_id:
            session = session_lock(session=registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        held_a_place = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_token_hash = ""
        registration.save(update_fields=["status", "cancelled_at", "cancel_token_hash"])
        if held_a_place and session is not None:
            registration_waitlist_advance(session=session, now=now)
    return registration


# --- Signals from the submission services ----------------------------------------------


@receiver(submission_created, dispatch_uid="registration_on_submission_created")
def _registration_on_submission_created(sender, submission: Submission, form, **kwargs) -> None:
    if submission.kind != FormKind.REGISTRATION:
        return
    session_id = form.cleaned_data.get(PROGRAM_SESSION_FIELD)
    if session_id:
        registration_create(submission=submission, session_id=session_id)


@receiver(submission_content_deleting, dispatch_uid="registration_on_content_deleting")
def _registration_on_content_deleting(sender, ids: list[int], **kwargs) -> None:
    # Closing, erasing or purging a registration frees its place (issue 4, item 4).
    for registration in Registration.objects.filter(submission_id__in=ids).exclude(
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
            "cancel_until": date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT"),
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


def registration_for_token(*, page: ProgramPage, token: str, now=None) -> Registration | None:
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
        or not secrets.compare_digest(registration.cancel_token_hash, _token_hash(nonce))
        or registration.session.starts_at <= now
    ):
        return None
    return registration


def registration_cancel_view(
    request: HttpRequest, *, page: ProgramPage, token: str
) -> HttpResponse:
    """GET shows what would be cancelled and a button; POST (from our origin) cancels."""
    from csce.common.spam import same_origin

    registration = registration_for_token(page=page, token=token)
    context = page.get_context(request)
    context["state"] = "confirm"
    status = 200
    if registration is None:
        context["state"] = "invalid"
        status = 404
    elif request.method == "POST":
        if same_origin(request):
            registration_cancel(registration=registration)
            context["state"] = "cancelled"
        else:
            context["form_notice"] = _("Please use the button on this page to cancel.")
            status = 403
    if registration is not None:
        context["when"] = session_when(session=registration.session)
        context["where"] = session_where(session=registration.session)
    response = TemplateResponse(
        request, "submissions/program_registration_cancel.html", context, status=status
    )
    # The page is reached through a personal link: never kept by a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Demo content ----------------------------------------------------------------------


def program_demo_create(*, parent, now: datetime.datetime | None = None) -> ProgramPage:
    """A published program under ``parent`` (a French services index) and its English
    translation under the parent's, with one roomy session and one of a single place
    (to see the waitlist at work). Returns the French page."""
    from django.contrib.auth.models import Group
    from wagtail.models import Locale

    from csce.accounts.roles import PROGRAM_STAFF

    now = now or timezone.now()
    day = timezone.localtime(now).replace(hour=18, minute=0, second=0, microsecond=0)
    inbox = Group.objects.get(name=PROGRAM_STAFF)
    keys = [uuid.uuid4(), uuid.uuid4()]

    def build(english: bool) -> ProgramPage:
        page = ProgramPage(
            title="Healthy cooking workshop" if english else "Atelier de cuisine santé",
            slug="healthy-cooking-workshop" if english else "atelier-cuisine-sante",
            search_description=(
                "A free two-hour workshop: simple, affordable recipes for the whole family."
                if english
                else "Un atelier gratuit de deux heures : des recettes simples et abordables "
                "pour toute la famille."
            ),
            intro=(
                "<p>Cook with our dietitian: simple, affordable recipes, tasted together. "
                "Free, places are limited; choose a session below.</p>"
                if english
                else "<p>Cuisinez avec notre diététiste : des recettes simples et abordables, "
                "goûtées ensemble. Gratuit, places limitées; choisissez une séance ci-dessous.</p>"
            ),
            purpose=(
                "Registering you for the workshop and reminding you of its date."
                if english
                else "Vous inscrire à l'atelier et vous en rappeler la date."
            ),
            inbox=inbox,
            retention_days=90,
        )
        page.form_fields = [
            ProgramFormField(
                label="Name" if english else "Nom", field_type="singleline", data_class="personal"
            ),
            ProgramFormField(
                label="E-mail" if english else "Courriel",
                field_type="email",
                data_class="personal",
            ),
        ]
        page.sessions = [
            ProgramSession(
                key=keys[0],
                starts_at=day + datetime.timedelta(days=14),
                ends_at=day + datetime.timedelta(days=14, hours=2),
                location="CSCE, salle communautaire",
                capacity=12,
            ),
            ProgramSession(
                key=keys[1],
                starts_at=day + datetime.timedelta(days=21),
                ends_at=day + datetime.timedelta(days=21, hours=1),
                online=True,
                capacity=1,
            ),
        ]
        return page

    french = build(english=parent.locale.language_code == "en")
    parent.add_child(instance=french)
    french.save_revision().publish()
    english_locale = Locale.objects.filter(language_code="en").first()
    english_parent = (
        parent.get_translation_or_none(english_locale)
        if english_locale and parent.locale_id != english_locale.pk
        else None
    )
    if english_parent is not None:
        english = build(english=True)
        english.locale = english_locale
        english.translation_key = french.translation_key
        english_parent.add_child(instance=english)
        english.save_revision().publish()
    return french
