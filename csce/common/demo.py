"""Demo content, contributed by each app (a registry, not a list that names every app).

`make run` loads the bilingual demo into an empty site: the pages app builds the site,
then every other app adds its part (forms, programs, surveys...) in ``order``. Each
loader is idempotent: it returns False and changes nothing when its content exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO, TypeVar

DemoLoad = Callable[..., bool]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: DemoLoad  # load(*, stdout: TextIO | None) -> bool


_loaders: dict[str, DemoLoader] = {}

_Child = TypeVar("_Child")


def in_order(children: Iterable[_Child]) -> list[_Child]:
    """Number a page's orderable children (form fields, topics, sessions...) in the order
    they are written. Assigned in code rather than through the editor's formset, they
    would otherwise all have no sort order, and the database would return them in any
    order it likes (on PostgreSQL, often not the written one once the page is saved
    again)."""
    ordered = list(children)
    for position, child in enumerate(ordered):
        child.sort_order = position
    return ordered


def demo_loader_register(*, name: str, order: int, load: DemoLoad) -> None:
    _loaders[name] = DemoLoader(name=name, order=order, load=load)


def demo_loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


def demo_load_all(*, stdout: TextIO | None = None) -> bool:
    """Run every app's loader; True when any of them created something."""
    created = False
    for loader in demo_loaders():
        created = loader.load(stdout=stdout) or created
    return created
