"""docs/policy.md is the map from each policy clause to its code and its tests.

A clause cited in the code must be in the map, and everything the map names must exist,
so a reader can always go from a clause to the code that enforces it and the test that
proves it (every clause: the map is how the policy is found in the repository).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
POLICY_MAP = ROOT / "docs" / "policy.md"
CLAUSES = [f"P{number}" for number in range(1, 11)] + list("SOCFMURXV")
SOURCES = ("csce", "tests", "bench")
SUFFIXES = {".py", ".html", ".txt", ".md", ".js", ".lua"}

# "Policy M", "policy P3, P7", "policies F and R", "Policy V and X".
CITATION = re.compile(r"\b[Pp]olic(?:y|ies)\s+([A-Z]\d*(?:\s*(?:,|/|and|&)\s*[A-Z]\d*)*)\b")
TOKEN = re.compile(r"[A-Z]\d*")
CODE = re.compile(r"`([^`]+)`")


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in POLICY_MAP.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in CLAUSES:
            rows[cells[0]] = cells
    return rows


def _source_files():
    for top in SOURCES:
        for path in (ROOT / top).rglob("*"):
            if path.suffix in SUFFIXES and path.is_file() and "vendor" not in path.parts:
                yield path


def cited_clauses(text: str) -> set[str]:
    found = set()
    for match in CITATION.finditer(text):
        found.update(TOKEN.findall(match.group(1)))
    return found


def test_citations_are_read_as_the_code_writes_them():
    assert cited_clauses("# Policy M: the host deletes data") == {"M"}
    assert cited_clauses("(policy P3, P7 and F)") == {"P3", "P7", "F"}
    assert cited_clauses("Policy V and X: the notice") == {"V", "X"}
    # An id the policy does not have is read too, so that the map test can refuse it.
    unknown = "P" + "11"
    assert cited_clauses(f"policy {unknown} says") == {unknown}


def test_every_clause_of_the_policy_has_its_row():
    assert sorted(_rows()) == sorted(CLAUSES)


def test_every_clause_the_code_cites_is_in_the_map():
    rows = _rows()
    unknown = {}
    for path in _source_files():
        for clause in cited_clauses(path.read_text(encoding="utf-8", errors="replace")):
            if clause not in rows:
                unknown.setdefault(clause, []).append(str(path.relative_to(ROOT)))
    assert not unknown, f"clause ids cited in the code but not defined in docs/policy.md: {unknown}"


@pytest.mark.parametrize("clause", CLAUSES)
def test_the_map_names_code_and_tests_that_exist(clause):
    _clause, _what, enforced, proved = _rows()[clause]
    modules = CODE.findall(enforced)
    tests = CODE.findall(proved)
    assert modules, f"{clause}: no module named"
    assert tests, f"{clause}: no test named"
    for module in modules:
        assert (ROOT / module).is_file(), f"{clause}: {module} does not exist"
    for test in tests:
        file, _, function = test.partition("::")
        path = ROOT / file
        assert path.is_file(), f"{clause}: {file} does not exist"
        assert path.name.startswith("test_"), f"{clause}: {file} is not a test module"
        if function:
            assert re.search(rf"def {re.escape(function)}\(", path.read_text(encoding="utf-8")), (
                f"{clause}: {test} does not exist"
            )


# What a reader of the repository cannot follow: a tracker's numbering or a file
# that is not in it. Comments say what they mean instead.
OUTSIDE_REFERENCE = re.compile(
    r"\b[Ii]ssues? #?\d+|\b[Ii]tems? \d+\b|\(#\d+\)|\b(?:DESIGN|STYLE|DEVELOPERS)\.md|\.\./shared"
)


def test_nothing_cites_an_issue_an_item_or_a_file_outside_the_repository():
    paths = [*_source_files(), *(ROOT / "docs").rglob("*.md"), ROOT / "README.md"]
    hits = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE_REFERENCE.search(line) and path != Path(__file__):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:90]}")
    assert not hits, "say what it means instead:\n" + "\n".join(hits)
