"""Re-encrypt personal data under the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS, keep the old one after it,
deploy, run this command, then remove the old key (docs/operations.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from csce.common.rotation import field_key_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the current (first) field encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        counts = field_key_rotate(batch_size=batch_size)
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"Re-encrypted: {sum(counts.values())}")
