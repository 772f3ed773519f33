"""The public form of a personal-data form page, built by Wagtail's form builder.

Adds what the policy requires around the editor's fields: the topic that routes an
inquiry (policy F), the consent box for sensitive fields and separate optional purposes
(policy P6, CASL: never pre-ticked), the honeypot and fill-time token (policy P5: no
third-party check), and limits on every value so that no input can fail the page.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from csce.common.altcha import CHALLENGE_FIELD
from csce.common.spam import HONEYPOT_FIELD, STARTED_FIELD, guard_form_fields

from .models.records import DataClass
from .uploads import UploadField

TOPIC_FIELD = "form_topic"
CONSENT_FIELD = "form_consent"
PURPOSE_PREFIX = "form_purpose_"
SINGLE_LINE_MAX = 255
MULTI_LINE_MAX = 5000
CHOICE_TYPES = ("dropdown", "radio", "checkboxes", "multiselect")
# A value that answers nothing: an empty text, no choice, an unticked box, no file.
EMPTY_VALUES = (None, "", [], (), False)


class SubmissionFormBuilder(FormBuilder):
    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.field_type in CHOICE_TYPES and not field.required:
            # An optional question starts unanswered: a default choice would be counted
            # as the visitor's answer when they skip it.
            options["initial"] = None
        return options

    def create_dropdown_field(self, field, options):
        # A blank first option: otherwise the browser submits the first choice as the
        # answer of a visitor who never opened the list.
        options["choices"] = [("", _("Choose an answer")), *self.get_formatted_field_choices(field)]
        return forms.ChoiceField(**options)

    def create_checkboxes_field(self, field, options):
        field_ = super().create_checkboxes_field(field, options)
        if not field.required:
            field_.initial = None
        return field_

    def create_singleline_field(self, field, options):
        options["max_length"] = SINGLE_LINE_MAX
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTI_LINE_MAX
        options.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        return forms.CharField(**options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        options.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        return forms.EmailField(**options)

    def create_number_field(self, field, options):
        options["max_digits"] = 15
        options["decimal_places"] = 4
        return forms.DecimalField(**options)

    def create_url_field(self, field, options):
        options["max_length"] = 500
        return forms.URLField(assume_scheme="https", **options)

    def create_file_field(self, field, options):
        return UploadField(**options)


class PublicSubmissionForm(BaseForm):
    """Base class of every public form: holds the page and the visitor's language."""

    honeypot = HONEYPOT_FIELD
    # The editor's fields that collect health information (DataClass.SENSITIVE).
    sensitive_field_names: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in (HONEYPOT_FIELD, STARTED_FIELD):
                continue
            if field.required:
                field.widget.attrs.setdefault("required", True)

    def clean(self):
        cleaned = super().clean()
        # Policy P6: health information only with consent; a visitor who writes none is
        # not asked to consent to anything.
        sensitive_filled = any(
            cleaned.get(name) not in EMPTY_VALUES for name in self.sensitive_field_names
        )
        if sensitive_filled and CONSENT_FIELD in self.fields and not cleaned.get(CONSENT_FIELD):
            self.add_error(CONSENT_FIELD, self.fields[CONSENT_FIELD].error_messages["required"])
        return cleaned

    def visible_answer_fields(self):
        extra = (TOPIC_FIELD, CONSENT_FIELD, HONEYPOT_FIELD, STARTED_FIELD, CHALLENGE_FIELD)
        return [
            self[name]
            for name in self.fields
            if name not in extra and not name.startswith(PURPOSE_PREFIX)
        ]

    def purpose_fields(self):
        return [self[name] for name in self.fields if name.startswith(PURPOSE_PREFIX)]


def public_form_class(page) -> type[PublicSubmissionForm]:
    """The form class for ``page``: the editor's fields plus the policy's own."""
    builder = SubmissionFormBuilder(page.get_form_fields())
    attrs: dict[str, forms.Field] = {}
    topics = list(page.get_topics()) if hasattr(page, "get_topics") else []
    if topics:
        attrs[TOPIC_FIELD] = forms.TypedChoiceField(
            label=_("Topic"),
            help_text=_("Your message goes only to the team that handles this topic."),
            choices=[("", _("Choose a topic"))] + [(t.pk, t.label) for t in topics],
            coerce=int,
        )
    if hasattr(page, "extra_form_fields"):  # e.g. a program's session choice
        attrs.update(page.extra_form_fields())
    attrs.update(builder.formfields)
    sensitive = tuple(
        field.clean_name
        for field in page.get_form_fields()
        if field.data_class == DataClass.SENSITIVE
    )
    if sensitive:
        attrs["sensitive_field_names"] = sensitive
        attrs[CONSENT_FIELD] = forms.BooleanField(
            label=page.consent_wording,
            help_text=_("Needed only if you write information about your health."),
            required=False,
            error_messages={
                "required": _("We can only receive health information with your consent.")
            },
        )
    for purpose in page.optional_purposes.all():
        attrs[f"{PURPOSE_PREFIX}{purpose.key}"] = forms.BooleanField(
            label=purpose.label, required=False
        )
    attrs.update(guard_form_fields())
    return type("PublicSubmissionForm", (PublicSubmissionForm,), attrs)
