"""Sending a newsletter to 10,000 subscribers while visitors load the home page.

Usage: .venv/bin/python bench/newsletter_send.py [subscribers] [wrk seconds]
                     [--sink-nice=N] [--worker-nice=N] [--postgres=URL]
        (defaults 10000, 10, 0, and the workers' niceness as ``serve`` sets it: 5, policy
        M). TASK_WORKERS and NEWSLETTER_MAX_PER_SECOND in the environment reach ``serve``.
        Results go to docs/benchmarks.md with this command.

1. Starts the real system as `make run` does (``manage.py serve``: gunicorn, the task
   workers ``db_worker`` and the scheduler; SQLite or --postgres, file cache, demo) in a
   scratch DATA_DIR, with its mail going over SMTP to a local sink (aiosmtpd, in a
   process and session of its own at normal priority, so that it answers as promptly as
   a relay on another machine would; what CPU it takes here is counted against the
   pages, so the ratio errs on the low side; it writes the time of each message it
   accepts). ``--sink-nice=19`` lowers it as runs 6 to 10 did.
2. Seeds ``subscribers`` confirmed subscribers (half French, half English; encrypted
   addresses and names, blind index), written in bulk.
3. wrk on ``/fr/`` (2 threads, 16 connections, ``wrk seconds`` each): three runs before
   the campaign, then pairs of runs while it goes out, one with the task worker paused
   (SIGSTOP) and one with it sending, in alternating order, then three runs after.
   Prints the median of the pairs' ratios (sending / paused: the share of throughput the
   public pages keep), the medians of each half, the messages per second the sink
   received while the workers ran, and where the workers' time went per message (on a
   CPU, waiting in the run queue for one, or neither: Linux's schedstat). Pairs compare
   the same minute of a shared machine; separate runs before and after would compare
   different loads.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
SUBSCRIBERS = int(ARGS[0]) if ARGS else 10_000
WRK_SECONDS = int(ARGS[1]) if len(ARGS) > 1 else 10


def option(name: str, default: int | None) -> int | None:
    return next(
        (int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith(f"--{name}=")), default
    )


SINK_NICE = option("sink-nice", 0)
# --postgres=URL: the server's database is a fresh PostgreSQL database beside the one URL
# names (csce_bench_newsletter), instead of make run's SQLite file.
POSTGRES = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--postgres=")), "")
# None: the niceness ``serve`` gives the worker; a number: the benchmark sets that one instead
# (its process and its session's group), to compare priorities without editing ``serve``.
WORKER_NICE = option("worker-nice", None)

SETTINGS = """
from csce.settings.dev import *  # noqa: F403
"""

SEED = f"""
import secrets
from django.utils import timezone
from csce.common.crypto import blind_index
from csce.newsletter.models import Subscriber, SubscriberStatus
now = timezone.now()
rows = [
    Subscriber(
        email=f"person{{n}}@example.org",
        email_index=blind_index(f"person{{n}}@example.org"),
        first_name=f"Person {{n}}",
        language="en" if n % 2 else "fr",
        status=SubscriberStatus.CONFIRMED,
        created_at=now,
        confirmed_at=now,
        link_key=secrets.token_urlsafe(32),
    )
    for n in range({SUBSCRIBERS})
]
Subscriber.objects.bulk_create(rows, batch_size=1000)
print("SEEDED", Subscriber.objects.count())
"""

SCHEDULE = """
from csce.newsletter.factories import campaign_create
from csce.newsletter.sending import campaign_schedule
campaign = campaign_create()
campaign_schedule(campaign=campaign, at=None, actor=None)
print("SCHEDULED", campaign.pk)
"""

REPORT = """
from csce.newsletter.models import Campaign
from csce.newsletter.sending import campaign_progress
campaign = Campaign.objects.exclude(status="draft").get()  # the demo keeps its draft
p = campaign_progress(campaign=campaign)
print("REPORT", campaign.status, p.sent, p.failed, p.skipped, p.remaining,
      (campaign.finished_at - campaign.started_at).total_seconds() if campaign.finished_at else -1)
