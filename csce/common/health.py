"""The health endpoint's database check: read *and* write (policy M).

django-health-check's own check runs ``SELECT 1``, which a read-only or full database
still answers. A load balancer must learn that forms cannot be saved: this check also
updates one row in a transaction that is always rolled back, so nothing changes.
"""

from __future__ import annotations

import dataclasses

from django import db
from django.db import connections, transaction
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable


class _RolledBack(Exception):
    """Leaves the probe's transaction without committing it."""


@dataclasses.dataclass
class WritableDatabase(Database):
    def run(self):
        super().run()
        connection = connections[self.alias]
        table = connection.ops.quote_name("django_migrations")
        try:
            with transaction.atomic(using=self.alias), connection.cursor() as cursor:
                # Rewrites one row with its own value: a real write the database must
                # accept (read-only, full disk and locked files refuse it), then undone.
                cursor.execute(
                    f"UPDATE {table} SET app = app "  # noqa: S608 (fixed names, no input)
                    f"WHERE id = (SELECT MIN(id) FROM {table})"
                )
                raise _RolledBack
        except _RolledBack:
            pass
        except db.Error as error:
            raise ServiceUnavailable("Database not writable") from error
        finally:
            if not connection.in_atomic_block:
                connection.close()
