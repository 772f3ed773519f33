"""Every third-party module the code imports comes from a dependency pyproject.toml declares.

A module that arrives only as a dependency of a dependency (cryptography through
django-otp, django-filter through Wagtail) disappears the day that package stops
needing it; the application would then fail at start, in production only.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
FIRST_PARTY = {"csce", "tests", "conftest", "bench", "manage"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0))


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    main = {_requirement_name(r) for r in project["project"]["dependencies"]}
    dev = {_requirement_name(r) for r in project["dependency-groups"]["dev"]}
    return main, main | dev


def _is_test_code(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return "tests" in parts or path.name in {"conftest.py", "testing.py"}


def _top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _undeclared_imports(root: Path) -> dict[str, list[str]]:
    runtime, with_dev = _declared()
    providers = importlib.metadata.packages_distributions()
    problems: dict[str, list[str]] = {}
    files = [*root.joinpath("csce").rglob("*.py"), *root.joinpath("tests").rglob("*.py")]
    for path in files:
        if "migrations" in path.parts:
            continue
        allowed = with_dev if _is_test_code(path, root) else runtime
        for module in _top_level_imports(path):
            if module in sys.stdlib_module_names or module in FIRST_PARTY:
                continue
            distributions = {_normalise(d) for d in providers.get(module, ())}
            if not distributions & allowed:
                where = str(path.relative_to(root))
                problems.setdefault(module, []).append(where)
    return problems


def test_every_imported_third_party_module_is_declared_in_pyproject():
    problems = _undeclared_imports(REPO)
    assert not problems, "imported but not declared in pyproject.toml: " + "; ".join(
        f"{module} ({', '.join(sorted(paths)[:3])})" for module, paths in sorted(problems.items())
    )


def test_a_module_that_only_a_dependency_brings_is_caught(tmp_path):
    # willow comes with Wagtail and nothing here declares it; pytest is declared for tests only.
    (tmp_path / "csce" / "tests").mkdir(parents=True)
    (tmp_path / "csce" / "images.py").write_text("import willow.image\nimport pytest\n")
    (tmp_path / "csce" / "tests" / "test_images.py").write_text("import pytest\nimport wagtail\n")
    assert _undeclared_imports(tmp_path) == {
        "willow": ["csce/images.py"],
        "pytest": ["csce/images.py"],
    }
