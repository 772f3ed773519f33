"""The registry's admin forms (policy O, R, M)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import OnlineProperty
from .services import staff_display


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_display(obj)


class StaffOwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_display(obj)


def active_staff():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "pk")


class OnlinePropertyForm(WagtailAdminModelForm):
    """The property and who administers it. Administrators are not a model field: the
    view hands them to ``property_administrators_set``, which logs each change."""

    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=OnlineProperty._meta.get_field("url").max_length,
        assume_scheme="https",
    )

    owner = StaffOwnerField(
        label=_("Owner"),
        queryset=active_staff(),
        help_text=_("The staff member answerable for it: the AED unless another is named."),
    )
    administrators = StaffChoiceField(
        label=_("Administrators"),
        queryset=active_staff(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every staff member who can sign in to it or publish as the centre. Removing "
            "someone here is recorded in the property's history; also remove them in the "
            "network's own settings."
        ),
    )

    class Meta:
        model = OnlineProperty
        fields = [
            "kind",
            "name",
            "url",
            "handle",
            "owner",
            "mfa_enabled",
            "mfa_confirmed_on",
            "shown_in_footer",
            "sort_order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are evaluated per form, never at import.
        self.fields["owner"].queryset = active_staff()
        self.fields["administrators"].queryset = active_staff()
        if self.instance.pk and not self.is_bound:
            self.initial["administrators"] = list(
                self.instance.administrator_links.values_list("user_id", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mfa_confirmed_on") and not cleaned.get("mfa_enabled"):
            self.add_error(
                "mfa_confirmed_on",
                _("MFA is off: tick “multi-factor authentication is on” or leave the date empty."),
            )
        return cleaned


class AccessReviewForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("I confirm that the people listed are exactly those who can administer it"),
        help_text=_("If not, change the administrators first, then record the review."),
    )
    mfa_confirmed = forms.BooleanField(
        label=_("I checked today that multi-factor authentication is on"),
        required=False,
    )
