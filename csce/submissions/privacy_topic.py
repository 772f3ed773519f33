"""The contact form's privacy topic, provided to the privacy app (policy P9, P10).

Inquiries routed to the Privacy Officer's inbox that still hold their content can become
privacy requests; this module lists them, gives their content to carry over and closes
them once converted. Registered in ``apps.py`` as ``csce.common.inquiries``' source.
"""

from __future__ import annotations

from django.conf import settings

from csce.common.inquiries import (
    InquiryContent,
    InquiryNotOpen,
    InquirySummary,
    PrivacyInquirySource,
)
from csce.common.roles import PRIVACY_OFFICER

from .forms import TOPIC_FIELD
from .models.records import (
    FormKind,
    Submission,
    SubmissionStatus,
    submission_email,
    submission_person_name,
)
from .services import SUBMISSION_TYPE, submission_close

# A one-line answer named like a telephone goes to the request's contact details.
PHONE_WORDS = ("phone", "telephone")


def privacy_topic_inquiries():
    """Inquiries in the Privacy Officer's inbox, not closed, their content still held."""
    return (
        Submission.objects.filter(
            kind=FormKind.INQUIRY, inbox__name=PRIVACY_OFFICER, purged_at__isnull=True
        )
        .exclude(status=SubmissionStatus.CLOSED)
        .order_by("created_at", "pk")
    )


def privacy_topic_count() -> int:
    return privacy_topic_inquiries().count()


def privacy_topic_summaries(*, limit: int) -> list[InquirySummary]:
    rows = privacy_topic_inquiries().values_list("pk", "created_at", "language")[:limit]
    return [InquirySummary(id=pk, created_at=at, language=language) for pk, at, language in rows]


def _language(submission: Submission) -> str:
    languages = dict(settings.LANGUAGES)
    return submission.language if submission.language in languages else settings.LANGUAGE_CODE


def privacy_topic_content(*, inquiry_id: int) -> InquiryContent:
    """The person's name, address, telephone and words, from the inquiry's answers."""
    submission = privacy_topic_inquiries().filter(pk=inquiry_id).first()
    if submission is None:
        raise InquiryNotOpen(inquiry_id)
    answers = list(submission.answers or [])
    language = _language(submission)
    name = submission_person_name(answers=answers)
    email = submission_email(answers=answers)
    # French typography (policy P2): a no-break space before the colon.
    colon = "\u00a0:" if language == "fr" else ":"
    phones, lines = [], []
    for answer in answers:
        value = answer.get("value")
        if answer.get("name") == TOPIC_FIELD or value in (None, "", [], False):
            continue
        value = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if value in (name, email):
            continue
        if answer.get("field_type") == "singleline" and any(
            word in answer.get("name", "").lower() for word in PHONE_WORDS
        ):
            phones.append(value)
            continue
        label = answer.get("label")
        lines.append(f"{label}{colon} {value}" if label else value)
    return InquiryContent(
        id=submission.pk,
        created_at=submission.created_at,
        language=language,
        name=name,
        email=email,
        contact_details="\n".join(phones),
        details="\n\n".join(lines),
    )


def privacy_topic_close(*, inquiry_id: int, actor, reason: str, details: dict) -> None:
    """Close the inquiry and delete its content, once: a second caller finds it closed."""
    submission = (
        privacy_topic_inquiries().select_for_update(of=("self",)).filter(pk=inquiry_id).first()
    )
    if submission is None:
        raise InquiryNotOpen(inquiry_id)
    submission_close(submission=submission, actor=actor, reason=reason, details=details)


PRIVACY_TOPIC_SOURCE = PrivacyInquirySource(
    count=privacy_topic_count,
    summaries=privacy_topic_summaries,
    content=privacy_topic_content,
    close=privacy_topic_close,
    object_type=SUBMISSION_TYPE,
)
