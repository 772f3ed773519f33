"""The layering that docs/architecture.md draws, held against the code's imports.

Every import of the project's own code is read from the source (imports inside
functions count too: a lazy import that dodges a circle is still a circle), and:
- an app imports only the apps below it in ``MAY_IMPORT``; sibling domains never import
  each other (they meet through the registries in ``common``);
- no two modules import each other, directly or through others (no circle);
- no module takes a private name (``_name``) from another module;
- a migration takes no function or value from another app's live code.
``AppConfig.ready`` is where an app wires itself to the others at start; its imports
are not counted, as Django intends.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "csce"

# Which app may import which: the layers of docs/architecture.md, from the bottom up.
# "project" is the project package's own modules (settings, urls, wsgi, env).
FOUNDATION = {"env", "common"}
MAY_IMPORT: dict[str, set[str]] = {
    "env": set(),
    "common": {"env"},
    "audit": FOUNDATION,
    "pages": FOUNDATION,
    "accounts": FOUNDATION | {"audit", "pages"},
    "outbox": FOUNDATION,
    "retention": FOUNDATION,
    "analytics": FOUNDATION | {"pages"},
    "submissions": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "privacy": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "newsletter": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "incidents": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "moderation": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "media": FOUNDATION | {"pages", "accounts"},
    "properties": FOUNDATION | {"audit", "pages", "accounts", "outbox"},
    "compliance": FOUNDATION | {"outbox"},
    "settings": FOUNDATION,
    "project": {
        "env", "common", "audit", "pages", "accounts", "outbox", "retention",
        "analytics", "submissions", "privacy", "newsletter", "incidents",
        "moderation", "media", "properties", "compliance", "settings",
    },
}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _code_files() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _app_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "csce":
        return ""
    second = parts[1]
    if second in MAY_IMPORT and second not in ("project",):
        return second
    return "project"


class _Imports(ast.NodeVisitor):
    """(module imported, names taken) for each import outside AppConfig.ready."""

    def __init__(self, module: str, is_package: bool):
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.found: list[tuple[str, list[str]]] = []

    def visit_FunctionDef(self, node):
        if node.name == "ready":
            return
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        for alias in node.names:
            self.found.append((alias.name, []))

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        self.found.append((target, [alias.name for alias in node.names]))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    visitor = _Imports(_module_name(path), path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.found


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """Module -> project modules it imports; and the private names taken across modules."""
    files = {_module_name(path): path for path in _code_files()}
    edges: dict[str, set[str]] = defaultdict(set)
    private = []
    for module, path in files.items():
        for target, names in _imports(path):
            if not target.startswith("csce"):
                continue
            for name in names:
                # "from .models import records" names a module; otherwise a name in target.
                if f"{target}.{name}" in files:
                    edges[module].add(f"{target}.{name}")
                elif target in files:
                    edges[module].add(target)
                    if name.startswith("_") and not name.startswith("__"):
                        private.append((module, target, name))
            if not names and target in files:
                edges[module].add(target)
    return edges, private


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_layers_name_every_app():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").is_file()}
    assert apps <= set(MAY_IMPORT), (
        f"add to MAY_IMPORT and docs/architecture.md: {apps - set(MAY_IMPORT)}"
    )


# Test support (each app's factories and testing helpers) builds data across apps, as
# tests do; it is held to no circle and no private name, but not to the layers.
TEST_SUPPORT = ("factories", "testing")


def test_apps_import_only_the_layers_below_them():
    edges, _private = _graph()
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in edges.items()
        for target in targets
        if _app_of(target) != _app_of(module)
        and _app_of(target) not in MAY_IMPORT[_app_of(module)]
        and module.rpartition(".")[2] not in TEST_SUPPORT
    )
    assert not wrong, "imports that break docs/architecture.md's layers:\n" + "\n".join(wrong)


def test_no_module_imports_itself_through_others():
    edges, _private = _graph()
    circles = _cycles(edges)
    assert not circles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_no_private_name_is_taken_from_another_module():
    _edges, private = _graph()
    assert not private, "\n".join(f"{m} takes {n} from {t}" for m, t, n in private)


def test_migrations_take_nothing_from_another_apps_live_code():
    wrong = []
    for path in PACKAGE.glob("*/migrations/*.py"):
        app = path.parts[-3]
        for target, names in _imports(path):
            other = _app_of(target)
            # "import csce.pages.models" is how makemigrations names a field or base class.
            if other and other != app and names:
                wrong.append(f"{path.relative_to(ROOT)} takes {names} from {target}")
    assert not wrong, "\n".join(wrong)


def test_the_checks_see_a_circle_and_a_wrong_layer():
    # The reader itself: a circle of three is found; a clean chain is not.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []
    assert "privacy" not in MAY_IMPORT["submissions"]
    assert "submissions" not in MAY_IMPORT["privacy"]


def test_no_test_imports_another_apps_tests():
    # Shared test data comes from each app's factories module, never from its tests.
    wrong = []
    for path in [*PACKAGE.rglob("tests/*.py"), *(ROOT / "tests").rglob("*.py")]:
        module = _module_name(path)
        for target, _names in _imports(path):
            parts = target.split(".")
            if target == "csce.conftest" or (
                len(parts) > 2 and parts[2] == "tests" and parts[:2] != module.split(".")[:2]
            ):
                wrong.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_test_takes_a_private_name_from_another_test_module():
    # What tests share is public, in a factories or helpers module (tests/e2e/helpers.py).
    wrong = []
    for path in [*PACKAGE.rglob("tests/*.py"), *(ROOT / "tests").rglob("*.py")]:
        for target, names in _imports(path):
            wrong += [
                f"{path.relative_to(ROOT)} takes {n} from {target}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
    assert not wrong, "\n".join(wrong)
