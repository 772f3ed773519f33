"""Load the bilingual demo site into an empty installation (safe to run again)."""

from django.core.management.base import BaseCommand

from csce.common.demo import demo_load_all


class Command(BaseCommand):
    help = (
        "Build the demo site (French pages with their English translations, the "
        "centre's settings, and each app's forms) when it is missing. Existing content is "
        "never changed."
    )

    def handle(self, *args, **options) -> None:
        if demo_load_all(stdout=self.stdout):
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Existing content found: nothing was loaded or changed.")
