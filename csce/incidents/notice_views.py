"""Notifying the people affected by a breach (policy P8: as soon as possible; PHIPA
s.12(2): at the first reasonable opportunity, with the right to complain to the IPC).

For holders of ``incidents.notify_incident`` (the Privacy Officer, the AED): the notice's
editor, a preview of the e-mail in each language, the send confirmation, and the notices
page (what became of each notice, the time from detection to the first notice, the
failures to follow up with "Send again"). Everyone else, the Executive Director included,
gets the 403 page saying why. Pages that show the notice or the notices are logged reads
(csce/audit/reads.py) and never cached.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.audit.reads import personal_data_read, personal_data_read_many
from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin
from csce.common.crypto import blind_index
from csce.outbox.selectors import address_masked

from .models import BreachNotice, BreachScope, Incident, NoticeState
from .notices import (
    LANGUAGES,
    NOTICE_PARTS,
    NoticeError,
    breach_notice_retry,
    breach_notice_states_sync,
    breach_notices_prepare,
    contacts_languages,
    duration_words,
    notice_counts,
    notice_draft_default,
    notice_draft_save,
    notice_language,
    notice_missing_elements,
    notice_render,
    notice_text_missing,
    time_to_notify,
)
from .registry import NOTICE_TYPE
from .scope import breach_scope_contacts
from .services import OBJECT_TYPE

NOTIFY_PERMISSION = "incidents.notify_incident"
FORBIDDEN_REASON = _(
    "Only the Privacy Officer and the Assistant Executive Director notify the people "
    "affected by a breach."
)


def scope_contacts(*, scope: BreachScope, actor=None):
    """The people of a breach scope, resolved again through the registry (the people are
    never stored with the scope: counts only); a read of their addresses by ``actor``."""
    return breach_scope_contacts(scope=scope, actor=actor)


def _language_name(language: str) -> str:
    return gettext(dict(settings.LANGUAGES).get(language, language))


def _incident_url(incident: Incident) -> str:
    """The incident's page in the register, or the register itself."""
    try:
        return reverse("incidents:detail", args=[incident.pk])
    except NoReverseMatch:
        return reverse("incidents:index")


class NoticeDraftForm(forms.Form):
    """The notice's four parts in each language; which languages are required depends
    on who is to be notified, checked by the view (``notice_text_missing``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in LANGUAGES:
            for key, label in NOTICE_PARTS:
                self.fields[f"{language}_{key}"] = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
                )

    def notice_text(self) -> dict:
        data = self.cleaned_data
        return {
            language: {key: data.get(f"{language}_{key}", "") for key, _label in NOTICE_PARTS}
            for language in LANGUAGES
        }

    def languages(self):
        """One fieldset per language, for the template."""
        return [
            {
                "code": language,
                "name": _language_name(language),
                "fields": [self[f"{language}_{key}"] for key, _label in NOTICE_PARTS],
            }
            for language in LANGUAGES
        ]


class NoticeViewMixin(PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin):
    permission = NOTIFY_PERMISSION
    forbidden_reason = FORBIDDEN_REASON
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(NOTIFY_PERMISSION):
            self.incident = get_object_or_404(Incident.objects.breaches(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("incidents:index"), "label": gettext("Incidents")},
            {"url": _incident_url(self.incident), "label": self.incident.reference},
            {"url": "", "label": self.get_page_title()},
        ]

    def latest_scope(self) -> BreachScope | None:
        return self.incident.scopes.order_by("-created_at", "-pk").first()

    def contacts(self):
        """The people of the latest scope (resolved once per request)."""
        if not hasattr(self, "_contacts"):
            scope = self.latest_scope()
            self._contacts = (
                [] if scope is None else list(scope_contacts(scope=scope, actor=self.request.user))
            )
        return self._contacts

    def required_languages(self) -> list[str]:
        """The languages someone to notify speaks; before any scope, both."""
        if self.latest_scope() is None:
            return list(LANGUAGES)
        return contacts_languages(self.contacts())

    def notice_read(self) -> None:
        """The notice's text may say what happened: showing it is a read (policy F)."""
        personal_data_read(
            actor=self.request.user,
            record=self.incident,
            object_type=OBJECT_TYPE,
            details={"reason": "breach_notice"},
            request=self.request,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            incident=self.incident,
            incident_url=_incident_url(self.incident),
            edit_url=reverse("incidents:notice_edit", args=[self.incident.pk]),
            preview_url=reverse("incidents:notice_preview", args=[self.incident.pk]),
            send_url=reverse("incidents:notices_send", args=[self.incident.pk]),
            notices_url=reverse("incidents:notices", args=[self.incident.pk]),
        )
        return context


