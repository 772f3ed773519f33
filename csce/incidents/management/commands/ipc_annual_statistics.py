"""Print a year's statistics for the IPC as CSV (O. Reg. 329/04 s.6.4): one row per
category (stolen, lost, used without authority, disclosed without authority) with its
count. Counts only: nothing personal is printed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csce.common.typography import date_display
from csce.incidents.statistics import FIRST_YEAR, ipc_report_csv, ipc_report_due_date

LANGUAGES = ("en", "fr")


class Command(BaseCommand):
    help = (
        "Print the yearly statistics for the Information and Privacy Commissioner of "
        "Ontario (O. Reg. 329/04 s.6.4) as CSV: the number of privacy breaches of health "
        "information detected in YEAR, per category (stolen, lost, used without authority, "
        "disclosed without authority). Due by March 1 of the following year."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="The calendar year, e.g. 2026.")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="Language of the header and the category labels (default: en).",
        )

    def handle(self, *args, year: str, language: str, **options):
        # The messages too are in the language asked for.
        with translation.override(language):
            self._print(year=year, language=language)

    def _print(self, *, year: str, language: str) -> None:
        this_year = timezone.localdate().year
        try:
            number = int(year.strip())
        except ValueError:
            number = None
        if number is None or number < FIRST_YEAR:
            raise CommandError(
                _("“%(value)s” is not a year: give a calendar year such as %(example)s.")
                % {"value": year, "example": this_year - 1},
                returncode=2,
            )
        if number > this_year:
            raise CommandError(
                _(
                    "%(year)s has not begun: give %(last)s (the year to report, due by "
                    "%(due)s) or an earlier year."
                )
                % {
                    "year": number,
                    "last": this_year - 1,
                    "due": date_display(ipc_report_due_date(year=this_year - 1)),
                },
                returncode=2,
            )
        if number == this_year:
            self.stderr.write(
                _("%(year)s is not over: these are the counts so far.") % {"year": number}
            )
        self.stdout.write(ipc_report_csv(year=number, language=language), ending="")
