"""Forms that collect personal data, and what they collect (policy P3, P6, P7, F, M).

Editors build forms with Wagtail's form builder; what differs from Wagtail's own
``FormSubmission`` is where the answers go: encrypted at rest, visible only to the
members of the form's destination inbox (a group), and deleted after the form's
retention (at most 90 days) or as soon as staff close the item.
"""

from __future__ import annotations

import datetime
import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from csce.common import policy
from csce.common.http import no_store
from csce.pages.blocks import RICH_TEXT_FEATURES
from csce.pages.models import BasePage

from ..forms import public_form_class
from ..page_forms import PersonalDataPageForm, ProgramPageForm
from ..programs.registration import (
    program_session_form_field,
    registration_cancel_view,
    session_when,
    session_where,
)
from ..routing import routing_change_record
from ..views import form_page_serve
from .records import (
    DEFAULT_RETENTION_DAYS,
    MAX_RETENTION_DAYS,
    PROGRAM_CANCEL_PARAMETER,
    PROGRAM_SESSION_FIELD,
    DataClass,
    FormKind,
)

FIELD_TYPE_CHOICES = (*FORM_FIELD_CHOICES, ("file", _("File upload")))


class FormFieldBase(AbstractFormField):
    """A field of a form, with the class of data it collects (policy P3, P6)."""

    field_type = models.CharField(_("field type"), max_length=16, choices=FIELD_TYPE_CHOICES)
    field_type.required_on_save = True
    data_class = models.CharField(
        _("kind of data"),
        max_length=16,
        choices=DataClass.choices,
        default=DataClass.PERSONAL,
        help_text=_(
            "Sensitive fields (health information) make the form ask for consent; "
            "no value is ever shown outside the inbox."
        ),
    )
    panels = [*AbstractFormField.panels, FieldPanel("data_class")]

    class Meta(AbstractFormField.Meta):
        abstract = True


class PersonalDataFormPage(BasePage, AbstractForm):
    """What every form that collects personal data declares: its purpose, its inbox and
    its retention (policy P7, F, M)."""

    kind: str = FormKind.INQUIRY

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    purpose = models.TextField(
        _("purpose"),
        max_length=1000,
        help_text=_(
            "Why the centre collects this information (policy P7). Shown on the form, "
            "in the consent box and in the privacy notice."
        ),
    )
    inbox = models.ForeignKey(
        "auth.Group",
        verbose_name=_("destination inbox"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only members of this group see what visitors send (policy F)."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("retention in days"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_DAYS)],
        help_text=policy.interpolate_lazy(
            ngettext_lazy(
                "Submissions are deleted automatically after this many days (at most %(days)s).",
                "Submissions are deleted automatically after this many days (at most %(days)s).",
                "days",
            ),
            {"days": MAX_RETENTION_DAYS},
        ),
    )
    consent_text = models.TextField(
        _("consent wording"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Shown next to the consent box when a field is sensitive. Empty: the purpose is used."
        ),
    )
    # Raised each time the purpose or consent wording changes, so that a consent record
    # says which words the person agreed to.
    consent_version = models.PositiveIntegerField(_("consent wording version"), default=1)
    thank_you_text = RichTextField(_("thank-you message"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("purpose"),
                FieldPanel("consent_text"),
                FieldRowPanel([FieldPanel("inbox"), FieldPanel("retention_days")]),
            ],
            heading=_("Personal data"),
        ),
        InlinePanel("form_fields", heading=_("Form fields"), label=_("Form field")),
        InlinePanel(
            "optional_purposes",
            heading=_("Optional purposes (separate unticked boxes)"),
            label=_("Optional purpose"),
        ),
        FieldPanel("thank_you_text"),
    ]

    base_form_class = PersonalDataPageForm

    class Meta:
        abstract = True

    @property
    def form_kind(self) -> str:
        return self.kind

    @property
    def consent_wording(self) -> str:
        return self.consent_text or self.purpose

    def get_form_class(self):
        return public_form_class(self)

    def get_topics(self) -> list:
        return []

    def serve(self, request, *args, **kwargs):
        return form_page_serve(self, request)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        response = super().render_landing_page(request, form_submission, *args, **kwargs)
        return no_store(response)

    def has_sensitive_fields(self) -> bool:
        return any(f.data_class == DataClass.SENSITIVE for f in self.get_form_fields())

    def clean(self):
        super().clean()
        if self.retention_days and self.retention_days > MAX_RETENTION_DAYS:
            raise ValidationError(
                {
                    "retention_days": policy.interpolate_lazy(
                        ngettext_lazy(
                            "Personal data is kept at most %(days)s day (policy M).",
                            "Personal data is kept at most %(days)s days (policy M).",
                            "days",
                        ),
                        {"days": MAX_RETENTION_DAYS},
                    )
                }
            )

    def routing_saved(self) -> dict | None:
        """Where the saved page sends what visitors type, by ids: the form's inbox and,
        for contact forms, each topic's inbox. None for a page not saved yet."""
        inbox_id = type(self).objects.filter(pk=self.pk).values_list("inbox_id", flat=True).first()
        return None if inbox_id is None else {"inbox": inbox_id}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        watched = update_fields is None or "inbox" in update_fields
        before = self.routing_saved() if watched and self.pk else None
        saved = self._consent_version_save(*args, **kwargs)
        if watched:
            after = self.routing_saved()
            if after != before:
                routing_change_record(page=self, before=before, after=after)
        return saved

    def _consent_version_save(self, *args, **kwargs):
        if self.pk:
            previous = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("purpose", "consent_text", "consent_version")
                .first()
            )
            if previous and (
                previous["purpose"] != self.purpose or previous["consent_text"] != self.consent_text
            ):
                self.consent_version = previous["consent_version"] + 1
        return super().save(*args, **kwargs)


