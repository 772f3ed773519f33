"""Wagtail's own image and document forms, with the rights fields (policy C).

Set as ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE``, so every
form Wagtail builds for an image or a document (edit, upload, the chooser's upload, the
multiple upload's per-file form) shows them. None is required: an upload must never fail
for want of a credit; what lacks one counts as not credited and no page using it is
published (selectors.py).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .models import LICENCES_WITH_REFERENCE, Consent, Licence
from .services import media_rights_set

RIGHTS_FIELDS = ("credit", "licence", "licence_reference", "consent", "expires_on")


class MediaRightsFormMixin(forms.Form):
    credit = forms.CharField(
        label=_("Credit"),
        max_length=200,
        required=False,
        help_text=_("Who made it, as it must be credited (for example: Photo: Jane Doe)."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[("", _("Not recorded")), *Licence.choices],
        required=False,
        help_text=_("Without a credit and a licence, no page using it can be published."),
    )
    licence_reference = forms.CharField(
        label=_("Licence reference"),
        max_length=200,
        required=False,
        help_text=_(
            "For a licence or a written permission: where the proof is kept (invoice, "
            "agreement or letter number)."
        ),
    )
    consent = forms.ChoiceField(
        label=_("Consent of identifiable people"),
        choices=Consent.choices,
        initial=Consent.NOT_RECORDED,
        required=False,
    )
    expires_on = forms.DateField(
        label=_("Rights expire on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the centre may use it; empty when the rights do not end."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rights = getattr(self.instance, "rights", None) if self.instance.pk else None
        if rights is not None:
            for name in RIGHTS_FIELDS:
                if name in self.fields:
                    self.initial.setdefault(name, getattr(rights, name))

    def clean(self):
        cleaned_data = super().clean()
        licence = cleaned_data.get("licence")
        if (
            licence in LICENCES_WITH_REFERENCE
            and not (cleaned_data.get("licence_reference") or "").strip()
        ):
            self.add_error(
                "licence_reference",
                _("Give the reference of the licence or of the written permission."),
            )
        return cleaned_data

    def _save_m2m(self):
        # Runs with the object saved (save(), or save_m2m() after save(commit=False)).
        super()._save_m2m()
        media_rights_set(
            media=self.instance,
            **{name: self.cleaned_data.get(name) for name in RIGHTS_FIELDS},
        )


class ImageRightsForm(MediaRightsFormMixin, BaseImageForm):
    pass


class DocumentRightsForm(MediaRightsFormMixin, BaseDocumentForm):
    pass
