"""What the hand-written part of the privacy notice may say (policy P3, P10).

The notice's sections generated from the live system (csce/privacy/notice.py) state what
is collected, kept, shared, and how to reach the Privacy Officer; they follow the editors'
text and apply where the two differ. So that the editors' text cannot contradict them:

- it holds no e-mail address: the Privacy Officer's address is shown by the generated part,
  from PRIVACY_OFFICER_EMAIL, and cannot be left stale or copied wrong in prose;
- it promises no feature the system does not have (a newsletter, a security audit, breach
  notices): each such promise is listed here with what would make it true;
- the notice is not published while PRIVACY_OFFICER_EMAIL is still the placeholder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from .registry import personal_data_registry

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
TAG = re.compile(r"<[^>]+>")


def _registered(key: str) -> Callable[[], bool]:
    return lambda: any(source.key == key for source in personal_data_registry)


def _never() -> bool:
    return False


@dataclass(frozen=True)
class NoticePromise:
    """A promise the notice may make only when ``kept()`` says the system keeps it."""

    name: Promise
    patterns: tuple[str, ...]
    kept: Callable[[], bool]


# Words in both languages; matched without case, on the text without its HTML.
PROMISES = (
    NoticePromise(
        gettext_lazy("a newsletter"),
        (r"\bnewsletters?\b", r"\binfolettres?\b", r"\bbulletins? électroniques?\b"),
        # True once an app declares the subscribers it keeps in the registry.
        _registered("newsletter"),
    ),
    NoticePromise(
        gettext_lazy("a security audit"),
        (r"\baudits?\b", r"\bvérifications? annuelles?\b"),
        _never,
    ),
    NoticePromise(
        gettext_lazy("notices of privacy breaches"),
        (
            r"\bbreach(es)?\b",
            r"\batteintes? à la (vie privée|confidentialité|sécurité)",
            r"\bviolations? de (données|la vie privée|confidentialité)",
        ),
        _never,
    ),
)


def privacy_officer_email_is_placeholder() -> bool:
    """The address is still the one the code ships with, or one no one can write to."""
    address = (settings.PRIVACY_OFFICER_EMAIL or "").strip().lower()
    return (
        not address
        or address == settings.PRIVACY_OFFICER_EMAIL_PLACEHOLDER
        or address.endswith("@localhost")
    )


def privacy_notice_publish_refusal() -> str:
    """Why the notice cannot be published now, in the active language; empty when it can."""
    if not privacy_officer_email_is_placeholder():
        return ""
    return gettext(
        "The privacy notice cannot be published while the Privacy Officer's address is the "
        "placeholder %(address)s: set PRIVACY_OFFICER_EMAIL to the real address, restart, "
        "then publish again."
    ) % {"address": settings.PRIVACY_OFFICER_EMAIL or "—"}


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def privacy_notice_body_problems(*, raw_blocks: object) -> list[str]:
    """What the hand-written body says that it may not, in the active language.

    ``raw_blocks``: the StreamField's raw data (``body.get_prep_value()``); links' targets
    count as text, so that a ``mailto:`` link is found too.
    """
    raw = " ".join(_strings(raw_blocks))
    text = html.unescape(TAG.sub(" ", raw))
    problems = []
    addresses = sorted(set(EMAIL.findall(html.unescape(raw))))
    if addresses or "mailto:" in raw:
        problems.append(
            gettext(
                "Remove the e-mail address (%(addresses)s) from the text: the notice shows the "
                "Privacy Officer's address itself, from the settings, after your text."
            )
            % {"addresses": ", ".join(addresses) or "mailto:"}
        )
    for promise in PROMISES:
        found = [m.group(0) for p in promise.patterns for m in re.finditer(p, text, re.I)]
        if found and not promise.kept():
            problems.append(
                gettext(
                    'The text promises %(feature)s ("%(words)s"), which the '
                    "system does not have: remove it, so that the notice says only what "
                    "the system does."
                )
                % {"feature": promise.name, "words": found[0]}
            )
    return problems
