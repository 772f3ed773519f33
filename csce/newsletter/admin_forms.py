"""The staff forms of the newsletter: a test to oneself, and when to send (policy P3)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.typography import datetime_display

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
# The furthest ahead a campaign may be scheduled: past that, a date is far more likely a
# typing mistake (a wrong year) than a plan.
SCHEDULE_HORIZON = datetime.timedelta(days=366)

BOTH = "both"


class TestSendForm(forms.Form):
    """The language(s) of the test. The address is never a field: a test goes only to
    the signed-in staff member's own address (policy F, CASL s.6: no message to anyone
    who did not consent)."""

    language = forms.ChoiceField(
        label=_("Language of the test"),
        choices=[("fr", _("French")), ("en", _("English")), (BOTH, _("Both"))],
        initial=BOTH,
        widget=forms.RadioSelect,
    )

    def languages(self) -> list[str]:
        chosen = self.cleaned_data["language"]
        return ["fr", "en"] if chosen == BOTH else [chosen]


class ScheduleForm(forms.Form):
    NOW = "now"
    LATER = "later"

    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (LATER, _("Schedule for"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("Date and time (the centre's time zone)"),
        required=False,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": _("Give a date and a time, e.g. 2027-01-12 09:30.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("when") != self.LATER:
            data["at"] = None
            return data
        at = data.get("at")
        if at is None:
            if "at" not in self.errors:
                self.add_error("at", _("Give the date and time of sending."))
            return data
        now = timezone.now()
        if at <= now:
            self.add_error("at", _("The date and time must be in the future."))
        elif at > now + SCHEDULE_HORIZON:
            self.add_error(
                "at",
                _("At most one year ahead: no later than %(limit)s.")
                % {"limit": datetime_display(now + SCHEDULE_HORIZON)},
            )
        return data


class ScheduleConfirmForm(ScheduleForm):
    """The same choice, sent back from the confirmation step with the box ticked."""

    confirm = forms.BooleanField(
        label=_("Yes, send this campaign to these subscribers"),
        error_messages={"required": _("Tick the box to confirm the sending.")},
    )
