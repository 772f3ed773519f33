"""Load the bilingual demo site: French pages first, English pages as their translations.

The texts are data files in ``demo_pages/``, one per page and language, ``<key>.<language>.md``:
TOML front matter between ``+++`` lines, then the page's body. This module reads them, turns
them into Wagtail pages, points the default site at the French home page and fills in the
centre's settings from ``demo_pages/centre.toml``.

Front matter: ``title``, ``slug``, ``search_description`` (the summary in listings and search
results) and the model's own text fields in every language; the French file alone also says
where the page sits and what both languages share:

- ``type``: its page model; ``parent``: the key of its parent page (none for the home page);
  ``position``: its place among its siblings (tree order is menu order);
- ``shared``: fields both languages share (an icon, a date, ``show_in_menus``);
- ``links``: page-choosing fields, as keys, resolved to the page in the same language.

The body is blocks separated by blank lines; a block's lines are joined by a space:

- ``## text`` or ``### text``: a heading;
- a block starting with ``<``: rich text, in HTML;
- ``> [!info] title`` or ``> [!important] title``, then ``> html`` lines: a callout;
- ``? question`` then the answer's HTML lines: a question and its answer;
- ``[label](page:key)``: a button to another demo page.

``{privacy_officer_email}`` is replaced by ``settings.PRIVACY_OFFICER_EMAIL`` when loaded.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page, Site
from wagtail.signals import copy_for_translation_done

from csce.common.links import default_site_align, site_record_address
from csce.common.notice_rules import privacy_notice_publish_refusal

from .cache import site_generation_bump
from .models import (
    PAGE_TYPES,
    CentreSettings,
    FooterLink,
    HomePage,
    OpeningHours,
    PrivacyNoticePage,
)

SOURCE_LANGUAGE = "fr"
TRANSLATIONS = ("en",)
PAGE_TYPES_BY_NAME = {model.__name__: model for model in PAGE_TYPES}
# Filled in on the second pass, once every page they may point at exists.
DEFERRED_FIELDS = {"body"}
DEMO_PAGES = Path(__file__).resolve().parent / "demo_pages"
# Front-matter keys that only the source language's file holds: where the page sits.
STRUCTURE_KEYS = {"type", "parent", "position", "shared", "links"}

Pages = dict[tuple[str, str], Page]


def demo_content_load(*, stdout: TextIO | None = None) -> bool:
    """Build the demo site when there is no home page yet; return whether it did.

    With a home page already in place nothing is changed, so running it twice (or on two
    machines at once) keeps what editors have written.
    """
    with transaction.atomic():
        # Lock the tree root: a second loader waits here, then finds the home page.
        root = Page.objects.select_for_update().get(depth=1)
        if HomePage.objects.exists():
            return False

        locales = {
            code: Locale.objects.get(language_code=code)
            for code in (SOURCE_LANGUAGE, *TRANSLATIONS)
        }
        site_tree = demo_site_read()
        pages: Pages = {}
        # French first: the whole tree as drafts, served by the default site.
        _french_create(node=site_tree, parent=root, locale=locales[SOURCE_LANGUAGE], pages=pages)
        site = _default_site_point(home=pages["home", SOURCE_LANGUAGE], stdout=stdout)
        # Then each French page's translations, parents before children.
        for node in _nodes(site_tree):
            for language in TRANSLATIONS:
                pages[node["key"], language] = page_translation_create(
                    source=pages[node["key"], SOURCE_LANGUAGE],
                    locale=locales[language],
                    fields=_plain_fields(node=node, language=language),
                )
        # Last, now that every page a link may point at exists: texts, links, publication.
        # The privacy notice waits, as a draft, for the Privacy Officer's real address.
        notice_refusal = privacy_notice_publish_refusal()
        for node in _nodes(site_tree):
            for language in (SOURCE_LANGUAGE, *TRANSLATIONS):
                page = pages[node["key"], language]
                page = page.specific_class.objects.get(pk=page.pk)  # fresh url_path
                _fields_set(page=page, node=node, language=language, pages=pages)
                revision = page.save_revision()
                if not (notice_refusal and isinstance(page, PrivacyNoticePage)):
                    revision.publish()
        _centre_settings_fill(site=site, pages=pages, centre=demo_centre_read())
        # Menus and footers cached while this transaction ran must not outlive it.
        transaction.on_commit(site_generation_bump)

    _say(
        stdout,
        f"Created {len(pages) // (1 + len(TRANSLATIONS))} pages in French, "
        f"each with its English translation, and filled in the centre's settings.",
    )
    if notice_refusal:
        _say(stdout, f"The privacy notice is kept as a draft. {notice_refusal}")
    return True


def demo_page_read(path: Path) -> tuple[dict[str, Any], list[tuple]]:
    """One page file: its front matter and its body as short tuples, ``("h2", text)``,
    ``("p", html)``, ``("callout", kind, title, html)``, ``("question", question, html)``
    and ``("button", page_key, label)``."""
    before, front, body = path.read_text(encoding="utf-8").split("+++\n", 2)
    if before.strip():
        raise ValueError(f"{path.name}: the file must start with its front matter (+++).")
    return tomllib.loads(front), _body_parse(body, source=path.name)


def _body_parse(text: str, *, source: str) -> list[tuple]:
    items: list[tuple] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        if not chunk.strip():
            continue
        first, *rest = (line.strip() for line in chunk.strip().splitlines())
        if (heading := re.fullmatch(r"(##|###) (.+)", first)) and not rest:
            items.append((f"h{len(heading[1])}", heading[2]))
        elif callout := re.fullmatch(r"> \[!(info|important)\] (.+)", first):
            html = " ".join(line.removeprefix(">").strip() for line in rest)
            items.append(("callout", callout[1], callout[2], html))
        elif first.startswith("? ") and rest:
            items.append(("question", first[2:].strip(), " ".join(rest)))
        elif (button := re.fullmatch(r"\[(.+)\]\(page:(\w+)\)", first)) and not rest:
            items.append(("button", button[2], button[1]))
        elif first.startswith("<"):
            items.append(("p", " ".join([first, *rest])))
        else:
            raise ValueError(f"{source}: a body block the loader does not know: {first!r}")
    return items


def demo_site_read(folder: Path = DEMO_PAGES) -> dict:
    """The demo's page tree from its files: each node has its ``key``, ``type``, ``shared``
    fields, ``links``, each language's fields (``body`` included) and its ``children``."""
    nodes: dict[str, dict] = {}
    places: dict[str, tuple[str | None, int]] = {}
    for path in sorted(folder.glob(f"*.{SOURCE_LANGUAGE}.md")):
        key = path.name.removesuffix(f".{SOURCE_LANGUAGE}.md")
        fields, body = demo_page_read(path)
        node = {
            "key": key,
            "type": fields.pop("type"),
            "shared": fields.pop("shared", {}),
            "links": fields.pop("links", {}),
            "children": [],
        }
        places[key] = (fields.pop("parent", None), fields.pop("position", 0))
        node[SOURCE_LANGUAGE] = {**fields, **({"body": body} if body else {})}
        for language in TRANSLATIONS:
            translated, translated_body = demo_page_read(folder / f"{key}.{language}.md")
            if misplaced := STRUCTURE_KEYS & translated.keys():
                raise ValueError(
                    f"{key}.{language}.md: {sorted(misplaced)} belong in the "
                    f"{SOURCE_LANGUAGE} file."
                )
            node[language] = {
                **translated,
                **({"body": translated_body} if translated_body else {}),
            }
        nodes[key] = node
    roots = [key for key, (parent, _) in places.items() if parent is None]
    if len(roots) != 1:
        raise ValueError(f"The demo needs exactly one page without a parent, not {roots}.")
    for key in sorted(places, key=lambda key: places[key][1]):
        parent = places[key][0]
        if parent is not None:
            nodes[parent]["children"].append(nodes[key])
    return nodes[roots[0]]


