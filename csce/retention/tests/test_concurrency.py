"""Two nodes running the retention job at once: nothing fails, nothing is counted twice.

Real processes on a database of the test's own (see ``scratch_database_url``), started
together behind a barrier so that their runs really overlap.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from csce.common.testing import manage_run

REPO = Path(settings.BASE_DIR)
RUNNERS = 3
EXPIRED = 250

SEED = f"""
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from csce.submissions.models import Submission
past = timezone.now() - datetime.timedelta(days=40)
inbox = Group.objects.create(name="Inbox")
for i in range({EXPIRED}):
    Submission.objects.create(form_title="f", kind="inquiry", inbox=inbox, created_at=past,
        expires_at=past + datetime.timedelta(days=30), answers=[{{"name": "n", "value": str(i)}}])
Submission.objects.create(form_title="f", kind="inquiry", inbox=inbox,
    expires_at=timezone.now() + datetime.timedelta(days=30))
"""

RUNNER = f"""
import os, time
from pathlib import Path
from csce.retention.services import purge_expired_data
barrier = Path(os.environ["PURGE_BARRIER"])
(barrier / str(os.getpid())).touch()
while len(list(barrier.iterdir())) < {RUNNERS}:
    time.sleep(0.005)
run = purge_expired_data(batch_size=20)
print("RUN", "locked" if run is None else run.counts.get("submissions", 0))
"""

REPORT = """
from csce.retention.models import PurgeRun
from csce.submissions.models import Submission
counted = sum(r.counts.get("submissions", 0) for r in PurgeRun.objects.all())
print("REPORT", Submission.objects.count(), counted)
"""


def test_concurrent_purges_delete_each_record_once(tmp_path, scratch_database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        "DATABASE_URL": scratch_database_url,
        "DATA_DIR": str(tmp_path),
        "PURGE_BARRIER": str(tmp_path / "barrier"),
    }
    env.pop("REDIS_URL", None)
    (tmp_path / "barrier").mkdir()
    seeded = manage_run(env, "shell", "-c", SEED, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    runners = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", RUNNER],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(RUNNERS)
    ]
    results = []
    for runner in runners:
        out, err = runner.communicate(timeout=300)
        assert runner.returncode == 0, err[-2000:]
        results.append(out.strip().splitlines()[-1].split()[1])
    report = manage_run(env, "shell", "-c", REPORT, timeout=120)
    assert report.returncode == 0, report.stderr[-2000:]
    _tag, remaining, counted = report.stdout.strip().splitlines()[-1].split()
    # Only the unexpired submission is left, and the runs' counts add up to what went.
    assert (int(remaining), int(counted)) == (1, EXPIRED)
    assert sum(int(r) for r in results if r != "locked") == EXPIRED
