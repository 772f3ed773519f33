"""Canadian English display formats: "December 3, 2026", "6:30 p.m.", ISO numeric dates."""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "P"
DATETIME_FORMAT = "F j, Y, P"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d P"
