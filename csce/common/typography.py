"""Dates, times and punctuation the way each language of the site writes them.

One module for every place a person reads a date or a time (pages, e-mails, calendar
files, the admin), so French reads « lundi 1er janvier 2027 à 18 h 30 » everywhere and
English "Monday, January 1, 2027, 6:30 p.m.". Machine formats (ISO dates in
``<time datetime>``, RFC 5545 times in calendar files, spreadsheet cells) are not made
here.

French, following the Office québécois de la langue française (Banque de dépannage
linguistique) and the Translation Bureau's *Le guide du rédacteur*:

- hours on the 24-hour clock with "h": « 18 h », « 18 h 30 », never « 18:00 »; the
  spaces are no-break spaces (U+00A0) so a time never splits across two lines;
- « 1er » for the first day of a month, other days as plain numbers; weekdays and months
  in lower case;
- a no-break space (U+00A0, the full « espace insécable ») before the colon and inside
  the guillemets « »;
- a narrow no-break space (U+202F, the « espace fine insécable ») before the semicolon,
  the question mark and the exclamation mark: the OQLF allows no space or a thin one
  there; the thin one keeps the mark off the start of a line without the wide gap a full
  space leaves. Both are no-break characters, so no mark is ever orphaned on a new line.

English follows *The Canadian Style*: "January 1, 2027", "6 p.m.", "6:30 p.m.", "noon",
"midnight"; numeric dates in both languages are ISO 8601 (2026-12-03), the national
standard (CAN/CSA-Z234.4) the OQLF also recommends.

Every function takes the language explicitly (``None``: the active one), so an e-mail
rendered for its recipient's language needs no ``translation.override`` around each call.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.utils import timezone, translation

NBSP = "\u00a0"  # espace insécable: before ":" and inside « »; inside "18 h 30"
NNBSP = "\u202f"  # espace fine insécable: before ";", "?" and "!"

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Abbreviations: the OQLF's for French, The Canadian Style's for English.
FRENCH_MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juill.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
ENGLISH_MONTHS_SHORT = (
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def is_french(language: str | None = None) -> bool:
    """Whether ``language`` (``None``: the active language) is French."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language.lower().startswith("fr")


