"""Several processes confirming requests at once: every request gets its own reference.

The confirmers are real processes on a database of their own (``scratch_database_url``:
a temporary SQLite file, or a fresh PostgreSQL database), because the test database's
rolled-back transaction would hide their commits from one another.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from csce.common.testing import manage_run

REPO = Path(settings.BASE_DIR)
CONFIRMERS = 4
EACH = 6

SETUP = f"""
import os
from pathlib import Path
from csce.privacy.services import privacy_request_verification_create
folder = Path(os.environ["PORTAL_TOKENS"])
for n in range({CONFIRMERS}):
    tokens = []
    for i in range({EACH}):
        _v, token = privacy_request_verification_create(
            kind="access", email=f"p{{n}}-{{i}}@example.org", name="", details="",
            language="fr", page_url="/fr/exercer-vos-droits/",
        )
        tokens.append(token)
    (folder / f"tokens-{{n}}").write_text("\\n".join(tokens))
"""

# Each confirmer waits until all are ready, so that their confirmations really overlap.
CONFIRMER = f"""
import os, time
from pathlib import Path
from csce.privacy.services import privacy_request_verify
folder = Path(os.environ["PORTAL_TOKENS"])
tokens = (folder / f"tokens-{{os.environ['PORTAL_N']}}").read_text().split()
(folder / "barrier" / str(os.getpid())).touch()
while len(list((folder / "barrier").iterdir())) < {CONFIRMERS}:
    time.sleep(0.005)
for token in tokens:
    privacy_request_verify(token=token)
"""

REPORT = """
from csce.privacy.models import PrivacyRequest, PrivacyRequestVerification
refs = sorted(PrivacyRequest.objects.values_list("reference", flat=True))
left = PrivacyRequestVerification.objects.count()
print("RESULT", len(refs), len(set(refs)), refs[0], refs[-1], left)
"""


def test_concurrent_confirmations_get_distinct_consecutive_references(
    tmp_path, scratch_database_url
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        "DATABASE_URL": scratch_database_url,
        "DATA_DIR": str(tmp_path),
        "PORTAL_TOKENS": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    (tmp_path / "barrier").mkdir()
    setup = manage_run(env, "shell", "-c", SETUP, timeout=120)
    assert setup.returncode == 0, setup.stderr[-2000:]
    confirmers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", CONFIRMER],
            cwd=REPO,
            env={**env, "PORTAL_N": str(n)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(CONFIRMERS)
    ]
    for confirmer in confirmers:
        _out, err = confirmer.communicate(timeout=180)
        assert confirmer.returncode == 0, err[-2000:]
    report = manage_run(env, "shell", "-c", REPORT, timeout=120)
    assert report.returncode == 0, report.stderr[-2000:]
    _tag, count, distinct, first, last, left = report.stdout.strip().splitlines()[-1].split()
    total = CONFIRMERS * EACH
    assert (int(count), int(distinct), int(left)) == (total, total, 0)
    year = first.split("-")[1]
    assert (first, last) == (f"DPR-{year}-0001", f"DPR-{year}-{total:04d}")