"""


# The SMTP sink runs in a process and session of its own: in production the mail relay is
# another machine, which answers each command at once whatever the site's load.
SINK = """
import sys, time
from aiosmtpd.controller import Controller

class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        self.out.write(f"{time.monotonic()}\\n")
        self.out.flush()
        return "250 OK"

# Its own session (below) and, with Linux's automatic process groups, its group's
# niceness too: a niceness alone counts only within the session's group.
if int(sys.argv[3]):
    try:
        with open("/proc/self/autogroup", "w") as group:
            group.write(sys.argv[3])
    except OSError:
        pass
with open(sys.argv[2], "a") as out:
    controller = Controller(Sink(out), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("READY", flush=True)
    sys.stdin.read()  # until the benchmark closes it
    controller.stop()
"""


class Sink:
    """The sink's process and the times (CLOCK_MONOTONIC, shared by every process on the
    machine) of the messages it accepted."""

    def __init__(self, port: int, times_file: Path):
        self.file = times_file
        self.file.touch()
        nice = shutil.which("nice") or "nice"
        argv = [nice, "-n", str(SINK_NICE), sys.executable, "-c", SINK, str(port), str(times_file)]
        self.process = subprocess.Popen(  # noqa: S603
            [*argv, str(SINK_NICE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        if self.process.stdout.readline().strip() != "READY":
            raise SystemExit("the SMTP sink did not start")

    @property
    def times(self) -> list[float]:
        return [float(line) for line in self.file.read_text().splitlines() if line]

    def count(self) -> int:
        return self.file.read_text().count("\n")

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, timeout=600) -> str:
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout


def wrk(url: str) -> float:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c16", f"-d{WRK_SECONDS}s", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    # Killed: clean up (the server, the sink, the scratch folder) as on a normal end.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    data = Path(tempfile.mkdtemp(prefix="csce-bench-nl-"))
    smtp_port = free_port()
    sink = Sink(smtp_port, data / "sink-times.txt")
    (data / "bench_settings.py").write_text(SETTINGS)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(data), str(REPO)]),
        "DATA_DIR": str(data),
        "PORT": str(port),
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if POSTGRES:
        env["DATABASE_URL"] = postgres_fresh(POSTGRES)
    log = (data / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/fr/"
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                with urllib.request.urlopen(f"{url[:-3]}health/?format=json", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit((data / "server.log").read_text()[-3000:]) from None
                time.sleep(1)
        print(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        urllib.request.urlopen(url, timeout=10).read()  # warm the page cache
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout)  # noqa: S607
        before = [wrk(url) for _ in range(3)]
        print("without the send:", before)
        print(manage(env, "shell", "-c", SCHEDULE).strip().splitlines()[-1])
        workers[:] = worker_pids(server.pid)
        for worker in workers:
            if WORKER_NICE is not None:
                os.setpriority(os.PRIO_PROCESS, worker, WORKER_NICE)
                Path(f"/proc/{worker}/autogroup").write_text(str(WORKER_NICE))
            print(
                "task worker niceness:",
                os.getpriority(os.PRIO_PROCESS, worker),
                Path(f"/proc/{worker}/autogroup").read_text().strip(),
            )
        # Paired runs while the campaign goes out: the task worker paused (SIGSTOP) for
        # one run and sending for the other, in alternating order, so that both halves of
        # each pair see the same machine; the other load on a shared machine drifts over
        # minutes, not seconds.
        ratios, paused_rates, sending_rates = [], [], []
        sent_in_windows, window_seconds = 0, 0.0
        on_cpu, queued = 0.0, 0.0  # the worker's seconds running and waiting for a CPU
        sink_cpu = 0.0  # the sink's seconds on a CPU (in production, another machine's)
        while sink.count() < SUBSCRIBERS:
            pair = {}
            for sending in (True, False) if len(ratios) % 2 else (False, True):
                for worker in workers:
                    os.kill(worker, signal.SIGCONT if sending else signal.SIGSTOP)
                time.sleep(0.5)
                count_before, started = sink.count(), time.monotonic()
                sched_before, sink_before = schedstat(*workers), schedstat(sink.process.pid)
                pair[sending] = wrk(url)
                if sending:
                    sent_in_windows += sink.count() - count_before
                    window_seconds += time.monotonic() - started
                    sched_after = schedstat(*workers)
                    on_cpu += sched_after[0] - sched_before[0]
                    queued += sched_after[1] - sched_before[1]
                    sink_cpu += schedstat(sink.process.pid)[0] - sink_before[0]
            for worker in workers:
                os.kill(worker, signal.SIGCONT)
            if sink.count() < SUBSCRIBERS:  # the worker sent throughout its run
                ratios.append(pair[True] / pair[False])
                paused_rates.append(pair[False])
                sending_rates.append(pair[True])
                print(f"pair: {pair[False]} paused, {pair[True]} sending ({sink.count()} sent)")
            if time.monotonic() > deadline + 3600:
                break
        after = [wrk(url) for _ in range(3)]
        print("without the send, after:", after)
        print(manage(env, "shell", "-c", REPORT).strip().splitlines()[-1])
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout)  # noqa: S607
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        times = sink.times
        sink.stop()
        log.close()
        shutil.rmtree(data, ignore_errors=True)
    elapsed = times[-1] - times[0] if len(times) > 1 else 0
    print(
        f"messages: {len(times)} in {elapsed:.1f} s; while the worker ran: "
        f"{sent_in_windows / window_seconds:.1f}/s"
    )
    # Where the workers' time went while they sent, per message: on a CPU, waiting in the
    # run queue for one (the CPU share their niceness gives them), or neither (waiting on
    # the SMTP server, the database or the pace).
    per_message = 1000 / max(sent_in_windows, 1)
    worker_seconds = window_seconds * len(workers)
    print(
        f"{len(workers)} task worker(s), per message while they sent: "
        f"{on_cpu * per_message:.2f} ms on a CPU, "
        f"{queued * per_message:.2f} ms waiting for one, "
        f"{(worker_seconds - on_cpu - queued) * per_message:.2f} ms neither; "
        f"the SMTP sink: {sink_cpu * per_message:.2f} ms on a CPU"
    )
    print(
        f"home page: {statistics.median(paused_rates):.0f} req/s paused, "
        f"{statistics.median(sending_rates):.0f} req/s sending; median ratio of "
        f"{len(ratios)} pairs: {statistics.median(ratios):.0%} "
        f"(runs before and after the campaign: {statistics.median(before + after):.0f} req/s)"
    )


def schedstat(*pids: int) -> tuple[float, float]:
    """Seconds the processes' threads have spent on a CPU and waiting in a run queue
    (Linux's /proc/<pid>/task/<tid>/schedstat, in nanoseconds)."""
    running = waiting = 0
    for task in (task for pid in pids for task in Path(f"/proc/{pid}/task").iterdir()):
        with contextlib.suppress(OSError):
            fields = (task / "schedstat").read_text().split()
            running += int(fields[0])
            waiting += int(fields[1])
    return running / 1e9, waiting / 1e9


def postgres_fresh(url: str) -> str:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "csce_bench_newsletter" WITH (FORCE)')
        conn.execute('CREATE DATABASE "csce_bench_newsletter"')
    return parsed._replace(path="/csce_bench_newsletter").geturl()


def worker_pids(server_pid: int) -> list[int]:
    """The task workers ``serve`` started (its children whose command is db_worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"db_worker" in command:
            found.append(int(entry.name))
    if not found:
        raise SystemExit("no task worker under the server")
    return found


if __name__ == "__main__":
    main()
