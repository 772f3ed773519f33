"""Extract every translatable string into its owner's .po file, then compile the .mo files.

Each app owns its strings in ``<app>/locale``; site-wide templates own ``csce/locale``.
Django's makemessages sends every file under a LOCALE_PATHS entry's parent to that
entry, so it runs here once per owner with LOCALE_PATHS cleared. Compiling uses polib,
so only extraction needs GNU gettext.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

TARGET_LANGUAGES = ["fr"]


def translation_owners(root: Path) -> list[tuple[Path, list[str]]]:
    """(directory, ignore patterns) for the project package and each app with a locale/."""
    apps = sorted(p.parent for p in root.glob("*/locale") if p.is_dir())
    owners: list[tuple[Path, list[str]]] = [(app, []) for app in apps]
    if (root / "locale").is_dir():
        owners.insert(0, (root, [f"{app.name}/*" for app in apps]))
    return owners


def compile_catalogues(root: Path) -> list[Path]:
    written = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Update every app's .po files from the source and compile them to .mo."

    def add_arguments(self, parser):
        parser.add_argument("--root", type=Path, default=settings.PROJECT_DIR)
        parser.add_argument("--no-compile", action="store_true")
        parser.add_argument(
            "--app", help="Only this app's catalogue (its directory name, e.g. pages)."
        )

    def handle(self, *args, root: Path, no_compile: bool, app: str | None = None, **options):
        owners = translation_owners(root)
        if app:
            owners = [(d, i) for d, i in owners if d.name == app]
        cwd = os.getcwd()
        try:
            with override_settings(LOCALE_PATHS=[]):
                for directory, ignores in owners:
                    os.chdir(directory)
                    call_command(
                        "makemessages",
                        locale=TARGET_LANGUAGES,
                        ignore_patterns=["static/*", "migrations/*", "tests/*", *ignores],
                        no_obsolete=True,
                        no_location=False,
                        add_location="file",
                        verbosity=0,
                    )
                    self.stdout.write(f"Updated {directory.relative_to(root.parent)}/locale")
        finally:
            os.chdir(cwd)
        if not no_compile:
            for mo_path in compile_catalogues(owners[0][0] if app and owners else root):
                self.stdout.write(f"Compiled {mo_path.relative_to(root.parent)}")
