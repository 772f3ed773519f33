"""Daily: remind the Privacy Officer 7 and 2 days before each request's due date."""

from django.core.management.base import BaseCommand

from csce.privacy.workspace import privacy_requests_remind


class Command(BaseCommand):
    help = "E-mail the Privacy Officer the reminders of privacy requests now due (PHIPA)."

    def handle(self, *args, **options):
        sent = privacy_requests_remind()
        self.stdout.write(f"{sent} reminder(s) sent.")
