"""What this app declares in the personal-data registry (csce/common/registry.py)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from csce.accounts.roles import ROLE_LABELS
from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import (
    AffectedContact,
    ExportedFile,
    NoticeEntry,
    PersonalDataSource,
    PersonalRecord,
    ScopeResolution,
    ScopeTarget,
    scope_language,
    scope_period,
)

from .correction import submissions_correct, submissions_correctable
from .models.pages import InquiryTopic, form_page_models
from .models.records import (
    DataClass,
    Submission,
    SubmissionFile,
    submission_email,
    submission_person_name,
)
from .services import SUBMISSION_TYPE, submissions_erase_for_email, submissions_purge_expired
from .uploads import (
    submission_file_read,
    submission_files_orphans_delete,
    submission_files_rotate_keys,
)

logger = logging.getLogger(__name__)

SOURCE_KEY = "submissions"


def _found(email: str):
    index = blind_index(email)
    if not index:
        return Submission.objects.none()
    return Submission.objects.filter(email_index=index, purged_at__isnull=True).order_by("pk")


def submissions_find(*, email: str) -> list[PersonalRecord]:
    return [
        PersonalRecord(
            source=SOURCE_KEY,
            object_type=SUBMISSION_TYPE,
            object_id=str(s.pk),
            created_at=s.created_at,
            summary=s.form_title,
        )
        for s in _found(email)
    ]


def submissions_export(*, email: str, actor=None, language: str = "fr") -> list[dict]:
    """The person's own submissions, in plain values, for an access request."""
    exported = []
    for submission in _found(email):
        exported.append(
            {
                "form": submission.form_title,
                "received": submission.created_at.isoformat(),
                "status": submission.get_status_display(),
                "answers": [
                    {"question": a["label"], "answer": a["value"]}
                    for a in (submission.answers or [])
                ],
                "consent": {
                    "given": submission.consent_given,
                    "wording_version": submission.consent_version,
                    "time": submission.consent_at.isoformat() if submission.consent_at else None,
                    "privacy_notice_version": submission.notice_version,
                },
                "optional_purposes": submission.optional_consents,
                # The centre's replies are about the person and sent to them (policy P10).
                "replies": [
                    {"sent": reply.sent_at.isoformat(), "message": reply.body}
                    for reply in submission.replies.all()
                ],
            }
        )
        access_log_record(
            action=AccessAction.PERSONAL_DATA_EXPORTED,
            actor=actor,
            object_type=SUBMISSION_TYPE,
            object_id=submission.pk,
            details={"reason": "privacy_request"},
        )
    return exported


def _safe_file_name(name: str) -> str:
    # The visitor chose the name: keep its last part, no path, no control character.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(". ")
    return cleaned[:100] or "file"


def submissions_export_files(*, email: str, actor=None) -> list[ExportedFile]:
    """The files the person attached, decrypted for their bundle (each read is logged)."""
    files = SubmissionFile.objects.filter(submission__in=_found(email)).order_by("pk")
    return [
        ExportedFile(
            name=f"{file.submission_id}-{file.pk}-{_safe_file_name(file.original_name)}",
            content=submission_file_read(file=file, actor=actor),
        )
        for file in files
    ]


