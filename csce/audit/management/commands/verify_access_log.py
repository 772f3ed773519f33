"""Check the access log's hash chain; exit non-zero when an entry was edited or removed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from csce.audit.selectors import REASON_LABELS, access_log_verify


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain (policy F). Exits with status 1 and names "
        "the first broken entry when any entry was edited or deleted."
    )

    def handle(self, *args, **options):
        result = access_log_verify()
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
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Access log chain intact: %(count)s entries checked. Newest entry "
                    "%(entry)s, hash %(hash)s (keep this line outside the database to "
                    "detect a rewrite of the whole log)."
                )
                % {
                    "count": result.checked,
                    "entry": result.last_entry_id or "-",
                    "hash": result.last_hash,
                }
            )
        )
