"""Django's ``migrate``, run by one process at a time per database (csce/common/locks.py).

Two `make run`, or two nodes deploying at once, each migrated the same database and left
it half-migrated. The second now waits for the first, then finds nothing left to apply.
"""

from __future__ import annotations

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.utils.translation import gettext as _

from csce.common.locks import migration_lock


class Command(MigrateCommand):
    def handle(self, *args, **options):
        connection = connections[options["database"]]

        def waiting() -> None:
            self.stderr.write(
                _(
                    "Another process is migrating this database; waiting for it to finish "
                    "before applying what is left."
                )
            )
            self.stderr.flush()

        with migration_lock(connection=connection, waiting=waiting):
            return super().handle(*args, **options)
