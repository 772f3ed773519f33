"""The one cookie a visitor of the public site can get, for the privacy notice.

A page protected by a password (Wagtail's view restriction) remembers, in the session,
that the visitor typed its password; the session cookie is then strictly necessary and
is set only by that action. It is listed only while such a page exists (policy P3).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from csce.common.cookies import VISITORS, CookieDeclaration, cookie_lifetime, cookie_registry


def password_pages_exist() -> bool:
    return PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.PASSWORD
    ).exists()


def visitor_cookies_declare() -> None:
    session_age = None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE
    cookie_registry.register(
        CookieDeclaration(
            name=settings.SESSION_COOKIE_NAME,
            purpose=_(
                "Set only when you open a page protected by a password: remembers that you "
                "typed it, so that the page stays open during your visit."
            ),
            lifetime=cookie_lifetime(session_age),
            audience=VISITORS,
            declared_by="pages",
            when=password_pages_exist,
        )
    )
