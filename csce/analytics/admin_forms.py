"""The dashboard's range form: two dates, checked on our side in the staff member's
language (the form has ``novalidate``: a browser's own bubbles speak the browser's
language and vanish; ours stay next to the field)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from csce.common.typography import date_display, short_date_display

from .dashboard import EARLIEST_DAY, MAX_RANGE_DAYS, Period, period_default


class DateInput(forms.DateInput):
    """A native date picker; its value is always ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StatisticsRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(
        label=_("To (included)"),
        widget=DateInput(),
    )

    def __init__(self, query, *, today: datetime.date):
        """Bound to the query string, the default range filling what it does not name, so
        a typed value is kept as typed and a first visit shows the default range."""
        default = period_default(today=today)
        data = {"start": default.start.isoformat(), "end": default.end.isoformat()}
        data.update({name: query[name] for name in data if name in query})
        super().__init__(data)
        self.today = today
        for field in self.fields.values():
            field.widget.attrs.update(min=EARLIEST_DAY.isoformat(), max=today.isoformat())
            field.error_messages["invalid"] = _("Enter a date such as %(example)s.") % {
                "example": short_date_display(today)
            }

    def _day(self, name: str) -> datetime.date:
        day = self.cleaned_data[name]
        if day > self.today:
            raise forms.ValidationError(_("Choose today or an earlier day."), code="future")
        if day < EARLIEST_DAY:
            raise forms.ValidationError(
                _("Choose a day from %(day)s on.") % {"day": date_display(EARLIEST_DAY)},
                code="too_early",
            )
        return day

    def clean_start(self):
        return self._day("start")

    def clean_end(self):
        return self._day("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the range comes before its start."))
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error(
                    "end",
                    _("Choose a range of at most three years (%(days)d days).")
                    % {"days": MAX_RANGE_DAYS},
                )
        return cleaned

    def period(self) -> Period:
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])
