"""The notice to the people affected by a privacy breach (policy P8: as soon as possible;
PHIPA s.12(2): each person is notified at the first reasonable opportunity and told that
they may complain to the Information and Privacy Commissioner).

The officer writes the notice's four parts in each language someone to notify speaks
(``Incident.notice_text``); each person gets it in their own language, through the
outbox (``breach_notices_send``): one ``BreachNotice`` per person and incident, whose
state follows the outbox's row (``breach_notice_states_sync``, daily and on every view
of the notices page, before the outbox forgets the row after ``OUTBOX_RECORD_DAYS``).
Timeline and access-log entries hold counts and ids only, never an address or the text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import AffectedContact
from csce.common.typography import date_display
from csce.outbox.models import OutboxState
from csce.outbox.selectors import outbox_records
from csce.outbox.services import message_enqueue, outbox_message_retry

from .models import (
    BreachNotice,
    BreachScope,
    DataCategory,
    EventKind,
    Incident,
    NoticeState,
)
from .scope import breach_scope_contacts
from .services import incident_event_add

NOTICE_MAIL_KIND = "incidents.notice"
LANGUAGES = ("fr", "en")

# PHIPA s.12(2) and policy P8: what every notice says, in this order. Each part is
# required in every language that someone to notify speaks.
NOTICE_PARTS = [
    ("happened", _("What happened")),
    ("information", _("What information was involved")),
    ("actions", _("What the centre did")),
    ("steps", _("What you can do")),
]
PART_KEYS = [key for key, _label in NOTICE_PARTS]


class NoticeError(ValidationError):
    """A notice that cannot go out, said in the staff member's language."""


