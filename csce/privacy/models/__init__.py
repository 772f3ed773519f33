"""The privacy app's models: the records below (``records``), the portal page above
(``pages``), which serves through ``portal`` and so sits at the top of the app."""

from .pages import PrivacyRightsPage
from .records import (
    EXPORT_LINK_DAYS,
    MAX_EXTENSION_DAYS,
    RECORD_RETENTION_DAYS,
    REMINDER_DAYS_BEFORE,
    RESPONSE_DAYS,
    VERIFICATION_DAYS,
    EventKind,
    ExportBundle,
    PrivacyNoticeVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
    PrivacyRequestQuerySet,
    PrivacyRequestVerification,
    Processor,
    ProcessorCategory,
    RequestKind,
    RequestOutcome,
    RequestStatus,
)

__all__ = [
    "EXPORT_LINK_DAYS",
    "MAX_EXTENSION_DAYS",
    "RECORD_RETENTION_DAYS",
    "REMINDER_DAYS_BEFORE",
    "RESPONSE_DAYS",
    "VERIFICATION_DAYS",
    "EventKind",
    "ExportBundle",
    "PrivacyNoticeVersion",
    "PrivacyRequest",
    "PrivacyRequestEvent",
    "PrivacyRequestQuerySet",
    "PrivacyRequestVerification",
    "PrivacyRightsPage",
    "Processor",
    "ProcessorCategory",
    "RequestKind",
    "RequestOutcome",
    "RequestStatus",
]