def _local(value):
    """An aware datetime in the site's time zone; a naive one or a date as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


# --- times ------------------------------------------------------------------------------


def time_display(value: datetime.time | datetime.datetime | None, language=None) -> str:
    """« 18 h », « 18 h 30 », « 0 h 15 »; "6 p.m.", "6:30 p.m.", "noon", "midnight"."""
    if value is None:
        return ""
    value = _local(value)
    hour, minute = value.hour, value.minute
    if is_french(language):
        return f"{hour}{NBSP}h{NBSP}{minute:02d}" if minute else f"{hour}{NBSP}h"
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "noon"
    twelve = hour % 12 or 12
    clock = f"{twelve}:{minute:02d}" if minute else str(twelve)
    return f"{clock}{NBSP}{'a.m.' if hour < 12 else 'p.m.'}"


def time_range(start, end, language=None) -> str:
    """« de 18 h à 19 h 30 »; "6 p.m. to 7:30 p.m."."""
    if is_french(language):
        return f"de {time_display(start, language)} à {time_display(end, language)}"
    return f"{time_display(start, language)} to {time_display(end, language)}"


# --- dates ------------------------------------------------------------------------------


def date_display(
    value: datetime.date | datetime.datetime | None,
    language=None,
    *,
    weekday: bool = False,
    year: bool = True,
    day: bool = True,
    abbreviated: bool = False,
) -> str:
    """« 1er janvier 2027 », « lundi 1er janvier 2027 »; "January 1, 2027",
    "Monday, January 1, 2027". ``year=False`` leaves the year out, ``day=False`` the day
    (« janvier 2027 »), ``abbreviated`` shortens the month (« 1er janv. », "Jan. 1")."""
    if value is None:
        return ""
    value = _local(value)
    french = is_french(language)
    if french:
        months = FRENCH_MONTHS_SHORT if abbreviated else FRENCH_MONTHS
    else:
        months = ENGLISH_MONTHS_SHORT if abbreviated else ENGLISH_MONTHS
    month = months[value.month - 1]
    if not day:
        return f"{month} {value.year}" if year else month
    if french:
        text = f"{'1er' if value.day == 1 else value.day} {month}"
        if year:
            text += f" {value.year}"
        return f"{FRENCH_WEEKDAYS[value.weekday()]} {text}" if weekday else text
    text = f"{month} {value.day}"
    if year:
        text += f", {value.year}"
    return f"{ENGLISH_WEEKDAYS[value.weekday()]}, {text}" if weekday else text


def datetime_display(value: datetime.datetime | None, language=None, *, weekday=False) -> str:
    """« lundi 1er janvier 2027 à 18 h 30 »; "Monday, January 1, 2027, 6:30 p.m."."""
    if value is None:
        return ""
    day = date_display(value, language, weekday=weekday)
    if is_french(language):
        return f"{day} à {time_display(value, language)}"
    return f"{day}, {time_display(value, language)}"


def short_date_display(value: datetime.date | datetime.datetime | None, language=None) -> str:
    """ISO 8601 in both languages: 2026-12-03 (a column of dates in a table)."""
    if value is None:
        return ""
    return _local(value).strftime("%Y-%m-%d")


def short_datetime_display(value: datetime.datetime | None, language=None) -> str:
    """« 2026-12-03 18 h 30 »; "2026-12-03 6:30 p.m." (a column of moments in a table)."""
    if value is None:
        return ""
    return f"{short_date_display(value)} {time_display(value, language)}"


# --- punctuation ------------------------------------------------------------------------

# What is not prose: HTML tags, character references, addresses, format placeholders,
# template tags and Markdown code. Their ":" "?" "!" ";" are syntax, never punctuation.
_PROTECTED = re.compile(
    r"<[^>]*>"  # an HTML tag
    r"|&(?:#\d+|#x[0-9a-fA-F]+|\w+);"  # a character reference
    r"|\b[a-z][a-z0-9+.-]*://\S*[\w/]"  # an address with a scheme
    r"|\b(?:mailto|tel):\S*\w"  # mailto: and tel:
    r"|\{[{%].*?[%}]\}"  # a template tag or variable
    r"|`[^`]*`"  # Markdown code
    r"|!\[",  # a Markdown image
    re.DOTALL,
)
_SPACES = f"[ {NBSP}{NNBSP}\t]*"
# Protected parts stand in as one private-use character while the prose is spaced, so
# a mark right after a link ("<a>ici</a>!") still counts as after a word.
_STAND_IN = "\ue000"
# A mark that ends a word or a clause: followed by a space, the end, a closing sign or a tag.
_AFTER = rf"(?=$|[\s»)\]\"'’.,…*_{_STAND_IN}])"
_HIGH = re.compile(rf"(?<=[^\s;:!?«(\[]){_SPACES}([;!?]+){_AFTER}")
_COLON = re.compile(rf"(?<=[^\s;:!?«(\[]){_SPACES}:{_AFTER}")
_OPEN = re.compile(rf"«{_SPACES}")
_CLOSE = re.compile(rf"{_SPACES}»")


def french_punctuation(text: str) -> str:
    """French text with its no-break spaces: U+00A0 before ":" and inside « », U+202F
    before ";", "?" and "!", whatever space (or none) was there. HTML tags, addresses,
    placeholders and times such as 18:00 are left alone; applying it twice changes
    nothing."""
    kept: list[str] = []

    def stand_in(match: re.Match) -> str:
        kept.append(match.group(0))
        return _STAND_IN

    prose = _PROTECTED.sub(stand_in, text.replace(_STAND_IN, ""))
    prose = _HIGH.sub(lambda m: NNBSP + m.group(1), prose)
    prose = _COLON.sub(NBSP + ":", prose)
    prose = _OPEN.sub("«" + NBSP, prose)
    prose = _CLOSE.sub(NBSP + "»", prose)
    pieces = iter(kept)
    return re.sub(_STAND_IN, lambda _m: next(pieces), prose)


def punctuation(text: str, language=None) -> str:
    """``text`` with French punctuation spacing when ``language`` is French, else as is."""
    return french_punctuation(text) if is_french(language) else text
