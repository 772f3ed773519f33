"""Reset every role group to the matrix the installed apps declare (policy R, F).

``migrate`` does this at its end already; this runs it alone, e.g. after a group was
changed by hand. Idempotent.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from csce.accounts.roles import role_permissions, roles_apply


class Command(BaseCommand):
    help = "Reset every role group to exactly the permissions the apps' roles.py declare."

    def handle(self, *args, **options):
        roles_apply(apps=apps)
        self.stdout.write(f"Applied {len(role_permissions())} roles.")
