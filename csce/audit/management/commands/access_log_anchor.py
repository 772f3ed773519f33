"""Print the access log's newest entry id and hash, to be kept off the server."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from csce.audit.selectors import REASON_LABELS, access_log_verify, anchor_line


class Command(BaseCommand):
    help = (
        "Verify the access log, then print one anchor line (time, newest entry id, its hash) "
        "and append it to --output or ACCESS_LOG_ANCHOR_FILE. Keep the lines off this server: "
        "`verify_access_log --anchor FILE` later shows a rewrite or a deleted tail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=settings.ACCESS_LOG_ANCHOR_FILE,
            help="File the line is appended to (default: ACCESS_LOG_ANCHOR_FILE, if set).",
        )

    def handle(self, *args, output="", **options):
        result = access_log_verify()
        if not result.ok:  # anchoring a broken chain would vouch for the break
            raise CommandError(
                _("Access log chain BROKEN at entry %(entry)s: %(reason)s. Nothing anchored.")
                % {"entry": result.first_broken_id, "reason": REASON_LABELS[result.reason]},
                returncode=1,
            )
        if result.last_entry_id is None:
            self.stderr.write(_("The access log is empty: nothing to anchor."))
            return
        line = anchor_line(
            at=timezone.now(), entry_id=result.last_entry_id, entry_hash=result.last_hash
        )
        if output:
            path = Path(output)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as anchors:
                anchors.write(line + "\n")
        self.stdout.write(line)
