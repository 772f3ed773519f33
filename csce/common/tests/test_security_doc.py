"""docs/security.md names, for each threat, the test that proves what stops it: every file
and test it names must exist, or a reader follows a dead reference."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_every_test_the_security_page_names_exists():
    text = (REPO / "docs" / "security.md").read_text()
    missing, current, named = [], None, 0
    for reference in re.findall(r"`([^`]+)`", text):
        if re.match(r"^(csce|tests)/\S+\.py", reference):
            current, _, name = reference.partition("::")
        elif reference.startswith("::") and current:
            name = reference[2:]
        else:
            continue
        path = REPO / current
        if not path.is_file():
            missing.append(current)
            continue
        if name:
            named += 1
            if not re.search(rf"^def {re.escape(name)}\(", path.read_text(), re.M):
                missing.append(f"{current}::{name}")
    assert named >= 50
    assert not missing, missing
