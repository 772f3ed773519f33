"""`make run` (manage.py serve): web server, task worker and scheduler start and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from csce.common.management.commands.serve import Supervisor

REPO = Path(__file__).resolve().parents[3]


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pids: set[int], timeout: float = 20) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = {pid for pid in pids if _alive(pid)}
        if not left:
            return left
        time.sleep(0.2)
    return {pid for pid in pids if _alive(pid)}


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def test_when_one_child_exits_the_others_are_stopped():
    supervisor = Supervisor(
        {"sleeper": ["sleep", "60"], "quitter": [sys.executable, "-c", "raise SystemExit(3)"]},
        stop_timeout=5,
    )
    started = time.monotonic()
    assert supervisor.run() == 3
    assert time.monotonic() - started < 10
    assert all(child.poll() is not None for child in supervisor.children.values())


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_children_stop_when_the_supervisor_is_stopped_or_killed(stop_signal):
    script = (
        "from csce.common.management.commands.serve import Supervisor;"
        "raise SystemExit(Supervisor({'a': ['sleep', '60'], 'b': ['sleep', '60']}).run())"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    deadline = time.monotonic() + 10
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    children = _children(process.pid)
    assert len(children) == 2
    process.send_signal(stop_signal)  # SIGINT is what Ctrl-C sends
    returncode = process.wait(timeout=20)
    assert _wait_gone(children) == set()
    if stop_signal != signal.SIGKILL:
        assert returncode == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_web_worker_and_scheduler_and_stops_them_all(tmp_path):
    """As tests/e2e/conftest.py does: start `manage.py serve`, terminate it, nothing remains."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.dev",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "TASK_WORKERS": "3",
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--no-demo"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300  # a fresh database: every migration
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?format=json") as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        children = _children(process.pid)
        commands = " ".join(
            Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            for pid in children
            if _alive(pid)
        )
        assert "gunicorn" in commands
        assert commands.count("db_worker") == 3  # TASK_WORKERS
        # The first worker runs every queue; the others only the newsletter's batches, so
        # Wagtail's own tasks (the search index) still run one at a time.
        assert commands.count("--queue-name * ") == 1
        assert commands.count("--queue-name newsletter ") == 2
        assert "run_scheduled_jobs" in commands
        # Policy M: the workers (a campaign of thousands of e-mails) yield the CPU to pages.
        niceness = [
            (name, os.getpriority(os.PRIO_PROCESS, pid))
            for pid in children
            if _alive(pid)
            for name in ("gunicorn", "db_worker")
            if name in Path(f"/proc/{pid}/cmdline").read_text()
        ]
        web = {nice for name, nice in niceness if name == "gunicorn"}
        workers = [nice for name, nice in niceness if name == "db_worker"]
        assert len(workers) == 3
        assert min(workers) > max(web)
        # Each child is a session of its own: with automatic process groups (Linux), a
        # niceness counts only within its session's group, so the group is lowered too.
        for pid in children:
            group = Path(f"/proc/{pid}/autogroup")
            if _alive(pid) and group.exists():
                lowered = "db_worker" in Path(f"/proc/{pid}/cmdline").read_text()
                assert group.read_text().strip().endswith("nice 5" if lowered else "nice 0")
        process.terminate()
        assert process.wait(timeout=30) == 0, log.read_text()[-3000:]
        assert _wait_gone(children) == set()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
