"""French display formats: « 3 décembre 2026 », « 18 h 30 », numeric dates in ISO 8601.

The spaces inside a time are no-break spaces (U+00A0), as in ``csce.common.typography``.
Input formats and number separators stay Django's French ones."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\u00a0\\h\u00a0i"
DATETIME_FORMAT = "j F Y \\à G\u00a0\\h\u00a0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G\u00a0\\h\u00a0i"
