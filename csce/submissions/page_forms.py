"""The editor's form of a program page: sessions that people hold places in are kept.

Removing a session from the page would leave its registrations without a place
(Registration.session is SET_NULL) and the people registered would never hear of it;
lowering its places below those already given would overbook it. Both are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from wagtail.admin.forms import WagtailAdminPageForm


class ProgramPageForm(WagtailAdminPageForm):
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
        from .models import ProgramSession, RegistrationStatus
        from .registration import session_place_counts, session_when

        forms = [form for form in formset.forms if form.instance.pk]
        saved = {
            session.pk: session
            for session in ProgramSession.objects.filter(
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