class NoticeEditView(NoticeViewMixin, TemplateView):
    """The notice's editor: both languages side by side, every part required in each
    language someone to notify speaks."""

    template_name = "incidents/admin/notices/edit.html"
    page_title = _("Notice to the people affected")

    def form_initial(self) -> dict:
        text = self.incident.notice_text or notice_draft_default(incident=self.incident)
        return {
            f"{language}_{key}": (text.get(language) or {}).get(key, "")
            for language in LANGUAGES
            for key, _label in NOTICE_PARTS
        }

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        self.notice_read()
        required = self.required_languages()
        context.update(
            form=form or NoticeDraftForm(initial=self.form_initial()),
            is_draft=not self.incident.notice_text,
            required_languages=[_language_name(language) for language in required],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = NoticeDraftForm(request.POST)
        if form.is_valid():
            text = form.notice_text()
            required = self.required_languages()
            missing = notice_text_missing(text, required)
            if not missing:
                try:
                    notice_draft_save(
                        incident=self.incident,
                        notice_text=text,
                        languages=required,
                        actor=request.user,
                    )
                except NoticeError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, gettext("The notice is saved."))
                    return redirect("incidents:notice_preview", self.incident.pk)
            for language, keys in missing.items():
                for key in keys:
                    form.add_error(
                        f"{language}_{key}",
                        gettext("Write this part in %(language)s: someone to notify reads it.")
                        % {"language": _language_name(language).lower()},
                    )
            if missing:
                form.add_error(
                    None,
                    gettext(
                        "The notice is not saved: every part is needed in each language "
                        "that someone to notify speaks."
                    ),
                )
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class NoticePreviewView(NoticeViewMixin, TemplateView):
    """The e-mail as each language's recipient gets it (the name is the person's own)."""

    template_name = "incidents/admin/notices/preview.html"
    page_title = _("Preview of the notice")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.notice_read()
        required = self.required_languages()
        previews = []
        for language in LANGUAGES:
            if notice_text_missing(self.incident.notice_text, [language]):
                previews.append(
                    {"code": language, "name": _language_name(language), "incomplete": True}
                )
                continue
            rendered = notice_render(
                incident=self.incident, language=language, name=gettext("[the person's name]")
            )
            previews.append(
                {
                    "code": language,
                    "name": _language_name(language),
                    "subject": rendered.subject,
                    "body": rendered.body,
                    "missing": notice_missing_elements(incident=self.incident, rendered=rendered),
                    "required": language in required,
                }
            )
        context["previews"] = previews
        return context


