"""Spreadsheet exports of an inbox: one form's submissions as CSV (policy F: logged).

``spreadsheet_cell`` is shared with the program rosters (programs/roster.py).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.spreadsheet import spreadsheet_text

from ..services import SUBMISSION_TYPE
from .selectors import submissions_visible_to


def spreadsheet_cell(value: Any) -> str:
    """One cell: yes/no, a list joined, and never a formula a spreadsheet would run."""
    if isinstance(value, bool):
        text = gettext("yes") if value else gettext("no")
    elif isinstance(value, (list, tuple)):
        text = "; ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    # A spreadsheet must not run what a visitor typed (CSV formula injection).
    return spreadsheet_text(text)


def submissions_export_csv(*, page, user) -> tuple[str, int]:
    """The submissions of one form that ``user`` may see, one row each; logged (policy F).

    Columns: received, status, language, consent, then one per answer label in form order.
    Items whose content is deleted have nothing to export and are left out.
    """
    submissions = list(
        submissions_visible_to(user=user)
        .filter(page_id=page.pk, purged_at__isnull=True)
        .order_by("created_at", "pk")
    )
    names: list[str] = []
    labels: dict[str, str] = {}
    for submission in submissions:
        for answer in submission.answers or []:
            if answer["name"] not in labels:
                names.append(answer["name"])
                labels[answer["name"]] = answer["label"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext("Number"),
            gettext("Received"),
            gettext("Status"),
            gettext("Language"),
            gettext("Consent given"),
            *(spreadsheet_cell(labels[name]) for name in names),
        ]
    )
    for submission in submissions:
        values = {a["name"]: a["value"] for a in submission.answers or []}
        writer.writerow(
            [
                submission.pk,
                timezone.localtime(submission.created_at).isoformat(timespec="minutes"),
                submission.get_status_display(),
                submission.language,
                spreadsheet_cell(submission.consent_given),
                *(spreadsheet_cell(values.get(name, "")) for name in names),
            ]
        )
    access_log_record(
        action=AccessAction.PERSONAL_DATA_EXPORTED,
        actor=user,
        object_type=SUBMISSION_TYPE,
        object_id="",
        details={"page_id": page.pk, "count": len(submissions), "format": "csv"},
    )
    return buffer.getvalue(), len(submissions)
