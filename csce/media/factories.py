"""Images and documents for tests, with or without their rights (policy C)."""

from __future__ import annotations

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .models import Consent, Licence
from .services import media_rights_set

_numbers = itertools.count(1)


def image_add(
    *,
    title: str | None = None,
    description: str = "",
    credited: bool = True,
    expires_on: datetime.date | None = None,
    **rights,
):
    """An image in the library; ``credited`` gives it the centre's own licence and a credit
    (any ``rights`` field overrides), otherwise it has no rights record at all."""
    n = next(_numbers)
    buffer = io.BytesIO()
    Picture.new("RGB", (8, 6), (30, 90, 60)).save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title=title or f"Photo {n}",
        description=description,
        file=ImageFile(buffer, name=f"photo-{n}.png"),
    )
    if credited or rights or expires_on:
        _rights_fill(image, credited=credited, expires_on=expires_on, **rights)
    return image


def document_add(
    *,
    title: str | None = None,
    credited: bool = True,
    expires_on: datetime.date | None = None,
    **rights,
):
    """A PDF in the library, credited like ``image_add``'s images."""
    n = next(_numbers)
    document = get_document_model().objects.create(
        title=title or f"Dépliant {n}",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"depliant-{n}.pdf"),
    )
    if credited or rights or expires_on:
        _rights_fill(document, credited=credited, expires_on=expires_on, **rights)
    return document


def _rights_fill(media, *, credited: bool, expires_on, **rights) -> None:
    values = {
        "credit": "Photo : CSCE" if credited else "",
        "licence": Licence.OWN if credited else "",
        "consent": Consent.NONE_IDENTIFIABLE,
        "expires_on": expires_on,
    }
    values.update(rights)
    media_rights_set(media=media, **values)


def image_block(image, *, alt_text: str = "", decorative: bool = False) -> dict:
    """A body block placing ``image`` (Wagtail 8's ImageBlock)."""
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": alt_text, "decorative": decorative},
    }


def document_paragraph(document) -> dict:
    """A paragraph linking to ``document`` (rich text)."""
    return {
        "type": "paragraph",
        "value": f'<p><a linktype="document" id="{document.pk}">Le dépliant</a></p>',
    }
