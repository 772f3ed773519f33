"""Privacy requests and the rights portal's form, for any app's tests."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Page

from csce.common.crypto import blind_index
from csce.common.factories import post_form, started_token
from csce.privacy.deadlines import request_due_at
from csce.privacy.models import PrivacyRequest, PrivacyRightsPage, RequestKind

EMAIL = "josee.lafleur@example.org"
NAME = "Josée Lafleur-Qwertz"
DETAILS = "Mon adresse postale est erronée : 12 rue Zyxwv, dossier Plomb-7731."

_sequence = iter(range(1, 10_000))


def portal_page(language: str) -> PrivacyRightsPage:
    """The live privacy-rights portal page in ``language``."""
    return PrivacyRightsPage.objects.live().get(locale__language_code=language)


def portal_post_data(page, **overrides) -> dict:
    """A valid correction request; an override of None leaves that field out."""
    data = {
        "kind": "correction",
        "email": EMAIL,
        "name": NAME,
        "details": DETAILS,
        "form_website": "",
        "form_started": started_token(page),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def portal_post(client, page, data: dict, **extra):
    return post_form(client, page, data, **extra)


def privacy_request_make(
    *,
    email: str = "marie.tremblay@example.org",
    kind: str = RequestKind.ACCESS,
    language: str = "fr",
    verified_at: datetime.datetime | None = None,
    name: str = "Marie Tremblay",
    details: str = "",
) -> PrivacyRequest:
    """A request as the portal leaves it once the address is confirmed."""
    verified_at = verified_at or timezone.now()
    return PrivacyRequest.objects.create(
        reference=f"TEST-{next(_sequence):04d}",
        kind=kind,
        language=language,
        email=email,
        email_index=blind_index(email),
        name=name,
        details=details,
        received_at=verified_at,
        verified_at=verified_at,
        due_at=request_due_at(verified_at=verified_at),
    )


def notice_page(language: str) -> Page:
    """The live privacy notice page in ``language``."""
    return (
        Page.objects.live()
        .filter(content_type__model="privacynoticepage", locale__language_code=language)
        .get()
        .specific
    )


def notice_html(client, language: str) -> str:
    """The privacy notice as a visitor reads it in ``language``."""
    response = client.get(notice_page(language).url)
    assert response.status_code == 200
    return response.content.decode()