def form_page_models() -> list[type[PersonalDataFormPage]]:
    """Every concrete form page type (inquiries, surveys, programs...)."""
    return [m for m in apps.get_models() if issubclass(m, PersonalDataFormPage)]


class OptionalPurposeBase(Orderable):
    """An optional use of the data the visitor may tick, e.g. "also subscribe me"."""

    key = models.SlugField(
        _("identifier"),
        max_length=50,
        help_text=_("Stable name kept with the consent, e.g. newsletter."),
    )
    label = models.CharField(_("wording"), max_length=300)

    panels = [FieldPanel("key"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        abstract = True


class InquiryPage(PersonalDataFormPage):
    """A contact form: the visitor picks a topic that routes to a department inbox."""

    kind = FormKind.INQUIRY
    template = "submissions/inquiry_page.html"
    landing_page_template = "submissions/form_page_landing.html"

    content_panels = [
        *PersonalDataFormPage.content_panels[:-3],
        InlinePanel("topics", heading=_("Topics (each routes to an inbox)"), label=_("Topic")),
        *PersonalDataFormPage.content_panels[-3:],
    ]
    parent_page_types = ["pages.HomePage", "pages.ContactPage", "pages.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("inquiry form")
        verbose_name_plural = _("inquiry forms")

    def get_topics(self) -> list:
        return list(self.topics.all())

    def routing_saved(self) -> dict | None:
        routing = super().routing_saved()
        if routing is not None:
            routing["topics"] = [
                list(pair)
                for pair in InquiryTopic.objects.filter(page_id=self.pk)
                .order_by("pk")
                .values_list("pk", "inbox_id")
            ]
        return routing


class InquiryFormField(FormFieldBase):
    page = ParentalKey(InquiryPage, on_delete=models.CASCADE, related_name="form_fields")


class InquiryOptionalPurpose(OptionalPurposeBase):
    page = ParentalKey(InquiryPage, on_delete=models.CASCADE, related_name="optional_purposes")


class InquiryTopic(Orderable):
    page = ParentalKey(InquiryPage, on_delete=models.CASCADE, related_name="topics")
    label = models.CharField(_("topic"), max_length=200)
    inbox = models.ForeignKey(
        "auth.Group", verbose_name=_("inbox"), on_delete=models.PROTECT, related_name="+"
    )
    panels = [FieldPanel("label"), FieldPanel("inbox")]

    class Meta(Orderable.Meta):
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.label


class SurveyPage(PersonalDataFormPage):
    """An online survey (policy P3). Anonymous by default: no e-mail field, nothing that
    identifies the visitor is stored, and answers are read as results per question."""

    kind = FormKind.SURVEY
    template = "submissions/survey_page.html"
    landing_page_template = "submissions/form_page_landing.html"

    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous surveys accept no e-mail field and keep no address of the visitor."),
    )

    content_panels = [
        *PersonalDataFormPage.content_panels[:2],
        FieldPanel("anonymous"),
        *PersonalDataFormPage.content_panels[2:],
    ]
    parent_page_types = [
        "pages.HomePage",
        "pages.ContactPage",
        "pages.StandardPage",
        "pages.ServicePage",
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    @property
    def is_anonymous(self) -> bool:
        return self.anonymous

    def clean(self):
        super().clean()
        if self.anonymous and any(f.field_type == "email" for f in self.form_fields.all()):
            raise ValidationError(_("An anonymous survey cannot ask for an e-mail address."))


class SurveyFormField(FormFieldBase):
    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="form_fields")


class SurveyOptionalPurpose(OptionalPurposeBase):
    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="optional_purposes")


# --- Service registration ------------------------------------------------------------
# Program pages with sessions, capacity and a waitlist (policy P3). The work is in
# programs/registration.py; these models hold the sessions, records.py the places.


class ProgramPage(PersonalDataFormPage):
    """A service or program people register for: choose a session, get a place or
    a place on the waitlist, and a confirmation e-mail with a calendar file."""

    kind = FormKind.REGISTRATION
    template = "submissions/program_page.html"
    landing_page_template = "submissions/program_page_landing.html"

    content_panels = [
        *PersonalDataFormPage.content_panels[:2],
        InlinePanel("sessions", heading=_("Sessions"), label=_("Session"), min_num=1),
        *PersonalDataFormPage.content_panels[2:],
    ]
    parent_page_types = ["pages.ServiceIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ProgramPageForm

    class Meta:
        verbose_name = _("program registration form")
        verbose_name_plural = _("program registration forms")

    def copy_child_relation(self, child_relation, target, commit=False, append=False):
        """Copies keep each session's ``key`` (one pool of places in every language); a
        session the target already has keeps its row, so its registrations keep their place.

        wagtail-localize syncs a translation with this copy, which would otherwise delete
        the translation's sessions and recreate them (SET_NULL on their registrations)."""
        if isinstance(child_relation, str):
            child_relation = self._meta.get_field(child_relation)
        child_object_map = super().copy_child_relation(
            child_relation, target, commit=False, append=append
        )
        if child_relation.name == "sessions" and target.pk and not append:
            existing = dict(
                ProgramSession.objects.filter(page_id=target.pk).values_list("key", "pk")
            )
            for copies in child_object_map.values():
                for session in copies if isinstance(copies, list) else [copies]:
                    session.pk = existing.get(session.key)
                    session._state.adding = session.pk is None
        if commit:
            getattr(target, child_relation.get_accessor_name()).commit()
        return child_object_map

    def upcoming_sessions(self, *, now: datetime.datetime | None = None) -> list:
        now = now or timezone.now()
        return [s for s in self.sessions.all() if s.starts_at > now and s.cancelled_at is None]

    def extra_form_fields(self) -> dict:
        """The required session choice, added to the public form by public_form_class."""
        return {PROGRAM_SESSION_FIELD: program_session_form_field(page=self)}

    def serve(self, request, *args, **kwargs):
        # <page>?cancel=<signed token>: the cancel link of a registration e-mail. A query
        # string keeps the page router and the anonymous page cache out of the way.
        if PROGRAM_CANCEL_PARAMETER in request.GET:
            token = request.GET.get(PROGRAM_CANCEL_PARAMETER, "")
            return registration_cancel_view(request, page=self, token=token)
        return super().serve(request, *args, **kwargs)


class ProgramFormField(FormFieldBase):
    page = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="form_fields")


class ProgramOptionalPurpose(OptionalPurposeBase):
    page = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="optional_purposes")


class ProgramSession(Orderable):
    """One date of a program, with the number of places it offers."""

    page = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="sessions")
    # The same session in every language of the program: its French and English rows
    # (copied by translation) share this key, and one pool of places.
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    # Policy P6: sent to registrants only (confirmation, notices, their cancel page),
    # never shown on the public page.
    join_url = models.URLField(
        _("join link"),
        max_length=500,
        blank=True,
        help_text=_(
            "For an online session: the video-call link, sent only to registered people, "
            "never shown on the public page."
        ),
    )
    # Set by program staff (programs/desk.py): a cancelled session takes no registration.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("online")]),
        FieldPanel("join_url"),
        FieldPanel("capacity"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.page.title} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def when(self) -> str:
        return session_when(session=self)

    @property
    def where(self) -> str:
        return session_where(session=self)

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})