def submissions_oldest():
    first = (
        Submission.objects.filter(purged_at__isnull=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return first


def submissions_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """The retention job's pass: expired submissions, then attached files left behind
    by a rolled-back submission. The count is of submissions; the files' is logged."""
    deleted = submissions_purge_expired(now=now, batch_size=batch_size)
    orphans = submission_files_orphans_delete(now=now, batch_size=batch_size)
    if orphans:
        logger.info("purge of submissions: %s orphaned attached files deleted", orphans)
    return deleted


def submissions_withdraw_consent(*, email: str, actor=None) -> int:
    """Withdrawal of consent (CASL s.11, policy P7): the optional purposes (newsletter...) the
    person ticked on any form are withdrawn; the consent to the form's own purpose stays,
    as the submission is still being answered. Returns the purposes withdrawn."""
    withdrawn = 0
    for submission in _found(email):
        if not submission.optional_consents:
            continue
        withdrawn += len(submission.optional_consents)
        submission.optional_consents = []
        submission.save(update_fields=["optional_consents"])
    return withdrawn


def _data_class_words() -> dict[str, str]:
    return {
        DataClass.PERSONAL: gettext("personal information"),
        DataClass.SENSITIVE: gettext("health information, with your consent"),
        DataClass.GENERAL: gettext("no personal information"),
    }


def _collected(page) -> str:
    """The form's questions grouped by the class of data they collect, in form order:
    "Nom, Courriel (renseignements personnels); Santé (renseignements de santé, ...)"."""
    labels: dict[str, list[str]] = {}
    for form_field in page.form_fields.all():
        labels.setdefault(form_field.data_class, []).append(form_field.label)
    words = _data_class_words()
    parts = [
        gettext("%(fields)s (%(kind)s)") % {"fields": ", ".join(names), "kind": words[kind]}
        for kind, names in labels.items()
    ]
    if getattr(page, "is_anonymous", False):
        parts.append(gettext("no e-mail address, no IP address"))
    return "; ".join(parts)


def _group_name(group) -> str:
    # The roles' names are stable English identifiers, shown in the reader's language.
    return str(ROLE_LABELS.get(group.name, group.name))


def _recipients(page) -> str:
    groups = [page.inbox, *(topic.inbox for topic in getattr(page, "notice_topics", []))]
    names: list[str] = []
    for group in groups:
        name = _group_name(group)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def submissions_notice() -> list[NoticeEntry]:
    """One line of the privacy notice per live form of the active language, in tree order
    (policy P3): what it asks, why, which inboxes read it and for how long.

    A few queries per form type (pages, their fields, an inquiry's topics), whatever the
    number of forms.
    """
    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    if locale is None:
        return []
    pages = []
    for model in form_page_models():
        queryset = (
            model.objects.live()
            .filter(locale=locale)
            .select_related("inbox")
            .prefetch_related("form_fields")
        )
        if any(r.name == "topics" for r in model._meta.related_objects):
            queryset = queryset.prefetch_related(
                Prefetch(
                    "topics",
                    queryset=InquiryTopic.objects.select_related("inbox"),
                    to_attr="notice_topics",
                )
            )
        pages.extend(queryset)
    pages.sort(key=lambda page: page.path)
    return [
        NoticeEntry(
            title=page.title,
            collected=_collected(page),
            purpose=page.purpose,
            recipients=_recipients(page),
            retention=ngettext("%(days)d day", "%(days)d days", page.retention_days)
            % {"days": page.retention_days},
            url=page.url or "",
            retention_days=page.retention_days,
        )
        for page in pages
    ]


def submissions_group_is_inbox(*, group_id: int) -> bool:
    """Whether a form, a topic or a stored submission sends personal data to this group."""
    return (
        Submission.objects.filter(inbox_id=group_id).exists()
        or InquiryTopic.objects.filter(inbox_id=group_id).exists()
        or any(model.objects.filter(inbox_id=group_id).exists() for model in form_page_models())
    )


# --- a breach's scope (policy P8; PHIPA s.12(2)) -----------------------------------------

# A breach may touch thousands of submissions: decrypted this many rows at a time.
SCOPE_CHUNK = 500


def _scope_pages(page_ids=None) -> list:
    """The form pages a breach may touch: every form but anonymous surveys, which keep
    nothing that identifies the person. Unpublished forms count: their records remain."""
    pages = []
    for model in form_page_models():
        queryset = model.objects.select_related("locale")
        if page_ids is not None:
            queryset = queryset.filter(pk__in=page_ids)
        pages.extend(page for page in queryset if not getattr(page, "is_anonymous", False))
    return pages


def submissions_scope_targets() -> list[ScopeTarget]:
    """One target per form page, named by its title and language: « Écrivez-nous
    (français) ». Each language's page is its own form, with its own submissions."""
    targets = [
        ScopeTarget(
            key=str(page.pk),
            label=gettext("%(form)s (%(language)s)")
            % {
                "form": page.title,
                "language": translation.get_language_info(page.locale.language_code)[
                    "name_translated"
                ],
            },
        )
        for page in _scope_pages()
    ]
    return sorted(targets, key=lambda target: str(target.label).casefold())


def _scope_purged_note(*, page_ids: list[int], start: datetime.datetime):
    """What of the range can no longer be counted: submissions deleted at the end of
    their form's retention leave no tombstone; tombstones go after their 24 months."""
    now = timezone.now()
    retention = min(
        (page.retention_days for page in _scope_pages(page_ids)),
        default=policy.RETENTION_CAP_DAYS,
    )
    notes = [
        _(
            "Submissions closed or erased on request leave a record without their content; "
            "they are counted as already deleted."
        )
    ]
    if start < now - datetime.timedelta(days=retention):
        notes.append(
            policy.interpolate_lazy(
                ngettext_lazy(
                    "The period starts more than %(days)s day ago: submissions deleted at the "
                    "end of their form's retention leave nothing behind and cannot be counted.",
                    "The period starts more than %(days)s days ago: submissions deleted at the "
                    "end of their form's retention leave nothing behind and cannot be counted.",
                    "days",
                ),
                {"days": retention},
            )
        )
    if start < now - datetime.timedelta(days=settings.SUBMISSION_TOMBSTONE_DAYS):
        notes.append(
            policy.interpolate_lazy(
                ngettext_lazy(
                    "The period starts more than %(months)s month ago: the records of closed "
                    "submissions are deleted after that time and cannot be counted.",
                    "The period starts more than %(months)s months ago: the records of closed "
                    "submissions are deleted after that time and cannot be counted.",
                    "months",
                ),
                {"months": settings.SUBMISSION_TOMBSTONE_DAYS * 12 // 365},
            )
        )
    return format_lazy("{}" + " {}" * (len(notes) - 1), *notes)


def submissions_scope_resolve(
    *, targets: list[str], starts_on: datetime.date, ends_on: datetime.date
) -> ScopeResolution:
    """The submissions of the chosen forms created in the range (the centre's days,
    inclusive): each person's address, name and language, decrypted in batches; those
    without an address counted; the tombstones in range counted as already deleted."""
    page_ids = [int(key) for key in targets if str(key).isdigit()]
    start, after = scope_period(starts_on=starts_on, ends_on=ends_on)
    in_scope = Submission.objects.filter(
        page_id__in=page_ids, created_at__gte=start, created_at__lt=after
    )
    contacts: list[AffectedContact] = []
    without_address = 0
    held = (
        in_scope.filter(purged_at__isnull=True)
        .only("pk", "answers", "language", "created_at")
        .order_by("pk")
    )
    for submission in held.iterator(chunk_size=SCOPE_CHUNK):
        answers = submission.answers or []
        email = submission_email(answers=answers)
        if not email:
            without_address += 1
            continue
        contacts.append(
            AffectedContact(
                email=email,
                name=submission_person_name(answers=answers),
                language=scope_language(submission.language),
                object_type=SUBMISSION_TYPE,
                object_id=str(submission.pk),
                created_at=submission.created_at,
            )
        )
    return ScopeResolution(
        contacts=contacts,
        without_address=without_address,
        purged=in_scope.filter(purged_at__isnull=False).count(),
        purged_note=_scope_purged_note(page_ids=page_ids, start=start),
    )


SUBMISSIONS_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Form submissions"),
    purpose=_("Answering inquiries, registering people for programs and running surveys."),
    retention=policy.interpolate_lazy(
        ngettext_lazy(
            "Until handled, and at most the form's retention (never more than %(days)s day).",
            "Until handled, and at most the form's retention (never more than %(days)s days).",
            "days",
        ),
        {"days": policy.RETENTION_CAP_DAYS},
    ),
    find=submissions_find,
    export=submissions_export,
    export_files=submissions_export_files,
    erase=submissions_erase_for_email,
    purge_expired=submissions_purge,
    oldest=submissions_oldest,
    notice=submissions_notice,
    # Attached files are encrypted outside model fields: rotate_field_key calls this.
    rotate_keys=submission_files_rotate_keys,
    withdraw_consent=submissions_withdraw_consent,
    correctable=submissions_correctable,
    correct=submissions_correct,
    group_receives=submissions_group_is_inbox,
    scope_targets=submissions_scope_targets,
    scope_resolve=submissions_scope_resolve,
    models=(
        "submissions.Submission",
        "submissions.SubmissionNote",
        "submissions.SubmissionReply",
        "submissions.SubmissionFile",
    ),
    retention_days=policy.RETENTION_CAP_DAYS,
)
