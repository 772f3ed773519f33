"""Prepare the embedded system and serve it: what `make run` does.

Migrates the database, collects static files, loads the bilingual demo content when
the site is empty (existing content and data are kept), then replaces this process
with gunicorn so that Ctrl-C and service managers reach the server directly.
"""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from csce.env import env


class Command(BaseCommand):
    help = "Migrate, collect static files, load demo content if the site is empty, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=env.str("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env.int("PORT", 8000))
        parser.add_argument("--workers", type=int, default=env.int("WEB_CONCURRENCY", 2))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")

    def handle(self, *args, host: str, port: int, workers: int, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo_content")
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment; run `make install`.")
        data_dir = settings.DATA_DIR
        self.stdout.write(
            f"Serving on http://{host}:{port}/ (French: /fr/, English: /en/, admin: /admin/).\n"
            f"Data folder: {data_dir}. Outgoing e-mail is written to "
            f"{getattr(settings, 'EMAIL_FILE_PATH', 'your SMTP server')}. Stop with Ctrl-C."
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(  # noqa: S606 (a fixed program path and arguments, no shell)
            gunicorn,
            [
                "gunicorn",
                "csce.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "10",
                # No access log: it would write visitors' full IP addresses to disk (policy P5).
                "--error-logfile",
                "-",
            ],
        )
