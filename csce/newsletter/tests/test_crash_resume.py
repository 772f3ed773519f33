"""A worker killed in the middle of a campaign (policy P3, M; CASL s.11): the next worker
finishes it, and every subscriber gets the message exactly once.

Real processes on a database of the test's own (``scratch_database_url``): ``manage.py
db_worker`` with the database task backend, sending to an SMTP server (aiosmtpd) that
kills the worker with SIGKILL when the 25th message arrives, before answering 250: that
message was never accepted, and must be sent again by the next worker; none of the 24
accepted before may be.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings

from csce.common.testing import manage_run

REPO = Path(settings.BASE_DIR)
SUBSCRIBERS = 60
KILL_AT = 25

SETTINGS = """
import os
from csce.settings.test import *  # noqa: F403

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "newsletter"],
    }
}
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["CRASH_SMTP_PORT"])
EMAIL_USE_TLS = False
NEWSLETTER_BATCH_SIZE = 10
NEWSLETTER_CLAIM_LEASE_SECONDS = 2
"""

# The first process: the seed, then the worker (each Django start costs seconds on a
# shared machine, so one process does both).
FIRST = f"""
from django.core.management import call_command
from csce.newsletter.factories import campaign_create, subscriber_create
from csce.newsletter.sending import campaign_schedule
for n in range({SUBSCRIBERS}):
    subscriber_create(email=f"person{{n}}@example.org", language="en" if n % 2 else "fr")
campaign = campaign_create()
campaign_schedule(campaign=campaign, at=None, actor=None)
call_command("db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay")
"""

# The second: the worker runs what is ready (--batch) until the campaign is sent (the
# killed message's claim must first outlive its lease), then reports.
SECOND = """
import time
from django.core.management import call_command
from csce.newsletter.models import Campaign
from csce.newsletter.sending import campaign_progress
deadline = time.monotonic() + 40
while True:
    call_command(
        "db_worker", "--queue-name", "*", "--batch", "--interval", "0.2", "--no-startup-delay"
    )
    campaign = Campaign.objects.get()
    if campaign.status == "sent" or time.monotonic() > deadline:
        break
    time.sleep(0.3)
p = campaign_progress(campaign=campaign)
print("REPORT", campaign.status, p.sent, p.failed, p.skipped, p.remaining)
"""


class KillingInbox:
    """Accepts every message, except that at the ``KILL_AT``-th it kills the worker first
    (so that message is never accepted: the server has not answered yet)."""

    def __init__(self):
        self.accepted: list[str] = []
        self.received = 0
        self.worker_pid: int | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received += 1
            if self.received == KILL_AT and self.worker_pid:
                os.kill(self.worker_pid, signal.SIGKILL)
                return "451 4.3.0 The worker is gone"
            self.accepted.extend(envelope.rcpt_tos)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_worker_killed_mid_campaign_is_resumed_and_nobody_gets_it_twice(
    tmp_path, scratch_database_url
):
    from aiosmtpd.controller import Controller

    inbox = KillingInbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    (tmp_path / "crash_settings.py").write_text(SETTINGS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crash_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)]),
        "DATABASE_URL": scratch_database_url,
        "DATA_DIR": str(tmp_path),
        "CRASH_SMTP_PORT": str(port),
    }
    env.pop("REDIS_URL", None)
    try:
        first = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", FIRST],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        inbox.worker_pid = first.pid
        _out, err = first.communicate(timeout=120)
        # Killed by the server at the 25th message, which it never accepted.
        assert first.returncode == -signal.SIGKILL, err[-2000:]
        assert len(inbox.accepted) == KILL_AT - 1

        second = manage_run(env, "shell", "-c", SECOND, timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]
    finally:
        controller.stop()

    # Exactly once: 60 messages, to 60 different subscribers.
    assert len(inbox.accepted) == SUBSCRIBERS
    assert len(set(inbox.accepted)) == SUBSCRIBERS
    assert second.stdout.strip().splitlines()[-1] == f"REPORT sent {SUBSCRIBERS} 0 0 0"
