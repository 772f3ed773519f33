"""django-otp-webauthn ships no French: ours is in csce/locale_vendor (bilingual everywhere)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import django_otp_webauthn
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import translation
from django_otp_webauthn import exceptions

VENDOR_PO = Path(settings.PROJECT_DIR) / "locale_vendor" / "fr" / "LC_MESSAGES" / "django.po"


def _library_msgids(tmp_path: Path) -> set[str]:
    """Every string of the installed library's Python sources, extracted as makemessages does."""
    copy = tmp_path / "django_otp_webauthn"
    source = Path(django_otp_webauthn.__file__).parent
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static"))
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[]):
            call_command("makemessages", locale=["fr"], extensions=["py"], verbosity=0)
    finally:
        os.chdir(cwd)
    return {e.msgid for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}


def test_every_string_of_the_library_has_a_french_translation(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is required in CI: apt-get install gettext")
        pytest.skip("GNU gettext is not installed; CI runs this check")
    catalogue = polib.pofile(str(VENDOR_PO))
    translated = {e.msgid for e in catalogue.translated_entries() if "fuzzy" not in e.flags}
    missing = sorted(_library_msgids(tmp_path) - translated)
    assert not missing, f"translate in {VENDOR_PO}:\n" + "\n".join(missing)


def test_the_compiled_catalogue_matches_its_source():
    source = {e.msgid: e.msgstr for e in polib.pofile(str(VENDOR_PO)).translated_entries()}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(VENDOR_PO.with_suffix(".mo")))}
    compiled.pop("", None)
    assert compiled == source, "recompile: msgfmt -o django.mo django.po"


def test_the_library_speaks_french():
    with translation.override("fr"):
        assert str(exceptions.CredentialNotFound()) == (
            "La clé d’accès utilisée est introuvable. A-t-elle été supprimée\u202f?"
        )
        assert str(exceptions.InvalidState()).startswith("L’état est absent")
    with translation.override("en"):
        assert str(exceptions.InvalidState()).startswith("State is missing")