def demo_centre_read(folder: Path = DEMO_PAGES) -> dict[str, Any]:
    """``centre`` (CentreSettings fields), ``opening_hours`` and ``footer_pages`` (keys)."""
    return tomllib.loads((folder / "centre.toml").read_text(encoding="utf-8"))


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _nodes(node: dict) -> list[dict]:
    """The node and its descendants, parents before children."""
    return [node, *(n for child in node.get("children", ()) for n in _nodes(child))]


def _french_create(*, node: dict, parent: Page, locale: Locale, pages: Pages) -> None:
    model = PAGE_TYPES_BY_NAME[node["type"]]
    fields = _plain_fields(node=node, language=SOURCE_LANGUAGE)
    page = parent.add_child(instance=model(locale=locale, live=False, **fields))
    pages[node["key"], SOURCE_LANGUAGE] = page
    for child in node.get("children", ()):
        _french_create(node=child, parent=page, locale=locale, pages=pages)


def page_translation_create(*, source: Page, locale: Locale, fields: dict[str, Any]) -> Page:
    """What ``source.copy_for_translation(locale)`` does, with the translation's own slug.

    Same translation_key, so Wagtail and the language switcher see one page in two
    languages. Giving the slug at copy time rather than renaming the copy afterwards
    keeps Wagtail from creating redirects from draft paths that were never public.
    """
    parent = source.get_parent()
    translated_parent = parent if parent.is_root() else parent.get_translation(locale)
    translation = source.copy(
        to=translated_parent,
        update_attrs={"locale": locale, **fields},
        copy_revisions=False,
        keep_live=False,
        reset_translation_key=False,
        log_action="wagtail.copy_for_translation",
    )
    copy_for_translation_done.send(
        sender=CopyPageForTranslationAction, source_obj=source, target_obj=translation
    )
    return translation


