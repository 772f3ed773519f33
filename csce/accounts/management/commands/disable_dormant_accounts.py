"""Daily: disable dormant accounts and those past their end date (policy M, S)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from csce.accounts.services import accounts_disable_inactive
from csce.common import policy


class Command(BaseCommand):
    help = (
        f"Disable staff accounts with no sign-in for {policy.DORMANT_ACCOUNT_DAYS} days and "
        "accounts past their end date; e-mail the Assistant Executive Director. Safe to run "
        "twice or on two nodes."
    )

    def handle(self, *args, **options):
        result = accounts_disable_inactive()
        self.stdout.write(
            f"Disabled {len(result.dormant)} dormant and {len(result.ended)} ended account(s)."
        )
