"""The front-desk screens of a session (programs/desk.py does the work): add someone by
hand, check people in, write to everyone, cancel or reschedule the session.

Need to know (policy F): the members of the program's inbox and break-glass superusers,
as for the roster; anyone else gets a real 403. Screens that show names are never kept
by a cache.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.admin_views import forbidden
from csce.common.http import no_store

from ..inbox.selectors import INBOX_FORBIDDEN_REASON, user_in_inbox
from ..models.pages import ProgramSession
from ..models.records import RegistrationChannel, RegistrationStatus
from .desk import (
    DeskRegistrant,
    FrontDeskError,
    MessageTexts,
    attendance_mark,
    attendance_people,
    desk_read_log,
    registration_by_hand,
    session_cancel,
    session_message_send,
    session_recipients,
    session_reschedule,
)
from .registration import SessionCancelled, session_when

PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-]{7,}(\s*(x|ext\.?|poste|p\.)\s*[0-9]{1,6})?$", re.I)
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _languages():
    return [
        (code, translation.get_language_info(code)["name_translated"])
        for code, _n in settings.LANGUAGES
    ]


def _staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- forms -----------------------------------------------------------------------------


class DeskRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=40,
        required=False,
        help_text=_("Telephone, e-mail or both: how the centre reaches this person."),
    )
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    language = forms.ChoiceField(label=_("Language of the messages"), widget=forms.RadioSelect)
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    channel = forms.ChoiceField(
        label=_("How the person registers"),
        choices=[
            (RegistrationChannel.PHONE, RegistrationChannel.PHONE.label),
            (RegistrationChannel.WALK_IN, RegistrationChannel.WALK_IN.label),
        ],
        widget=forms.RadioSelect,
        initial=RegistrationChannel.PHONE,
    )
    consent = forms.BooleanField(
        label=_(
            "I read the purpose of the registration to the person and they agreed orally "
            "that the centre keeps this information for it."
        ),
        error_messages={"required": _("Register the person only once they have agreed.")},
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _languages()
        self.fields["language"].initial = settings.LANGUAGE_CODE
        self.fields["session"].choices = [(s.pk, session_when(session=s)) for s in sessions]
        self.fields["session"].error_messages["invalid_choice"] = _(
            "This session no longer takes registrations: choose another one."
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Type the person's name."))
        return name

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(
                _("Type a telephone number with its area code, e.g. 613 555-0100.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Give a telephone number or an e-mail address to reach the person.")
            )
        return data


class MessageForm(forms.Form):
    subject_fr = forms.CharField(label=_("Subject in French"), max_length=150, required=False)
    body_fr = forms.CharField(
        label=_("Message in French"), max_length=5000, required=False, widget=forms.Textarea
    )
    subject_en = forms.CharField(label=_("Subject in English"), max_length=150, required=False)
    body_en = forms.CharField(
        label=_("Message in English"), max_length=5000, required=False, widget=forms.Textarea
    )
    include_waitlist = forms.BooleanField(
        label=_("Also write to the people on the waitlist"), required=False
    )

    def __init__(self, *args, languages_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages_of = languages_of

    def clean(self):
        data = super().clean()
        needed = self.languages_of(bool(data.get("include_waitlist")))
        if not needed:
            raise forms.ValidationError(_("Nobody in this session has an e-mail address."))
        for language in sorted(needed):
            for part in ("subject", "body"):
                if not data.get(f"{part}_{language}", "").strip():
                    self.add_error(
                        f"{part}_{language}",
                        _("Someone registered in this language: write this part too."),
                    )
        return data

    def texts(self) -> MessageTexts:
        data = self.cleaned_data
        return MessageTexts(
            texts={
                code: (data.get(f"subject_{code}", ""), data.get(f"body_{code}", ""))
                for code in ("fr", "en")
            }
        )


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel this session and tell everyone registered"),
        error_messages={"required": _("Tick the box to confirm the cancellation.")},
    )


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": _("Give a date and a time, e.g. 2027-01-12 18:30.")},
    )
    ends_at = forms.DateTimeField(
        label=_("New end"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": _("Give a date and a time, e.g. 2027-01-12 20:00.")},
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts <= timezone.now():
            self.add_error("starts_at", _("The new date must be in the future."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session ends after it starts."))
        return data


# --- views -----------------------------------------------------------------------------


class SessionDeskView(WagtailAdminTemplateMixin, TemplateView):
    """A front-desk screen of one session, for the members of its program's inbox."""

    header_icon = "group"
    action_label = ""

    def dispatch(self, request, *args, **kwargs):
        self.session = get_object_or_404(
            ProgramSession.objects.select_related("page"), pk=kwargs["session_id"]
        )
        if not user_in_inbox(user=request.user, inbox_id=self.session.page.inbox_id):
            return forbidden(request, reason=INBOX_FORBIDDEN_REASON)
        return no_store(super().dispatch(request, *args, **kwargs))

    def get_page_title(self):
        return f"{self.action_label} — {self.session.page.title}"

    def get_page_subtitle(self):
        return session_when(session=self.session)

    def roster_url(self) -> str:
        return reverse("submissions_admin:session_roster", args=[self.session.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("submissions_admin:index"), "label": gettext("Inboxes")},
            {
                "url": reverse("submissions_admin:programs"),
                "label": gettext("Registrations per session"),
            },
            {"url": self.roster_url(), "label": session_when(session=self.session)},
            {"url": "", "label": str(self.action_label)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"session": self.session, "roster_url": self.roster_url()})
        return context

    def back_to_roster(self, message: str):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.roster_url())


