"""The editor's forms of the form pages: routing is the AED's; program sessions are kept.

Which inbox receives a form, and which inbox each topic of a contact form sends to,
decides who reads what visitors send (policy F): an ordinary page edit or publish cannot
change it. Only holders of ``submissions.change_routing`` (the AED: csce/accounts/roles.py)
do; the change is refused next to the field for anyone else, and every change that is
saved is logged and told to the AED (``PersonalDataFormPage.save``).

Removing a session from the page would leave its registrations without a place
(Registration.session is SET_NULL) and the people registered would never hear of it;
lowering its places below those already given would overbook it. Both are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from .models.records import RegistrationStatus
from .programs.registration import session_place_counts, session_when

ROUTING_PERMISSION = "submissions.change_routing"


def routing_refusal() -> str:
    return gettext(
        "Only the Assistant Executive Director changes which inbox receives a form or "
        "a topic (policy F). Keep the inbox in force, or ask the AED to change it."
    )


class PersonalDataPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None or not user.has_perm(ROUTING_PERMISSION):
            self._routing_check(cleaned_data)
        return cleaned_data

    def _routing_check(self, cleaned_data) -> None:
        """What the page routes to, compared with what is in force (the live row): a
        draft, a revision brought back or a new page cannot bring another inbox."""
        model = type(self.instance)
        in_force = (
            model.objects.filter(pk=self.instance.pk).values_list("inbox_id", flat=True).first()
            if self.instance.pk
            else None
        )
        inbox = cleaned_data.get("inbox")
        if inbox is not None and inbox.pk != in_force:
            self.add_error("inbox", routing_refusal())
        formset = self.formsets.get("topics")
        if formset is None:
            return
        formset.is_valid()
        # A topic routes its label to an inbox: a new pair (a new topic, another inbox,
        # or a label moved onto another inbox) is a routing change; removing one is not.
        routes = set(
            # The formset's model is InquiryTopic (models/pages.py builds on this module).
            formset.model.objects.filter(page_id=self.instance.pk).values_list("label", "inbox_id")
            if self.instance.pk
            else []
        )
        refused = False
        for form in formset.forms:
            blank_extra = not form.has_changed() and not form.instance.pk
            if blank_extra or formset._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", None) or {}
            topic_inbox = data.get("inbox")
            if topic_inbox is None:
                continue
            if (data.get("label"), topic_inbox.pk) not in routes:
                form.add_error("inbox", routing_refusal())
                refused = True
        if refused:
            formset._non_form_errors.append(routing_refusal())
            self.add_error(None, routing_refusal())


class ProgramPageForm(PersonalDataPageForm):
    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("sessions")
        if formset is None or not self.instance.pk:
            return cleaned_data
        # Cleans the session forms (deleted ones included), whose data is read below.
        formset.is_valid()
        refusals = self._sessions_check(formset)
        if refusals:
            # The formset does not validate deleted forms: the refusal must stop the save here.
            formset._non_form_errors.extend(refusals)
            for refusal in refusals:
                self.add_error(None, refusal)
        return cleaned_data

    def _sessions_check(self, formset) -> list[str]:
        forms = [form for form in formset.forms if form.instance.pk]
        # The formset's model is ProgramSession (models/pages.py builds on this module).
        saved = {
            session.pk: session
            for session in formset.model.objects.filter(
                pk__in=[form.instance.pk for form in forms], page_id=self.instance.pk
            ).select_related("page")
        }
        counts = session_place_counts(sessions=saved.values())
        refusals = []
        for form in forms:
            session = saved.get(form.instance.pk)
            if session is None:
                continue
            registered = counts[session.pk][RegistrationStatus.REGISTERED]
            active = registered + counts[session.pk][RegistrationStatus.WAITLISTED]
            if formset._should_delete_form(form):
                if not active:
                    continue
                refusal = ngettext(
                    "The session of %(when)s cannot be removed: %(count)d person is "
                    "registered or on its waitlist. Cancel the registration first.",
                    "The session of %(when)s cannot be removed: %(count)d people are "
                    "registered or on its waitlist. Cancel their registrations first.",
                    active,
                ) % {"when": session_when(session=session), "count": active}
                form.add_error(None, refusal)
                refusals.append(refusal)
                # Shown again, not hidden as removed, so the editor sees which one it is.
                form.data = form.data.copy()
                form.data[form.add_prefix("DELETE")] = ""
            elif "capacity" in form.changed_data:
                capacity = form.cleaned_data.get("capacity")
                if capacity is not None and capacity < registered:
                    form.add_error(
                        "capacity",
                        ngettext(
                            "%(count)d person already has a place in this session: "
                            "it needs at least %(count)d place.",
                            "%(count)d people already have a place in this session: "
                            "it needs at least %(count)d places.",
                            registered,
                        )
                        % {"count": registered},
                    )
                    refusals.append(
                        gettext("The places of the session of %(when)s are too few.")
                        % {"when": session_when(session=session)}
                    )
        return refusals
