"""The rights of each image and document the centre publishes (policy C: respect copyright
and the people shown; docs/decisions/0022-media-rights.md).

A rights record is one-to-one with Wagtail's own Image and Document, edited in their own
forms (csce/media/forms.py). An image or document without a record, or whose record lacks
a credit or a licence, counts as not credited: publishing a page that uses it is refused
(csce/media/publication.py).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from csce.common.models import BaseModel


class Licence(models.TextChoices):
    OWN = "own", _("The centre's own work")
    CC_BY = "cc-by", _("Creative Commons Attribution (CC BY)")
    CC_BY_SA = "cc-by-sa", _("Creative Commons Attribution-ShareAlike (CC BY-SA)")
    CC0 = "cc0", _("Public domain dedication (CC0)")
    LICENSED = "licensed", _("Licensed (with a reference)")
    PERMISSION = "permission", _("Used with written permission")


# The licences whose proof is a document the centre keeps: its reference is required.
LICENCES_WITH_REFERENCE = (Licence.LICENSED, Licence.PERMISSION)


class Consent(models.TextChoices):
    NONE_IDENTIFIABLE = "none", _("No identifiable person")
    ON_FILE = "on-file", _("Consent on file")
    NOT_RECORDED = "not-recorded", _("Not recorded")


class MediaRights(BaseModel):
    """What the centre knows of one image's or document's rights."""

    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made it, as it must be credited (for example: Photo: Jane Doe)."),
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, blank=True)
    licence_reference = models.CharField(
        _("licence reference"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a licence or a written permission: where the proof is kept (invoice, "
            "agreement or letter number)."
        ),
    )
    consent = models.CharField(
        _("consent of identifiable people"),
        max_length=20,
        choices=Consent.choices,
        default=Consent.NOT_RECORDED,
    )
    expires_on = models.DateField(
        _("rights expire on"),
        null=True,
        blank=True,
        help_text=_("The last day the centre may use it; empty when the rights do not end."),
    )

    class Meta:
        abstract = True

    @property
    def is_credited(self) -> bool:
        """A credit and a licence, and the reference a licence or permission needs."""
        if not (self.credit.strip() and self.licence):
            return False
        return self.licence not in LICENCES_WITH_REFERENCE or bool(self.licence_reference.strip())

    def is_expired(self, *, today: datetime.date) -> bool:
        return self.expires_on is not None and self.expires_on < today


class ImageRights(MediaRights):
    image = models.OneToOneField(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="rights",
    )

    class Meta:
        verbose_name = _("image rights")
        verbose_name_plural = _("image rights")


class DocumentRights(MediaRights):
    document = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="rights",
    )

    class Meta:
        verbose_name = _("document rights")
        verbose_name_plural = _("document rights")
