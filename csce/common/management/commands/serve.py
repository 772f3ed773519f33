"""Prepare the embedded system and serve it: what `make run` does.

Migrates the database, collects static files, loads the bilingual demo content when
the site is empty (existing content and data are kept), then runs the whole system:
the web server, the task workers (TASK_WORKERS) and the scheduler, each its own
process. Ctrl-C or SIGTERM stops them all; when one of them dies, the others are
stopped too, so a service manager sees one failure and restarts the whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csce.common.links import default_site_align, site_url_for
from csce.common.locks import InstanceRunning, instance_lock
from csce.env import env

# Time each child has to finish after SIGTERM before it is killed.
STOP_TIMEOUT = 15
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, before exec)
    """Linux: the child gets SIGTERM if the supervisor itself is killed (SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# Policy M: how much lower the task workers' CPU priority is than the web server's. At 5
# a newsletter campaign under a saturating page load took 6 to 18 % of the pages'
# throughput; at 10 the workers got so little CPU that a campaign crawled at 35 messages
# a second; at 0 the pages lost 29 % (docs/benchmarks.md, newsletter).
LOWER_NICENESS = 5


def _lower_priority() -> None:  # pragma: no cover (runs in the child, before exec)
    """The child yields the CPU to the others: its niceness, and on Linux with automatic
    process groups (each session its own scheduling group, where a process's niceness
    counts only against its own group) the niceness of its session's group too, or a
    `nice` alone would change nothing against the web server's session."""
    _die_with_parent()
    with contextlib.suppress(OSError):
        os.nice(LOWER_NICENESS)
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as group:
        group.write(str(LOWER_NICENESS))


class Supervisor:
    """Starts child processes, forwards SIGINT/SIGTERM to them, stops all when one exits.
    Those named in ``lowered`` run at a lower CPU priority."""

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        stop_timeout: float = STOP_TIMEOUT,
        lowered: frozenset[str] = frozenset(),
    ):
        self.commands = commands
        self.lowered = lowered
        self.stop_timeout = stop_timeout
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping: int | None = None

    def _on_signal(self, signum, _frame) -> None:
        self.stopping = signum

    def _preexec(self, name: str):
        if sys.platform != "linux":
            return None
        return _lower_priority if name in self.lowered else _die_with_parent

    def run(self) -> int:
        previous = {signum: signal.signal(signum, self._on_signal) for signum in STOP_SIGNALS}
        try:
            for name, argv in self.commands.items():
                # Own session: Ctrl-C reaches the supervisor only, which stops each child
                # once, gracefully, instead of every process receiving SIGINT at once.
                self.children[name] = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
                    argv,
                    start_new_session=True,
                    preexec_fn=self._preexec(name),
                )
            returncode = 0
            while self.stopping is None:
                exited = [(n, c) for n, c in self.children.items() if c.poll() is not None]
                if exited:
                    name, child = exited[0]
                    sys.stderr.write(
                        _("%(name)s stopped (exit code %(code)s); stopping the others.")
                        % {"name": name, "code": child.returncode}
                        + "\n"
                    )
                    returncode = child.returncode or 1
                    break
                time.sleep(0.2)
            return returncode
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def serve_public_address(*, host: str, port: int) -> str:
    """The one public address of this run: ``SITE_URL`` when configured, else the address
    the server listens on. The web server, the worker and the scheduler inherit it through
    their environment, and the default Wagtail site record is pointed at it, so every link
    in an e-mail or in the admin opens this server, whatever PORT is."""
    site_url = (env.str("SITE_URL") or site_url_for(host=host, port=port)).rstrip("/")
    os.environ["SITE_URL"] = site_url
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = site_url
    default_site_align(site_url=site_url)
    return site_url


class Command(BaseCommand):
    help = (
        "Migrate, collect static files, load demo content if the site is empty, and run "
        "the web server, the task worker and the daily-job scheduler until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=env.str("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env.int("PORT", 8000))
        parser.add_argument("--workers", type=int, default=env.int("WEB_CONCURRENCY", 2))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Web server only: the task worker and scheduler run elsewhere.",
        )

    def handle(
        self, *args, host: str, port: int, workers: int, no_demo: bool, no_worker: bool, **options
    ):
        # One `make run` per data folder, held until this process ends (csce/common/locks.py).
        try:
            self.instance = instance_lock(data_dir=settings.DATA_DIR)
        except InstanceRunning as running:
            raise CommandError(str(running)) from None
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo_content")
        site_url = serve_public_address(host=host, port=port)
        self.stdout.write(
            _("Links in e-mails and the admin start with %(url)s/.") % {"url": site_url}
        )
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment; run `make install`.")
        commands = {
            "web server": [
                gunicorn,
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
            ]
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if not no_worker:
            # Policy M: visitors' pages come first. The task workers (mail, newsletter
            # campaigns) run at a lower CPU priority (Supervisor's ``lowered``), so a
            # campaign of thousands slows pages as little as it can; TASK_WORKERS of them,
            # since a lowered worker spends most of a campaign waiting (settings).
            for number in range(1, settings.TASK_WORKERS + 1):
                # The first runs every queue; the others only the newsletter's, since
                # Wagtail's own tasks (the search index) expect to run one at a time.
                queues = "*" if number == 1 else settings.NEWSLETTER_TASK_QUEUE
                commands[f"task worker {number}"] = [
                    *manage,
                    "db_worker",
                    "--queue-name",
                    queues,
                    "--no-reload",
                    "--interval",
                    "2",
                ]
            commands["scheduler"] = [*manage, "run_scheduled_jobs", "--every"]
        data_dir = settings.DATA_DIR
        self.stdout.write(
            f"Serving on http://{host}:{port}/ (French: /fr/, English: /en/, admin: /admin/).\n"
            f"Data folder: {data_dir}. Outgoing e-mail is written to "
            f"{getattr(settings, 'EMAIL_FILE_PATH', 'your SMTP server')}. Stop with Ctrl-C."
        )
        if not no_worker:
            self.stdout.write(
                ngettext(
                    "%(workers)s task worker and the scheduler (every %(minutes)s minutes) "
                    "run beside the web server.",
                    "%(workers)s task workers and the scheduler (every %(minutes)s minutes) "
                    "run beside the web server.",
                    settings.TASK_WORKERS,
                )
                % {"workers": settings.TASK_WORKERS, "minutes": settings.SCHEDULER_INTERVAL_MINUTES}
            )
        self.stdout.flush()
        sys.stderr.flush()
        returncode = Supervisor(
            commands, lowered=frozenset(name for name in commands if name.startswith("task worker"))
        ).run()
        if returncode:
            sys.exit(returncode)
