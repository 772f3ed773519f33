"""The access log's check of the annual security audit (policy M, F): its keyed hash
chain is whole, and still holds every anchor kept off the server when there is a file."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from csce.common.compliance import FAIL, PASS, AuditCheck, CheckResult

from .selectors import REASON_LABELS, AnchorFileError, access_log_verify, anchors_parse


def access_log_chain_run(*, now: datetime.datetime) -> CheckResult:
    anchors: dict[int, str] = {}
    if settings.ACCESS_LOG_ANCHOR_FILE:
        try:
            anchors = anchors_parse(
                text=Path(settings.ACCESS_LOG_ANCHOR_FILE).read_text(encoding="utf-8")
            )
        except (OSError, AnchorFileError) as error:
            return CheckResult(
                FAIL,
                gettext("The anchor file (ACCESS_LOG_ANCHOR_FILE) cannot be read (%(error)s).")
                % {"error": type(error).__name__},
            )
    result = access_log_verify(anchors=anchors)
    if not result.ok:
        return CheckResult(
            FAIL,
            gettext("The access log chain is broken at entry %(entry)s: %(reason)s.")
            % {"entry": result.first_broken_id, "reason": REASON_LABELS[result.reason]},
        )
    return CheckResult(
        PASS,
        gettext(
            "The access log chain is intact: %(count)s entries checked, %(anchors)s anchors found."
        )
        % {"count": result.checked, "anchors": len(anchors)},
    )


AUDIT_CHECKS = (
    AuditCheck(
        key="access_log_chain",
        label=_("Access log chain"),
        clauses=("M", "F"),
        run=access_log_chain_run,
        order=40,
    ),
)