def notice_language(language: str) -> str:
    """The language a person's notice goes out in: theirs if the site speaks it."""
    language = (language or "").lower()[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def contacts_languages(contacts: list[AffectedContact]) -> list[str]:
    """The languages spoken by the people to notify, in the site's order."""
    spoken = {notice_language(contact.language) for contact in contacts}
    return [language for language in LANGUAGES if language in spoken]


def notice_text_missing(notice_text: dict, languages) -> dict[str, list[str]]:
    """{language: [part keys left empty]} for each language in ``languages`` whose notice
    is incomplete; empty when every part is written in every language needed."""
    missing = {}
    for language in languages:
        parts = (notice_text or {}).get(language) or {}
        empty = [key for key in PART_KEYS if not str(parts.get(key, "")).strip()]
        if empty:
            missing[language] = empty
    return missing


def notice_text_check(notice_text: dict, languages) -> None:
    """Refuse a notice missing a part in a language someone to notify speaks."""
    missing = notice_text_missing(notice_text, languages)
    if not missing:
        return
    labels = dict(NOTICE_PARTS)
    names = dict(settings.LANGUAGES)
    raise NoticeError(
        [
            gettext("The notice in %(language)s needs: %(parts)s.")
            % {
                "language": gettext(names.get(language, language)).lower(),
                "parts": ", ".join(str(labels[key]).lower() for key in keys),
            }
            for language, keys in missing.items()
        ]
    )


# --- the draft ----------------------------------------------------------------------------


def notice_draft_default(*, incident: Incident) -> dict:
    """A bilingual first draft built from the register's facts, for the officer to edit:
    the date the centre learned of it, the kinds of information involved, what the centre
    does, and what a person may do. Nothing of the incident's free text (it may name
    people, and is written in one language)."""
    categories = dict(DataCategory.choices)
    draft = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels = [
                str(categories[c]).lower() for c in incident.data_categories if c in categories
            ]
            information = (
                gettext("The information involved: %(categories)s.")
                % {"categories": ", ".join(labels)}
                if labels
                else gettext("The information involved: [say which information].")
            )
            draft[language] = {
                "happened": gettext(
                    "On %(date)s, we learned that some of your personal information held by "
                    "the centre may have been seen or used by someone who should not have "
                    "had it. [Say what happened, in plain words.]"
                )
                % {"date": date_display(incident.detected_at, language)},
                "information": information,
                "actions": gettext(
                    "As soon as we learned of it, we stopped the breach and took steps so that "
                    "it does not happen again. [Say what was done.]"
                ),
                "steps": gettext(
                    "Be wary of unexpected messages that mention the centre or ask for your "
                    "personal information. If you have questions, write to our Privacy "
                    "Officer."
                ),
            }
    return draft


def notice_draft_save(*, incident: Incident, notice_text: dict, languages, actor) -> Incident:
    """The officer's notice, saved once each language someone speaks is complete, with
    its timeline entry (which languages, never the text)."""
    cleaned = {
        language: {
            key: str((notice_text.get(language) or {}).get(key, "")).strip() for key in PART_KEYS
        }
        for language in LANGUAGES
    }
    notice_text_check(cleaned, languages)
    with transaction.atomic():
        incident.notice_text = cleaned
        incident.save(update_fields=["notice_text", "updated_at"])
        incident_event_add(
            incident=incident,
            kind=EventKind.NOTICE_DRAFTED,
            actor=actor,
            details={
                "languages": [
                    lang for lang in LANGUAGES if not notice_text_missing(cleaned, [lang])
                ]
            },
        )
    return incident


# --- the e-mail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedNotice:
    language: str
    subject: str
    body: str


def _centre(language: str) -> dict:
    from csce.pages.centre import centre_settings_default

    centre = centre_settings_default()
    with translation.override(language):
        name = centre.localized_name()
    address = ", ".join(
        part
        for part in (
            centre.street_address,
            " ".join(p for p in (centre.city, centre.province) if p),
            centre.postal_code,
        )
        if part
    )
    return {
        "name": name,
        "address": address if centre.has_address else "",
        "phone": centre.phone,
        "toll_free": centre.toll_free,
        "email": centre.email,
    }


def _ipc_name(language: str) -> str:
    return policy.IPC_CONTACT["name_fr" if language == "fr" else "name_en"]


def _complaint(language: str) -> str:
    """PHIPA s.12(2)(b): the person is told they may complain to the IPC."""
    with translation.override(language):
        return gettext(
            "You have the right to complain about this breach to the %(ipc)s, which oversees "
            "how health care providers in Ontario protect personal health information."
        ) % {"ipc": _ipc_name(language)}


def notice_render(*, incident: Incident, language: str, name: str = "") -> RenderedNotice:
    """The e-mail as the person gets it, in their language: a greeting with their name if
    known, the four parts, the Privacy Officer's contact, the right to complain to the IPC
    with its contact details, and the centre's identification (PHIPA s.12(2))."""
    language = notice_language(language)
    parts = (incident.notice_text or {}).get(language) or {}
    ipc = policy.IPC_CONTACT
    with translation.override(language):
        context = {
            "incident": incident,
            "name": name,
            "parts": [(label, parts.get(key, "")) for key, label in NOTICE_PARTS],
            "officer_email": settings.PRIVACY_OFFICER_EMAIL,
            "centre": _centre(language),
            "ipc": ipc,
            "ipc_name": _ipc_name(language),
            "complaint": _complaint(language),
        }
        subject = render_to_string("incidents/email/notice_subject.txt", context)
        body = render_to_string("incidents/email/notice_body.txt", context)
    return RenderedNotice(language=language, subject=" ".join(subject.split()), body=body)


def notice_required_elements(*, incident: Incident, language: str) -> dict[str, str]:
    """{what: text that must appear}: the four parts, the Privacy Officer's address, the
    right to complain to the IPC and its contact details (PHIPA s.12(2))."""
    language = notice_language(language)
    parts = (incident.notice_text or {}).get(language) or {}
    ipc = policy.IPC_CONTACT
    with translation.override(language):
        elements = {str(label): str(parts.get(key, "")).strip() for key, label in NOTICE_PARTS}
        elements[gettext("The Privacy Officer's contact")] = settings.PRIVACY_OFFICER_EMAIL
        elements[gettext("The right to complain to the IPC")] = _complaint(language)
        elements[gettext("The IPC's name")] = _ipc_name(language)
        elements[gettext("The IPC's telephone")] = ipc["telephone"]
        elements[gettext("The IPC's address")] = ipc["address"]
        elements[gettext("The IPC's website")] = ipc["website"]
    return elements


def notice_missing_elements(*, incident: Incident, rendered: RenderedNotice) -> list[str]:
    """What a rendered notice lacks of what it must say (empty: it may go out)."""
    elements = notice_required_elements(incident=incident, language=rendered.language)
    return [what for what, text in elements.items() if not text or text not in rendered.body]


# --- sending ------------------------------------------------------------------------------


@dataclass
class NoticesSent:
    queued: int = 0
    already: int = 0
    per_language: dict[str, int] = field(default_factory=dict)


def _unique_contacts(contacts: list[AffectedContact]) -> dict[str, dict]:
    """One entry per address (blind index): a person found twice is notified once, in the
    language of the first record found, named if any record has a name."""
    people: dict[str, dict] = {}
    for contact in contacts:
        index = blind_index(contact.email)
        if not index:
            continue
        person = people.setdefault(
            index,
            {
                "email": contact.email.strip(),
                "name": "",
                "language": notice_language(contact.language),
                "sources": [],
            },
        )
        if not person["name"] and contact.name:
            person["name"] = contact.name.strip()
        if contact.object_type and contact.object_type not in person["sources"]:
            person["sources"].append(contact.object_type)
    return people


def _message(*, incident: Incident, notice: BreachNotice) -> EmailMessage:
    rendered = notice_render(incident=incident, language=notice.language, name=notice.name)
    missing = notice_missing_elements(incident=incident, rendered=rendered)
    if missing:
        raise NoticeError(gettext("The notice lacks: %(what)s.") % {"what": ", ".join(missing)})
    return EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        to=[notice.email],
        reply_to=[settings.PRIVACY_OFFICER_EMAIL],
    )


