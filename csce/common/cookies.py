"""The cookies the site can set, declared by the apps that cause them (policy P3:
the notice lists them all).

Policy P3 and F: the privacy notice lists the cookies the site really sets, each with its
purpose and lifetime; it reads them here, so no app's cookie goes unmentioned. A test
compares the visitors' list with the cookies a browser gets (csce/privacy/tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

VISITORS = "visitors"
STAFF = "staff"  # staff signed in to the admin
AUDIENCES = (VISITORS, STAFF)


@dataclass(frozen=True)
class CookieDeclaration:
    name: str
    purpose: str | Promise
    lifetime: str | Promise
    audience: str
    declared_by: str = ""
    # A cookie set only after a visitor's own action on something that may not exist (a
    # page protected by a password): listed while ``when()`` is true, so the notice says
    # neither more nor less than the site does (policy P3).
    when: Callable[[], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"Cookie {self.name!r}: audience must be one of {AUDIENCES}.")


class CookieRegistry:
    def __init__(self) -> None:
        # One declaration per name and audience: the session cookie keeps staff signed in,
        # and, for a visitor, remembers a page they opened with its password.
        self._cookies: dict[tuple[str, str], CookieDeclaration] = {}

    def register(self, cookie: CookieDeclaration) -> CookieDeclaration:
        key = (cookie.name, cookie.audience)
        if key in self._cookies and self._cookies[key] != cookie:
            raise ValueError(f"A cookie named {cookie.name!r} is declared.")
        self._cookies[key] = cookie
        return cookie

    def unregister(self, name: str) -> None:
        for key in [key for key in self._cookies if key[0] == name]:
            del self._cookies[key]

    def for_audience(self, audience: str) -> list[CookieDeclaration]:
        return [c for c in self if c.audience == audience and (c.when is None or c.when())]

    def __iter__(self) -> Iterator[CookieDeclaration]:
        return iter(sorted(self._cookies.values(), key=lambda c: (c.name, c.audience)))

    def __len__(self) -> int:
        return len(self._cookies)


cookie_registry = CookieRegistry()


def _lifetime(seconds: int | None) -> str:
    if seconds is None:
        return str(_("until the browser is closed"))
    days, rest = divmod(int(seconds), 86400)
    if days >= 360:  # Django's CSRF cookie lives 52 weeks: "1 year" to a reader
        years = round(days / 365)
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if days and not rest:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = round(seconds / 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


# Translated when shown, in the reader's language.
cookie_lifetime = lazy(_lifetime, str)