class NoticesSendView(NoticeViewMixin, TemplateView):
    """The confirmation: how many people get the notice, in which language, and how many
    records without an address cannot be notified; then the confirmed POST queues them."""

    template_name = "incidents/admin/notices/send.html"
    page_title = _("Send the notice")

    def plan(self) -> dict:
        scope = self.latest_scope()
        contacts = self.contacts()
        known = set(self.incident.notices.values_list("email_index", flat=True))
        people: dict[str, str] = {}
        for contact in contacts:
            index = blind_index(contact.email)
            if index and index not in known and index not in people:
                people[index] = notice_language(contact.language)
        languages = sorted(set(people.values()), key=LANGUAGES.index)
        problems = []
        missing = notice_text_missing(self.incident.notice_text, languages)
        for language, _keys in missing.items():
            problems.append(
                gettext("The notice is not written in %(language)s.")
                % {"language": _language_name(language).lower()}
            )
        for language in languages:
            if language in missing:
                continue
            rendered = notice_render(incident=self.incident, language=language)
            lacking = notice_missing_elements(incident=self.incident, rendered=rendered)
            if lacking:
                problems.append(
                    gettext("The notice in %(language)s lacks: %(what)s.")
                    % {"language": _language_name(language).lower(), "what": ", ".join(lacking)}
                )
        total = len(people)
        french = sum(1 for lang in people.values() if lang == "fr")
        english = sum(1 for lang in people.values() if lang == "en")
        without = int((scope.counts or {}).get("without_address", 0)) if scope else 0
        sentence = gettext("%(people)s: %(french)s, %(english)s; %(without)s.") % {
            "people": ngettext(
                "%(n)d person will get this notice", "%(n)d people will get this notice", total
            )
            % {"n": total},
            "french": ngettext("%(n)d in French", "%(n)d in French", french) % {"n": french},
            "english": ngettext("%(n)d in English", "%(n)d in English", english) % {"n": english},
            "without": ngettext(
                "%(n)d record without an address cannot be notified",
                "%(n)d records without an address cannot be notified",
                without,
            )
            % {"n": without},
        }
        return {
            "sentence": sentence,
            "scope": scope,
            "contacts": contacts,
            "total": total,
            "already": len({blind_index(c.email) for c in contacts} & known),
            "problems": problems,
        }

    def get_context_data(self, plan=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = plan or self.plan()
        return context

    def post(self, request, *args, **kwargs):
        plan = self.plan()
        if plan["scope"] is None or not plan["total"] or plan["problems"]:
            response = self.render_to_response(self.get_context_data(plan=plan))
            response.status_code = 400
            return response
        # The task worker writes the notices (thousands, for a breach of the newsletter
        # list) and the outbox sends them: nothing of it runs in this request (policy M).
        breach_notices_prepare.enqueue(
            incident_id=self.incident.pk, scope_id=plan["scope"].pk, actor_id=request.user.pk
        )
        messages.success(
            request,
            ngettext(
                "The notice to %(count)d person is being prepared; the outbox sends it.",
                "The notices to %(count)d people are being prepared; the outbox sends them.",
                plan["total"],
            )
            % {"count": plan["total"]},
        )
        return redirect("incidents:notices", self.incident.pk)


class NoticesView(NoticeViewMixin, TemplateView):
    """What became of the notices: counts per state, the time from detection to the first
    notice, and the failures to follow up (masked addresses) with "Send again"."""

    template_name = "incidents/admin/notices/index.html"
    page_title = _("Notices to the people affected")

    def get_context_data(self, **kwargs):
        # The outbox forgets a message after a week: each view records what it knows.
        breach_notice_states_sync(incident=self.incident)
        context = super().get_context_data(**kwargs)
        failed = list(self.incident.notices.filter(state=NoticeState.FAILED).order_by("pk"))
        if failed:
            personal_data_read_many(
                actor=self.request.user,
                records=failed,
                object_type=NOTICE_TYPE,
                request=self.request,
                details={"reason": "breach_notice_follow_up"},
            )
        delay = time_to_notify(incident=self.incident)
        context.update(
            counts=notice_counts(incident=self.incident),
            failed=[
                {
                    "notice": notice,
                    "masked": address_masked(notice.email),
                    "language": _language_name(notice_language(notice.language)),
                }
                for notice in failed
            ],
            delay_fr=duration_words(delay, "fr"),
            delay_en=duration_words(delay, "en"),
        )
        return context

    def post(self, request, *args, **kwargs):
        notice_id = request.POST.get("notice", "")
        notice = get_object_or_404(
            BreachNotice, incident=self.incident, pk=int(notice_id) if notice_id.isdigit() else 0
        )
        if breach_notice_retry(notice=notice, actor=request.user):
            messages.success(request, gettext("The notice is queued again."))
        else:
            messages.warning(request, gettext("This notice did not fail: nothing to send again."))
        return redirect("incidents:notices", self.incident.pk)


urlpatterns: list = [
    path("<int:pk>/notice/", NoticeEditView.as_view(), name="notice_edit"),
    path("<int:pk>/notice/preview/", NoticePreviewView.as_view(), name="notice_preview"),
    path("<int:pk>/notices/send/", NoticesSendView.as_view(), name="notices_send"),
    path("<int:pk>/notices/", NoticesView.as_view(), name="notices"),
]
