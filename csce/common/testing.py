"""Helpers for tests that drive the project as separate processes (concurrency tests)."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def manage_run(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own, with ``env``; output captured as text."""
    return subprocess.run(  # noqa: S603 (our own manage.py, arguments from the test)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )
