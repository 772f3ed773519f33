"""Several processes appending at once: the chain must not fork.

The writers are real processes on a database of their own (``scratch_database_url`` in
csce/conftest.py: a temporary SQLite file, or a fresh PostgreSQL database), because the test
database's rolled-back transaction would hide their commits from one another.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from csce.common.testing import manage_run

REPO = Path(settings.BASE_DIR)
WRITERS = 4
ENTRIES_EACH = 40

# Each writer waits until all are ready, so that their appends really overlap.
WRITER = f"""
import os, time
from pathlib import Path
from csce.audit.services import access_log_record
barrier = Path(os.environ["AUDIT_BARRIER"])
(barrier / str(os.getpid())).touch()
while len(list(barrier.iterdir())) < {WRITERS}:
    time.sleep(0.005)
for i in range({ENTRIES_EACH}):
    access_log_record(action="personal_data_read", object_type="x.concurrency", object_id=i)
"""

REPORT = """
from csce.audit.models import AccessLogEntry
from csce.audit.selectors import access_log_verify
result = access_log_verify()
rows = list(AccessLogEntry.objects.values_list("previous_hash", flat=True))
print("RESULT", result.ok, result.checked, len(rows), len(set(rows)))
"""


def _environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path),
        "AUDIT_BARRIER": str(tmp_path / "barrier"),
    }
    env.pop("REDIS_URL", None)
    return env


def test_concurrent_writers_keep_one_chain(tmp_path, scratch_database_url):
    env = _environment(tmp_path, scratch_database_url)
    (tmp_path / "barrier").mkdir()
    writers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]
    report = manage_run(env, "shell", "-c", REPORT, timeout=120)
    assert report.returncode == 0, report.stderr[-2000:]
    _tag, ok, checked, rows, distinct_previous = report.stdout.strip().splitlines()[-1].split()
    total = WRITERS * ENTRIES_EACH
    assert (ok, int(checked), int(rows)) == ("True", total, total)
    assert int(distinct_previous) == total, "two entries chained onto the same one"