def _enqueue(*, incident: Incident, notice: BreachNotice) -> None:
    message_enqueue(
        message=_message(incident=incident, notice=notice),
        kind=NOTICE_MAIL_KIND,
        reference=str(notice.pk),
        language=notice.language,
    )


# Notices written per transaction: a breach of the whole newsletter list (thousands of
# people) is queued in short transactions, never one that holds the database for minutes.
NOTICE_BATCH_SIZE = 200


def breach_notices_send(
    *,
    incident: Incident,
    scope: BreachScope | None,
    contacts: list[AffectedContact],
    actor,
) -> NoticesSent:
    """Notify each person of ``contacts`` not yet notified of this incident: one
    ``BreachNotice`` each, queued in the outbox in their language, ``NOTICE_BATCH_SIZE``
    people per transaction; then the timeline's NOTICES_SENT entry and its access-log entry
    (counts only). Run again (a second scope, a worker stopped half-way), it notifies only
    those not yet notified: the unique constraint per person and incident holds it."""
    people = list(_unique_contacts(contacts).items())
    result = NoticesSent()
    notice_text_check(incident.notice_text, sorted({p["language"] for _i, p in people}))
    for start in range(0, len(people), NOTICE_BATCH_SIZE):
        _notices_batch_create(
            incident=incident,
            scope=scope,
            people=dict(people[start : start + NOTICE_BATCH_SIZE]),
            result=result,
        )
    incident_event_add(
        incident=incident,
        kind=EventKind.NOTICES_SENT,
        actor=actor,
        details={
            "scope": scope.pk if scope else None,
            "queued": result.queued,
            "already": result.already,
            "languages": result.per_language,
        },
    )
    breach_notice_states_sync(incident=incident)
    return result


def _notices_batch_create(
    *, incident: Incident, scope: BreachScope | None, people: dict[str, dict], result
) -> None:
    with transaction.atomic():
        # One batch at a time per incident: two senders never race on the same person.
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        known = set(
            BreachNotice.objects.filter(
                incident=incident, email_index__in=list(people)
            ).values_list("email_index", flat=True)
        )
        result.already += len(known)
        now = timezone.now()
        for index, person in people.items():
            if index in known:
                continue
            notice = BreachNotice.objects.create(
                incident=incident,
                scope=scope,
                email=person["email"],
                name=person["name"],
                language=person["language"],
                sources=person["sources"],
                queued_at=now,
            )
            _enqueue(incident=incident, notice=notice)
            result.queued += 1
            result.per_language[notice.language] = result.per_language.get(notice.language, 0) + 1


@task()
def breach_notices_prepare(incident_id: int, scope_id: int, actor_id: int | None) -> None:
    """The task worker writes the notices of a scope (policy P8): a breach of thousands
    of people is never queued inside the officer's request."""
    incident = Incident.objects.get(pk=incident_id)
    scope = BreachScope.objects.get(pk=scope_id, incident=incident)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    contacts = breach_scope_contacts(scope=scope, actor=actor)
    breach_notices_send(incident=incident, scope=scope, contacts=contacts, actor=actor)


