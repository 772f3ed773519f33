"""Delete every record past its retention (policy M). Run daily: docs/operations.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from csce.retention.services import DEFAULT_BATCH_SIZE, purge_expired_data


class Command(BaseCommand):
    help = "Delete every personal record past its retention, in batches; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args, batch_size: int, **options):
        run = purge_expired_data(batch_size=batch_size)
        if run is None:
            self.stdout.write("Another purge is running; this one did nothing.")
            return
        for key, count in sorted(run.counts.items()):
            self.stdout.write(f"{key}: {count}")
        self.stdout.write(f"Total deleted: {run.total}")
        if run.errors:
            raise CommandError(f"These sources failed: {', '.join(run.errors)}")