class DeskRegistrationView(SessionDeskView):
    template_name = "submissions/admin/roster/desk_add.html"
    action_label = _("Add a registration")

    def sessions(self) -> list[ProgramSession]:
        now = timezone.now()
        rows = ProgramSession.objects.filter(
            page_id=self.session.page_id, cancelled_at__isnull=True, ends_at__gt=now
        ).order_by("starts_at", "pk")
        return list(rows)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or DeskRegistrationForm(
            sessions=self.sessions(), initial={"session": self.session.pk}
        )
        context["staff_name"] = _staff_name(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = DeskRegistrationForm(request.POST, sessions=self.sessions())
        if form.is_valid():
            data = form.cleaned_data
            session = ProgramSession.objects.select_related("page").get(pk=data["session"])
            person = DeskRegistrant(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                channel=data["channel"],
            )
            try:
                registration = registration_by_hand(
                    session=session, person=person, staff=request.user
                )
            except (FrontDeskError, SessionCancelled) as error:
                form.add_error(None, str(error) or gettext("This session is cancelled."))
            else:
                if registration.status == RegistrationStatus.REGISTERED:
                    text = gettext("%(name)s is registered.")
                else:
                    text = gettext("The session is full: %(name)s is on the waitlist.")
                messages.success(request, text % {"name": person.name})
                return HttpResponseRedirect(
                    reverse("submissions_admin:session_roster", args=[session.pk])
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CheckInView(SessionDeskView):
    template_name = "submissions/admin/roster/desk_checkin.html"
    action_label = _("Check-in")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = attendance_people(session=self.session)
        desk_read_log(
            session=self.session,
            actor=self.request.user,
            submissions=[p["registration"].submission_id for p in people],
            screen="check_in",
        )
        context["people"] = people
        context["present"] = sum(1 for p in people if p["registration"].attended)
        return context

    def post(self, request, *args, **kwargs):
        choice = request.POST.get("attendance", "")
        present = {"present": True, "absent": False, "unknown": None}.get(choice, "bad")
        try:
            registration_id = int(request.POST.get("registration", ""))
        except ValueError:
            registration_id = 0
        if present == "bad" or not registration_id:
            messages.error(request, gettext("Choose present or absent for one person."))
            return HttpResponseRedirect(request.path)
        try:
            attendance_mark(
                session=self.session,
                registration_id=registration_id,
                present=present,
                staff=request.user,
            )
        except FrontDeskError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(f"{request.path}#person-{registration_id}")


class MessageView(SessionDeskView):
    template_name = "submissions/admin/roster/desk_message.html"
    action_label = _("Write to the registered people")

    def languages_of(self, include_waitlist: bool) -> set[str]:
        people = session_recipients(session=self.session, include_waitlist=include_waitlist)
        return {
            p["language"] if p["language"] in ("fr", "en") else "fr" for p in people if p["email"]
        }

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or MessageForm(languages_of=self.languages_of)
        return context

    def post(self, request, *args, **kwargs):
        form = MessageForm(request.POST, languages_of=self.languages_of)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        include_waitlist = form.cleaned_data["include_waitlist"]
        if request.POST.get("action") != "send":
            people = session_recipients(session=self.session, include_waitlist=include_waitlist)
            desk_read_log(
                session=self.session,
                actor=request.user,
                submissions=[p["registration"].submission_id for p in people],
                screen="message_preview",
            )
            texts = form.texts().texts
            context = self.get_context_data(form=form)
            context.update(
                {
                    "preview": True,
                    "previews": [
                        {
                            "language": name,
                            "code": code,
                            "subject": texts[code][0],
                            "body": texts[code][1],
                            "count": sum(1 for p in people if p["email"] and p["language"] == code),
                        }
                        for code, name in _languages()
                        if any(p["email"] and p["language"] == code for p in people)
                    ],
                    "without_email": [p for p in people if not p["email"]],
                }
            )
            return self.render_to_response(context)
        result = session_message_send(
            session=self.session,
            texts=form.texts(),
            include_waitlist=include_waitlist,
            staff=request.user,
        )
        sent, without = len(result["sent"]), len(result["without_email"])
        text = ngettext(
            "Message queued for %(sent)d person.", "Message queued for %(sent)d people.", sent
        ) % {"sent": sent}
        if without:
            text += " " + ngettext(
                "%(count)d person has no e-mail address: call them.",
                "%(count)d people have no e-mail address: call them.",
                without,
            ) % {"count": without}
        return self.back_to_roster(text)


class CancelSessionView(SessionDeskView):
    template_name = "submissions/admin/roster/desk_cancel.html"
    action_label = _("Cancel the session")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or CancelForm()
        people = session_recipients(session=self.session, include_waitlist=True)
        context["told"] = len(people)
        context["without_email"] = sum(1 for p in people if not p["email"])
        return context

    def post(self, request, *args, **kwargs):
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                cancelled = session_cancel(session=self.session, staff=request.user)
            except FrontDeskError as error:
                form.add_error(None, str(error))
            else:
                return self.back_to_roster(
                    ngettext(
                        "Session cancelled; %(count)d person is told.",
                        "Session cancelled; %(count)d people are told.",
                        len(cancelled),
                    )
                    % {"count": len(cancelled)}
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RescheduleView(SessionDeskView):
    template_name = "submissions/admin/roster/desk_reschedule.html"
    action_label = _("Move the session")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            start = timezone.localtime(self.session.starts_at)
            end = timezone.localtime(self.session.ends_at)
            form = RescheduleForm(initial={"starts_at": start, "ends_at": end})
        context["form"] = form
        return context

    def post(self, request, *args, **kwargs):
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                told = session_reschedule(
                    session=self.session,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    staff=request.user,
                )
            except FrontDeskError as error:
                form.add_error(None, str(error))
            else:
                self.session.refresh_from_db()
                return self.back_to_roster(
                    ngettext(
                        "Session moved to %(when)s; %(count)d person is told.",
                        "Session moved to %(when)s; %(count)d people are told.",
                        len(told),
                    )
                    % {"when": session_when(session=self.session), "count": len(told)}
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


__all__ = [
    "CancelSessionView",
    "CheckInView",
    "DeskRegistrationView",
    "MessageView",
    "RescheduleView",
]
