"""Bilingual everywhere: a missing or fuzzy French translation fails the suite."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PROJECT = Path(settings.PROJECT_DIR)
CATALOGUES = sorted(PROJECT.glob("**/locale/fr/LC_MESSAGES/django.po"))


def _problems(po: polib.POFile) -> list[str]:
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    for entry in po:
        if entry.msgid_plural and not all(entry.msgstr_plural.values()):
            problems.append(f"plural form missing: {entry.msgid!r}")
    return problems


def test_every_app_with_strings_has_a_french_catalogue():
    owners = {path.parents[3].name for path in CATALOGUES}
    assert {"csce", "pages", "common"} <= owners


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_french_catalogue_is_complete_and_not_fuzzy(po_path):
    problems = _problems(polib.pofile(str(po_path)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_compiled_catalogue_matches_its_source(po_path):
    source = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    compiled.pop((None, ""), None)  # the header
    assert {k: v for k, v in compiled.items() if not isinstance(v, dict)} == {
        k: v for k, v in source.items() if not isinstance(v, dict)
    }, "run `make messages` to recompile"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Re-extract strings from a copy of the source: nothing new may appear untranslated."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is required in CI: apt-get install gettext")
        pytest.skip("GNU gettext is not installed; CI runs this check")
    copy = tmp_path / "csce"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    call_command("update_translations", root=copy, no_compile=True, stdout=io.StringIO())
    problems = []
    for po_path in sorted(copy.glob("**/locale/fr/LC_MESSAGES/django.po")):
        problems += [
            f"{po_path.relative_to(copy)}: {p}" for p in _problems(polib.pofile(str(po_path)))
        ]
    assert not problems, "run `make messages` and translate:\n" + "\n".join(problems)
