"""CPU time the sending engine spends per newsletter message.

Usage: .venv/bin/python bench/newsletter_cpu.py [subscribers] [--profile]
        (default 2000). Results go to docs/benchmarks.md with this command.

On a shared machine, wall-clock throughput drifts with the other load; the CPU time one
process spends per message does not, so this is the number to compare between two
versions of the engine (``bench/newsletter_send.py`` then measures the whole system).

1. A scratch DATA_DIR with the dev settings (SQLite), migrated, without the demo.
2. ``subscribers`` confirmed subscribers (half French, half English), written in bulk,
   and one campaign in both languages, scheduled now.
3. The engine sends it batch after batch, in this process, unpaced, over SMTP to a sink
   in a process of its own; the process's CPU time (user + system) and the wall time of
   the sending are printed, per message. ``--profile`` prints the twenty functions with
   the most cumulative time as well.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
SUBSCRIBERS = int(ARGS[0]) if ARGS else 2000
PROFILE = "--profile" in sys.argv

SINK = """
import sys
from aiosmtpd.controller import Controller

class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("READY", flush=True)
sys.stdin.read()
controller.stop()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="csce-bench-nlcpu-"))
    port = free_port()
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SINK, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if sink.stdout.readline().strip() != "READY":
        raise SystemExit("the SMTP sink did not start")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "csce.settings.dev",
            "DATA_DIR": str(data),
            "SITE_URL": "http://127.0.0.1:8000",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
            "NEWSLETTER_MAX_PER_SECOND": "0",
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(REPO))
    try:
        run()
    finally:
        sink.stdin.close()
        sink.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


def run() -> None:
    import django

    django.setup()
    import secrets

    from django.core.management import call_command
    from django.utils import timezone

    from csce.common.crypto import blind_index
    from csce.newsletter.factories import campaign_create
    from csce.newsletter.models import Campaign, Subscriber, SubscriberStatus
    from csce.newsletter.sending import campaign_progress, campaign_schedule, campaign_send_now

    call_command("migrate", verbosity=0)
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"person{n}@example.org",
                email_index=blind_index(f"person{n}@example.org"),
                first_name=f"Person {n}",
                language="en" if n % 2 else "fr",
                status=SubscriberStatus.CONFIRMED,
                created_at=now,
                confirmed_at=now,
                link_key=secrets.token_urlsafe(32),
            )
            for n in range(SUBSCRIBERS)
        ],
        batch_size=1000,
    )
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)
    profiler = cProfile.Profile() if PROFILE else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    while Campaign.objects.get(pk=campaign.pk).status != "sent":
        campaign_send_now(campaign_id=campaign.pk)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    progress = campaign_progress(campaign=campaign)
    if progress.sent != SUBSCRIBERS:
        raise SystemExit(f"sent {progress.sent} of {SUBSCRIBERS}")
    print(
        f"{progress.sent} messages: {cpu * 1000 / progress.sent:.2f} ms of CPU and "
        f"{wall * 1000 / progress.sent:.2f} ms of wall time each "
        f"(start included; {progress.sent / wall:.0f} messages a second)"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
        stats.print_callees("_batch_send")


if __name__ == "__main__":
    main()
