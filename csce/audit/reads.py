"""The one path through which staff screens show a decrypted personal value.

Policy F: every read of personal data is in the access log. A view never decrypts a
value for display and then remembers to log it; it asks this selector (or uses the
mixin), which logs the read once per request and object, then hands the object back.
The access-log contract test walks every admin URL and fails when a personal value is
shown without an entry written here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .models import AccessAction
from .services import access_log_record

T = TypeVar("T")

_LOGGED_ATTRIBUTE = "_personal_reads_logged"


def personal_data_read(
    *,
    actor,
    record: T,
    object_type: str,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
    request=None,
) -> T:
    """Log that ``actor`` is shown ``record``'s personal content, and return ``record``.

    With ``request``, a second call for the same object in the same request writes
    nothing more (a detail page and its action forms read the record once).
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
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
    )
    return record


class PersonalDataReadMixin:
    """Class-based admin views that show one record's personal content: call
    ``self.personal_read(record)``, which logs the read and returns the record."""

    personal_object_type: str = ""

    def personal_read_details(self, record) -> dict[str, Any]:
        return {}

    def personal_read(self, record: T) -> T:
        return personal_data_read(
            actor=self.request.user,
            record=record,
            object_type=self.personal_object_type,
            details=self.personal_read_details(record),
            request=self.request,
        )