def breach_notice_states_sync(*, incident: Incident | None = None) -> int:
    """Each notice's state follows its outbox row (sent, failed, attempts, the error's code);
    the incident's ``first_notified_at`` is the earliest delivery. Run daily and on every
    view of the notices page: the outbox forgets a row after ``OUTBOX_RECORD_DAYS``.
    Returns the number of notices changed."""
    notices = BreachNotice.objects.exclude(state=NoticeState.SENT)
    if incident is not None:
        notices = notices.filter(incident=incident)
    notices = list(notices.only("pk", "incident_id", "state", "attempts", "sent_at", "last_error"))
    if not notices:
        return 0
    rows = outbox_records(kind=NOTICE_MAIL_KIND, references=[str(n.pk) for n in notices])
    changed = []
    for notice in notices:
        row = rows.get(str(notice.pk))
        if row is None:
            continue
        state = {
            OutboxState.SENT: NoticeState.SENT,
            OutboxState.FAILED: NoticeState.FAILED,
        }.get(row["state"], NoticeState.QUEUED)
        values = {
            "state": state,
            "attempts": row["attempts"],
            "sent_at": row["sent_at"] if state == NoticeState.SENT else None,
            "last_error": "" if state == NoticeState.SENT else row["last_error"][:200],
        }
        if any(getattr(notice, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(notice, name, value)
            changed.append(notice)
    if changed:
        with transaction.atomic():
            BreachNotice.objects.bulk_update(
                changed, ["state", "attempts", "sent_at", "last_error"]
            )
            incident_ids = {n.incident_id for n in changed}
            first = dict(
                BreachNotice.objects.filter(incident_id__in=incident_ids, sent_at__isnull=False)
                .values("incident_id")
                .annotate(first=Min("sent_at"))
                .values_list("incident_id", "first")
            )
            for incident_id, at in first.items():
                Incident.objects.filter(pk=incident_id).exclude(first_notified_at__lte=at).update(
                    first_notified_at=at
                )
    if incident is not None:
        incident.refresh_from_db(fields=["first_notified_at"])
    return len(changed)


def breach_notice_states_sync_all() -> int:
    """The daily job (csce/common/schedule.py)."""
    return breach_notice_states_sync()


def breach_notice_retry(*, notice: BreachNotice, actor) -> bool:
    """Send a failed notice again: the outbox's own retry, or a new message when the
    outbox no longer holds the row (after ``OUTBOX_RECORD_DAYS``), with the timeline's
    NOTICE_RETRIED entry (the notice's id only)."""
    from csce.outbox.models import OutboxMessage

    if notice.state != NoticeState.FAILED:
        return False
    incident = notice.incident
    with transaction.atomic():
        row = (
            OutboxMessage.objects.filter(kind=NOTICE_MAIL_KIND, reference=str(notice.pk))
            .order_by("-pk")
            .first()
        )
        if row is None or (
            not outbox_message_retry(message=row) and row.state == OutboxState.FAILED
        ):
            # The outbox's row is gone (OUTBOX_RECORD_DAYS) or holds no content any more:
            # a new message, which the states then follow (the latest row of a reference).
            _enqueue(incident=incident, notice=notice)
        BreachNotice.objects.filter(pk=notice.pk).update(
            state=NoticeState.QUEUED, last_error="", queued_at=timezone.now()
        )
        incident_event_add(
            incident=incident,
            kind=EventKind.NOTICE_RETRIED,
            actor=actor,
            details={"notice": notice.pk},
        )
    breach_notice_states_sync(incident=incident)
    notice.refresh_from_db()
    return True


# --- what the pages show ------------------------------------------------------------------


def notice_counts(*, incident: Incident) -> dict[str, int]:
    counts = dict.fromkeys(NoticeState.values, 0)
    for state in incident.notices.values_list("state", flat=True):
        counts[state] += 1
    counts["total"] = sum(counts[s] for s in NoticeState.values)
    return counts


def duration_words(delta: datetime.timedelta | None, language: str | None = None) -> str:
    """« 2 heures 15 minutes », "2 hours 15 minutes", "3 days 4 hours": the time from
    detection to the first notice (policy P8), in words."""
    if delta is None:
        return ""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 60 * 24)
    hours, minutes = divmod(rest, 60)
    with translation.override(language):
        if not (days or hours or minutes):
            return gettext("less than a minute")
        words = []
        if days:
            words.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
        if hours:
            words.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
        if minutes and not days:
            words.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
        return " ".join(words)


def time_to_notify(*, incident: Incident) -> datetime.timedelta | None:
    if incident.first_notified_at is None:
        return None
    return incident.first_notified_at - incident.detected_at
