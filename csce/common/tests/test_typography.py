"""French typography everywhere: « 18 h 30 », « 1er janvier », lower-case weekdays and the
no-break spaces before : ; ? ! and inside « », in the functions, Django's formats, the
French catalogues, the demo content and a rendered page."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from csce.accounts.factories import staff_sign_in, staff_user
from csce.common.typography import (
    NBSP,
    NNBSP,
    date_display,
    datetime_display,
    french_punctuation,
    punctuation,
    short_date_display,
    short_datetime_display,
    time_display,
    time_range,
)
from csce.pages.factories import site_home, translation_add
from csce.pages.models import CentreSettings, OpeningHours
from csce.submissions.factories import program_page_create

PROJECT = Path(settings.PROJECT_DIR)
CATALOGUES = sorted(PROJECT.glob("**/locale*/fr/LC_MESSAGES/*.po"))
DEMO_FRENCH = sorted((PROJECT / "pages" / "demo_pages").glob("*.fr.md"))
TORONTO = datetime.timezone(datetime.timedelta(hours=-5))


# --- an independent reading of the rule, for catalogues, demo content and pages ----------

# Syntax, not prose: tags, character references, addresses, template code, Markdown code
# and image marks.
_NOT_PROSE = re.compile(
    r"<[^>]*>|&#?\w+;|\b[a-z][a-z0-9+.-]*://\S*[\w/]|\b(?:mailto|tel):\S*\w"
    r"|\{[{%].*?[%}]\}|`[^`]*`|!\[",
    re.DOTALL,
)
_ENDS = set(" \t\n\r»)]\"'’.,…*_") | {""}


def spacing_faults(text: str) -> list[str]:
    """Each place ``text`` breaks French spacing: ; ? ! without a narrow no-break space
    before, : without a no-break space before, « or » without a no-break space inside."""
    text = _NOT_PROSE.sub("\ue000", text)
    faults = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        where = repr(text[max(0, i - 25) : i + 10])
        if char in ";?!" and after in _ENDS and before not in ("", "\n", "(", "[", "«"):
            if before != NNBSP and before not in ";?!":
                faults.append(f"{char!r} needs U+202F before it: {where}")
        elif char == ":" and after in _ENDS and before not in ("", "\n", "(", "["):
            if before != NBSP:
                faults.append(f"':' needs U+00A0 before it: {where}")
        elif char == "«" and after != NBSP:
            faults.append(f"'«' needs U+00A0 after it: {where}")
        elif char == "»" and before != NBSP:
            faults.append(f"'»' needs U+00A0 before it: {where}")
    return faults


def visible_text(page_html: str) -> str:
    page_html = re.sub(r"<(script|style)\b.*?</\1>", "", page_html, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page_html))


# --- times -------------------------------------------------------------------------------


def test_french_times_are_written_with_h_and_no_break_spaces():
    assert time_display(datetime.time(18, 0), "fr") == f"18{NBSP}h"
    assert time_display(datetime.time(18, 30), "fr") == f"18{NBSP}h{NBSP}30"
    assert time_display(datetime.time(9, 5), "fr") == f"9{NBSP}h{NBSP}05"
    assert time_display(datetime.time(0, 15), "fr") == f"0{NBSP}h{NBSP}15"
    assert ":" not in time_display(datetime.time(18, 30), "fr")


def test_english_times_are_twelve_hour_with_a_m_and_p_m():
    assert time_display(datetime.time(18, 0), "en") == f"6{NBSP}p.m."
    assert time_display(datetime.time(18, 30), "en") == f"6:30{NBSP}p.m."
    assert time_display(datetime.time(9, 5), "en") == f"9:05{NBSP}a.m."
    assert time_display(datetime.time(0, 15), "en") == f"12:15{NBSP}a.m."
    assert time_display(datetime.time(12, 0), "en") == "noon"
    assert time_display(datetime.time(0, 0), "en") == "midnight"


def test_an_aware_moment_is_shown_at_the_centres_time():
    moment = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=datetime.UTC)  # 18:30 in Toronto
    assert time_display(moment, "fr") == f"18{NBSP}h{NBSP}30"
    assert date_display(datetime.datetime(2027, 1, 2, 3, 0, tzinfo=datetime.UTC), "fr") == (
        "1er janvier 2027"  # still the 1st in Toronto
    )


def test_a_time_range_reads_as_a_phrase():
    start, end = datetime.time(18, 30), datetime.time(20, 0)
    assert time_range(start, end, "fr") == f"de 18{NBSP}h{NBSP}30 à 20{NBSP}h"
    assert time_range(start, end, "en") == f"6:30{NBSP}p.m. to 8{NBSP}p.m."


# --- dates -------------------------------------------------------------------------------


def test_the_first_of_the_month_is_1er_in_french_and_other_days_are_numbers():
    assert date_display(datetime.date(2027, 1, 1), "fr") == "1er janvier 2027"
    assert date_display(datetime.date(2026, 12, 3), "fr") == "3 décembre 2026"
    assert date_display(datetime.date(2026, 12, 21), "fr") == "21 décembre 2026"


def test_french_weekdays_and_months_are_lower_case():
    text = date_display(datetime.date(2027, 1, 1), "fr", weekday=True)
    assert text == "vendredi 1er janvier 2027"
    assert text == text.lower()
    assert date_display(datetime.date(2026, 12, 7), "fr", weekday=True, year=False) == (
        "lundi 7 décembre"
    )


def test_english_dates_follow_the_canadian_style():
    assert date_display(datetime.date(2027, 1, 1), "en") == "January 1, 2027"
    assert date_display(datetime.date(2027, 1, 1), "en", weekday=True) == (
        "Friday, January 1, 2027"
    )


def test_abbreviated_and_month_only_dates():
    assert date_display(datetime.date(2026, 11, 1), "fr", abbreviated=True, year=False) == (
        "1er nov."
    )
    assert date_display(datetime.date(2026, 9, 8), "en", abbreviated=True, year=False) == (
        "Sept. 8"
    )
    assert date_display(datetime.date(2026, 12, 3), "fr", day=False) == "décembre 2026"
    assert date_display(datetime.date(2026, 7, 3), "fr", day=False, abbreviated=True) == (
        "juill. 2026"
    )


def test_a_date_and_time_together():
    moment = datetime.datetime(2027, 1, 1, 18, 30, tzinfo=TORONTO)
    assert datetime_display(moment, "fr", weekday=True) == (
        f"vendredi 1er janvier 2027 à 18{NBSP}h{NBSP}30"
    )
    assert datetime_display(moment, "en") == f"January 1, 2027, 6:30{NBSP}p.m."


def test_table_columns_use_iso_dates_in_both_languages():
    moment = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=TORONTO)
    assert short_date_display(moment) == "2026-12-03"
    assert short_datetime_display(moment, "fr") == f"2026-12-03 18{NBSP}h{NBSP}30"
    assert short_datetime_display(moment, "en") == f"2026-12-03 6:30{NBSP}p.m."


def test_nothing_reads_as_nothing():
    assert time_display(None) == date_display(None) == datetime_display(None) == ""
    assert short_date_display(None) == short_datetime_display(None) == ""


def test_the_active_language_is_the_default():
    day = datetime.date(2027, 1, 1)
    with translation.override("fr"):
        assert date_display(day) == "1er janvier 2027"
    with translation.override("en"):
        assert date_display(day) == "January 1, 2027"


def test_django_and_wagtail_formats_speak_french_with_french_months():
    """What Django's ``date`` filter and Wagtail's admin print: no English month, no
    « 18:30 », in French."""
    moment = datetime.datetime(2026, 12, 3, 18, 30)
    with translation.override("fr"):
        assert formats.date_format(moment, "DATE_FORMAT") == "3 décembre 2026"
        assert formats.time_format(moment, "TIME_FORMAT") == f"18{NBSP}h{NBSP}30"
        assert formats.date_format(moment, "DATETIME_FORMAT") == (
            f"3 décembre 2026 à 18{NBSP}h{NBSP}30"
        )
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "2026-12-03"
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "December 3, 2026"
        assert formats.time_format(moment, "TIME_FORMAT") == "6:30 p.m."


def test_the_template_filters_use_the_active_language():
    template = Template(
        "{% load i18n typography %}{{ day|long_date:'weekday' }}|{{ moment|long_datetime }}|"
        "{{ moment|short_datetime }}|{{ moment|clock }}|{% translate 'Telephone' %}{% colon %}"
    )
    context = Context(
        {
            "day": datetime.date(2027, 1, 1),
            "moment": datetime.datetime(2027, 1, 1, 18, 30, tzinfo=TORONTO),
        }
    )
    with translation.override("fr"):
        assert template.render(context) == (
            f"vendredi 1er janvier 2027|1er janvier 2027 à 18{NBSP}h{NBSP}30|"
            f"2027-01-01 18{NBSP}h{NBSP}30|18{NBSP}h{NBSP}30|Téléphone{NBSP}:"
        )
    with translation.override("en"):
        assert template.render(context) == (
            f"Friday, January 1, 2027|January 1, 2027, 6:30{NBSP}p.m.|"
            f"2027-01-01 6:30{NBSP}p.m.|6:30{NBSP}p.m.|Telephone:"
        )


# --- punctuation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("Attention: lisez", f"Attention{NBSP}: lisez"),
        ("Attention : lisez", f"Attention{NBSP}: lisez"),
        ("Vraiment ? Oui!", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
        ("Quoi?!", f"Quoi{NNBSP}?!"),
        ("un; deux ; trois", f"un{NNBSP}; deux{NNBSP}; trois"),
        ("« bonjour »", f"«{NBSP}bonjour{NBSP}»"),
        ("«bonjour»", f"«{NBSP}bonjour{NBSP}»"),
        ("Voir <a href='/fr/'>ici</a>!", f"Voir <a href='/fr/'>ici</a>{NNBSP}!"),
        ("Rôle : %(role)s", f"Rôle{NBSP}: %(role)s"),
        ("{{ total }}: ok", f"{{{{ total }}}}{NBSP}: ok"),
    ],
)
def test_french_punctuation_puts_the_no_break_spaces(typed, typeset):
    assert french_punctuation(typed) == typeset
    assert french_punctuation(typeset) == typeset  # applying it twice changes nothing
    assert spacing_faults(typeset) == []


@pytest.mark.parametrize(
    "syntax",
    [
        "https://example.org/?page=2&amp;q=1",
        '<a href="mailto:x@example.org?subject=Bonjour">écrire</a>',
        "tel:+16135550142",
        "ouvert de 9:00 à 17:00",
        "un rapport de 4,5:1",
        "> [!info] Titre",
        "? Une question en Markdown",
        "`a:b`",
    ],
)
def test_french_punctuation_leaves_syntax_alone(syntax):
    assert french_punctuation(syntax) == syntax


def test_english_text_keeps_its_own_punctuation():
    assert punctuation("Note: read this!", "en") == "Note: read this!"
    assert punctuation("Note: lisez!", "fr") == f"Note{NBSP}: lisez{NNBSP}!"


def test_the_checker_finds_each_kind_of_fault():
    """The reading that the catalogue, demo and page tests rely on does fail."""
    assert len(spacing_faults("Note : lisez")) == 1  # a plain space
    assert len(spacing_faults("Note: lisez")) == 1  # no space
    assert len(spacing_faults(f"Vraiment{NBSP}?")) == 1  # the wide space where the thin one goes
    assert len(spacing_faults("« bonjour »")) == 2
    assert len(spacing_faults("Oui ; non ! Et ?")) == 3
    assert spacing_faults("https://example.org/?a=1 et 18:00") == []


# --- the French catalogues and the demo content -------------------------------------------


def _msgstrs(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_the_french_catalogue_spaces_its_punctuation(po_path):
    faults = [
        f"{entry.msgid!r}: {fault}"
        for entry in polib.pofile(str(po_path))
        if entry.msgid and not entry.obsolete
        for text in _msgstrs(entry)
        for fault in spacing_faults(text)
    ]
    assert not faults, "\n".join(faults)


def test_every_catalogue_is_checked():
    names = {path.name for path in CATALOGUES}
    assert {"django.po", "djangojs.po"} <= names
    assert any("locale_vendor" in path.parts for path in CATALOGUES)


@pytest.mark.parametrize("path", DEMO_FRENCH, ids=lambda p: p.name)
def test_the_french_demo_content_spaces_its_punctuation(path):
    faults = spacing_faults(path.read_text(encoding="utf-8"))
    assert not faults, "\n".join(faults)


def test_the_french_demo_content_is_found():
    assert len(DEMO_FRENCH) >= 10


# --- a rendered page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_french_page_shows_french_dates_times_and_spacing(client, time_machine):
    # 18:30 in Toronto, so the first session starts on 1 January 2027 at 18:30.
    time_machine.move_to(datetime.datetime(2026, 12, 22, 23, 30, tzinfo=datetime.UTC))
    home = site_home()
    centre = CentreSettings.objects.get()
    OpeningHours.objects.create(
        settings=centre, weekday=3, opens=datetime.time(8, 30), closes=datetime.time(20, 0)
    )
    page = program_page_create(parent=home)

    french = visible_text(client.get(page.get_url()).content.decode())
    assert f"vendredi 1er janvier 2027, de 18{NBSP}h{NBSP}30 à 20{NBSP}h{NBSP}30" in french
    assert f"de 8{NBSP}h{NBSP}30 à 20{NBSP}h" in french  # Thursday's opening hours
    assert f"Téléphone{NBSP}:" in french
    assert not re.search(r"\b\d{1,2}:\d\d\b", french), "no « 18:30 » in French"
    assert not re.search(r"\b(January|December|Friday)\b", french)
    faults = spacing_faults(french)
    assert not faults, "\n".join(faults)

    english_page = translation_add(page, language="en", title="Cooking workshop", slug="cooking")
    english = visible_text(client.get(english_page.get_url()).content.decode())
    assert f"Friday, January 1, 2027, 6:30{NBSP}p.m. to 8:30{NBSP}p.m." in english
    assert "Telephone:" in english


@pytest.mark.django_db
def test_the_french_admin_writes_french_dates_and_times(client, time_machine):
    """Wagtail's own screens print through Django's formats: a French month and « 18 h 30 »,
    never "December 3, 2026" or "18:30"."""
    time_machine.move_to(datetime.datetime(2026, 12, 3, 23, 30, tzinfo=datetime.UTC))
    home = site_home(translations=())
    staff_sign_in(client, staff_user(superuser=True, language="fr"))
    response = client.get(f"/admin/pages/{home.pk}/history/")
    assert response.status_code == 200
    text = html.unescape(response.content.decode())  # the time is also in tooltips
    assert f"3 décembre 2026 à 18{NBSP}h{NBSP}30" in text
    assert not re.search(r"\b(December|Dec\.|Thursday)\b", text)