def _plain_fields(*, node: dict, language: str) -> dict[str, Any]:
    texts = {
        name: _text(value, language=language)
        for name, value in node[language].items()
        if name not in DEFERRED_FIELDS
    }
    return {**node.get("shared", {}), **texts}


def _fields_set(*, page: Page, node: dict, language: str, pages: Pages) -> None:
    for name, value in _plain_fields(node=node, language=language).items():
        setattr(page, name, value)
    for name, key in node.get("links", {}).items():
        setattr(page, name, pages[key, language])
    if "body" in node[language]:
        page.body = _stream(node[language]["body"], language=language, pages=pages)


def _stream(items: list[tuple], *, language: str, pages: Pages) -> list[dict]:
    """The content's short tuples as StreamField blocks of ``blocks.BodyBlock``."""
    blocks = []
    for item in items:
        match item:
            case ("h2" | "h3") as level, text:
                block = ("heading", {"text": _text(text, language=language), "level": level})
            case "p", html:
                block = ("paragraph", _text(html, language=language))
            case "callout", kind, title, html:
                block = (
                    "callout",
                    {
                        "kind": kind,
                        "title": _text(title, language=language),
                        "text": _text(html, language=language),
                    },
                )
            case "question", question, html:
                block = (
                    "question",
                    {
                        "question": _text(question, language=language),
                        "answer": _text(html, language=language),
                    },
                )
            case "button", key, label:
                block = (
                    "button",
                    {"page": pages[key, language].pk, "label": _text(label, language=language)},
                )
            case _:
                raise ValueError(f"Unknown demo content block: {item!r}")
        blocks.append({"type": block[0], "value": block[1]})
    return blocks


def _text(value: Any, *, language: str) -> Any:
    if not isinstance(value, str):
        return value
    value = value.replace("{privacy_officer_email}", settings.PRIVACY_OFFICER_EMAIL)
    if language == "fr":
        # French typography: a non-breaking space keeps ":" and "%" with their word.
        value = value.replace(" :", "\u00a0:").replace(" %", "\u00a0%")
    return value


def _default_site_point(*, home: HomePage, stdout: TextIO | None) -> Site:
    """Serve ``home`` on the default site, replacing Wagtail's welcome page.

    The site answers at the public address (``SITE_URL``), so the page links Wagtail
    builds agree with those in e-mails."""
    site = default_site_align() or Site(is_default_site=True)
    if site.pk is None:
        site.hostname, site.port = site_record_address(settings.SITE_URL)
    previous = Page.objects.filter(pk=site.root_page_id).first() if site.pk else None
    site.root_page = home
    site.save()
    # Only Wagtail's bare placeholder page goes: never a real page, never one with children.
    if previous is not None and previous.specific_class is Page and previous.numchild == 0:
        _say(stdout, f"Deleted Wagtail's default page {previous.title!r}.")
        previous.delete()
    return site


def _centre_settings_fill(*, site: Site, pages: Pages, centre: dict[str, Any]) -> None:
    """Fill in what is blank in the centre's settings; keep anything already set."""
    settings_ = CentreSettings.for_site(site)
    for name, value in centre["centre"].items():
        if not getattr(settings_, name):
            setattr(settings_, name, value)
    settings_.save()
    if not settings_.opening_hours.exists():
        for i, hours in enumerate(centre["opening_hours"]):
            OpeningHours.objects.create(settings=settings_, sort_order=i, **hours)
    if not settings_.footer_links.exists():
        for i, key in enumerate(centre["footer_pages"]):
            FooterLink.objects.create(
                settings=settings_, page=pages[key, SOURCE_LANGUAGE], sort_order=i
            )
