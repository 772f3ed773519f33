"""Writing the rights of an image or a document (policy C)."""

from __future__ import annotations

import datetime

from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

from .models import Consent, DocumentRights, ImageRights, MediaRights


def media_rights_set(
    *,
    media: AbstractImage | AbstractDocument,
    credit: str | None = "",
    licence: str | None = "",
    licence_reference: str | None = "",
    consent: str | None = Consent.NOT_RECORDED,
    expires_on: datetime.date | None = None,
) -> MediaRights:
    """Create or update the image's or document's rights record."""
    if isinstance(media, AbstractImage):
        model, owner = ImageRights, "image"
    elif isinstance(media, AbstractDocument):
        model, owner = DocumentRights, "document"
    else:
        raise TypeError(f"Not an image or a document: {type(media).__name__}")
    rights, _created = model.objects.update_or_create(
        **{owner: media},
        defaults={
            "credit": (credit or "").strip(),
            "licence": licence or "",
            "licence_reference": (licence_reference or "").strip(),
            "consent": consent or Consent.NOT_RECORDED,
            "expires_on": expires_on,
        },
    )
    # The object may hold a cached "no record" from before.
    media.rights = rights
    return rights
