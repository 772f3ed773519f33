"""The one path through which staff screens show a decrypted personal value.

Policy F: every read of personal data is in the access log. A view never decrypts a
value for display and then remembers to log it; it asks this selector (or uses the
mixin), which logs the read once per request and object, then hands the object back.
The access-log contract test walks every admin URL and fails when a personal value is
shown without an entry written here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from .models import AccessAction
from .services import access_log_record

T = TypeVar("T")

_LOGGED_ATTRIBUTE = "_personal_reads_logged"
_VISIT_SESSION_KEY = "personal_reads_visit"
# A visit: the same signed-in session, within this many minutes of the read that was
# logged. A working choice, not a legal number (policy F asks that reads be logged, not
# that a reload count again): re-opening the same record inside it writes nothing more;
# after it, or in a new session (signing in again), the next opening is logged.
VISIT_MINUTES = 30


def _visit_reads(request) -> dict[str, float] | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    now = time.time()
    reads = {
        key: at
        for key, at in session.get(_VISIT_SESSION_KEY, {}).items()
        if now - at < VISIT_MINUTES * 60
    }
    return reads


def _visit_key(object_type: str, object_id: str) -> str:
    return f"{object_type}:{object_id}"


def _visit_remember(request, reads: dict[str, float], keys: Iterable[str]) -> None:
    now = time.time()
    reads.update(dict.fromkeys(keys, now))
    request.session[_VISIT_SESSION_KEY] = reads


def personal_data_read(
    *,
    actor,
    record: T,
    object_type: str,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
    request=None,
    per_visit: bool = False,
) -> T:
    """Log that ``actor`` is shown ``record``'s personal content, and return ``record``.

    With ``request``, a second call for the same object in the same request writes
    nothing more (a detail page and its action forms read the record once); with
    ``per_visit`` too, nothing more within the visit (``VISIT_MINUTES``, same session).
    ``details`` holds no personal data: kinds, counts, field names.
    """
    object_id = str(object_id if object_id is not None else getattr(record, "pk", ""))
    if request is not None:
        logged = getattr(request, _LOGGED_ATTRIBUTE, None)
        if logged is None:
            logged = set()
            setattr(request, _LOGGED_ATTRIBUTE, logged)
        if (object_type, object_id) in logged:
            return record
        logged.add((object_type, object_id))
        visit = _visit_reads(request) if per_visit else None
        if visit is not None:
            key = _visit_key(object_type, object_id)
            if key in visit:
                return record
            _visit_remember(request, visit, [key])
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
    )
    return record


def personal_data_read_many(
    *,
    actor,
    records: Sequence[T],
    object_type: str,
    request,
    details: dict[str, Any] | None = None,
    scope: str = "list",
) -> Sequence[T]:
    """A list that shows something personal of each of its rows (an excerpt, a name):
    one entry for the whole screen, naming in ``details["ids"]`` the records read, and
    only those not already read in this visit (``VISIT_MINUTES``, same session).

    A list's read is remembered apart from (``scope``) the opening of one record: the
    record's own screen shows more, and its first opening in the visit is logged too.
    Returns ``records``. Writes nothing when every row was already read in the visit.
    """
    ids = [str(getattr(record, "pk", record)) for record in records]
    visit = _visit_reads(request)
    if visit is not None:
        ids = [i for i in ids if _visit_key(f"{scope}:{object_type}", i) not in visit]
    if not ids:
        return records
    if visit is not None:
        _visit_remember(request, visit, [_visit_key(f"{scope}:{object_type}", i) for i in ids])
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=object_type,
        object_id="",
        details={**(details or {}), "ids": ids, "count": len(ids)},
    )
    return records


class PersonalDataReadMixin:
    """Class-based admin views that show one record's personal content: call
    ``self.personal_read(record)``, which logs the read and returns the record."""

    personal_object_type: str = ""
    # True: re-opening the record within the visit (VISIT_MINUTES) writes nothing more.
    personal_read_per_visit: bool = False

    def personal_read_details(self, record) -> dict[str, Any]:
        return {}

    def personal_read(self, record: T) -> T:
        return personal_data_read(
            actor=self.request.user,
            record=record,
            object_type=self.personal_object_type,
            details=self.personal_read_details(record),
            request=self.request,
            per_visit=self.personal_read_per_visit,
        )
