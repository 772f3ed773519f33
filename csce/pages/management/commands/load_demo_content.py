"""Load the bilingual demo site into an empty installation (safe to run again)."""

from django.core.management.base import BaseCommand

from csce.pages.demo import demo_content_load


class Command(BaseCommand):
    help = (
        "Build the demo site (French pages with their English translations and the "
        "centre's settings) when there is no home page yet. Existing content is never changed."
    )

    def handle(self, *args, **options) -> None:
        if demo_content_load(stdout=self.stdout):
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Existing content found: nothing was loaded or changed.")
