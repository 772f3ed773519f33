"""Check the access log's hash chain; exit non-zero when an entry was edited or removed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csce.audit.selectors import REASON_LABELS, AnchorFileError, access_log_verify, anchors_parse


class Command(BaseCommand):
    help = (
        "Verify the access log's keyed hash chain (policy F). Exits with status 1 and names "
        "the first broken entry when any entry was edited or deleted, or when an anchor "
        "given with --anchor is no longer in the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            metavar="FILE",
            help="Anchor lines written by access_log_anchor: each must still be in the chain.",
        )

    def handle(self, *args, anchor=None, **options):
        anchors = self._anchors_read(anchor) if anchor else {}
        result = access_log_verify(anchors=anchors)
        if not result.ok:
            raise CommandError(
                _(
                    "Access log chain BROKEN at entry %(entry)s (%(count)s entries checked): "
                    "%(reason)s."
                )
                % {
                    "entry": result.first_broken_id,
                    "count": result.checked,
                    "reason": REASON_LABELS[result.reason],
                },
                returncode=1,
            )
        if anchors:
            found = ngettext(
                "%(count)s anchor found in the chain.",
                "%(count)s anchors found in the chain.",
                len(anchors),
            )
            self.stdout.write(found % {"count": len(anchors)})
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Access log chain intact: %(count)s entries checked. Newest entry "
                    "%(entry)s, hash %(hash)s (access_log_anchor keeps this outside the "
                    "database, to detect a rewrite of the whole log)."
                )
                % {
                    "count": result.checked,
                    "entry": result.last_entry_id or "-",
                    "hash": result.last_hash,
                }
            )
        )

    def _anchors_read(self, path: str) -> dict[int, str]:
        try:
            anchors = anchors_parse(text=Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                _("Cannot read the anchor file %(path)s: %(error)s")
                % {"path": path, "error": error.strerror},
                returncode=2,
            ) from error
        except AnchorFileError as error:
            raise CommandError(
                _("Line %(line)s of %(path)s is not an anchor (time, entry id, hash).")
                % {"line": error.args[0], "path": path},
                returncode=2,
            ) from error
        if not anchors:
            raise CommandError(
                _("The anchor file %(path)s holds no anchor.") % {"path": path}, returncode=2
            )
        return anchors
