"""Check the access log's hash chain; exit non-zero when an entry was edited or removed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from csce.audit.selectors import access_log_verify

REASONS = {
    "altered": "its content no longer matches its hash: it was edited in the database",
    "unlinked": "it does not follow the entry before it: an entry was deleted or rewritten",
    "truncated": "the chain ends before the newest entry recorded: entries were deleted",
}


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain (policy F). Exits with status 1 and names "
        "the first broken entry when any entry was edited or deleted."
    )

    def handle(self, *args, **options):
        result = access_log_verify()
        if not result.ok:
            raise CommandError(
                f"Access log chain BROKEN at entry {result.first_broken_id} "
                f"({result.checked} entries checked): {REASONS[result.reason]}.",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Access log chain intact: {result.checked} entries checked. "
                f"Newest entry {result.last_entry_id or '-'}, hash {result.last_hash} "
                "(keep this line outside the database to detect a rewrite of the whole log)."
            )
        )
