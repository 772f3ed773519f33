"""Correcting a person's submission for a privacy request (PHIPA s.55; policy P10).

Only the person's own record (found by the blind index of their confirmed address) and
only the values they typed in text fields can change; every reading and correction is
in the access log, with the names of the fields, never their values.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.crypto import blind_index
from csce.common.numbers import number_from_url
from csce.common.registry import CorrectableValue

from .models.records import DataClass, Submission
from .services import SUBMISSION_TYPE

# Choices, files and checkboxes say what the form offered: a correction rewrites text.
TEXT_FIELD_TYPES = {"singleline", "multiline", "email", "number", "url", "date", "datetime"}


def _persons_submission(*, email: str, object_id: str, lock: bool = False) -> Submission:
    index = blind_index(email)
    found = Submission.objects.filter(
        pk=number_from_url(str(object_id)) or 0,
        email_index=index,
        purged_at__isnull=True,
    )
    if lock:
        found = found.select_for_update()
    submission = found.first() if index else None
    if submission is None:
        raise LookupError(object_id)
    return submission


def _correctable(answer: dict) -> bool:
    return (
        answer.get("data_class") in (DataClass.PERSONAL, DataClass.SENSITIVE)
        and answer.get("field_type") in TEXT_FIELD_TYPES
    )


def submissions_correctable(*, email: str, object_id: str, actor) -> list[CorrectableValue]:
    submission = _persons_submission(email=email, object_id=object_id)
    values = [
        CorrectableValue(
            name=answer["name"],
            label=answer["label"],
            value="" if answer.get("value") is None else str(answer["value"]),
            multiline=answer.get("field_type") == "multiline",
        )
        for answer in submission.answers or []
        if _correctable(answer)
    ]
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=SUBMISSION_TYPE,
        object_id=submission.pk,
        details={"reason": "privacy_request_correction"},
    )
    return values


def submissions_correct(*, email: str, object_id: str, changes: dict, actor) -> list[str]:
    """Apply ``changes`` ({field name: new value}) to the person's submission."""
    with transaction.atomic():
        submission = _persons_submission(email=email, object_id=object_id, lock=True)
        answers = [dict(answer) for answer in submission.answers or []]
        changed = []
        for answer in answers:
            if answer["name"] not in changes or not _correctable(answer):
                continue
            value = str(changes[answer["name"]]).replace("\x00", "").strip()
            if answer["field_type"] == "email":
                try:
                    validate_email(value)
                except ValidationError as error:
                    raise ValidationError(
                        _("%(label)s: enter a valid e-mail address.") % {"label": answer["label"]}
                    ) from error
            if value != answer.get("value"):
                answer["value"] = value
                changed.append(answer["name"])
        if not changed:
            return []
        submission.answers = answers
        # Saving the answers recomputes the blind index: a corrected address is the one
        # privacy requests now find (Submission.save).
        submission.save(update_fields=["answers"])
        access_log_record(
            action=AccessAction.PERSONAL_DATA_CORRECTED,
            actor=actor,
            object_type=SUBMISSION_TYPE,
            object_id=submission.pk,
            details={"reason": "privacy_request", "fields": changed},
        )
    return changed
