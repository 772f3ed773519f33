"""The cookies of staff signed in to the admin, for the privacy notice (csce/common/cookies.py).

Visitors of the public site get none: forms use a signed token instead of a CSRF cookie
(decisions/0010), and no view sets the language cookie (the language is in the URL).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.translation import gettext_lazy as _

from csce.common.cookies import STAFF, CookieDeclaration, cookie_lifetime, cookie_registry

from .lockout import TRUSTED_DEVICE_COOKIE, TRUSTED_DEVICE_MAX_AGE


def staff_cookies_declare() -> None:
    # Names and lifetimes come from the settings, so the notice says what is configured.
    session_age = None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE
    declarations = [
        CookieDeclaration(
            name=settings.SESSION_COOKIE_NAME,
            purpose=_("Keeps a staff member signed in to the administration."),
            lifetime=cookie_lifetime(session_age),
            audience=STAFF,
            declared_by="accounts",
        ),
        CookieDeclaration(
            name=settings.CSRF_COOKIE_NAME,
            purpose=_("Protects the administration's forms against forged requests."),
            lifetime=cookie_lifetime(settings.CSRF_COOKIE_AGE),
            audience=STAFF,
            declared_by="accounts",
        ),
        # Django's messages ("Page published") wait in a cookie until the next page.
        CookieDeclaration(
            name=CookieStorage.cookie_name,
            purpose=_("Carries a confirmation message to the next page of the administration."),
            lifetime=cookie_lifetime(None),
            audience=STAFF,
            declared_by="accounts",
        ),
        # Set by Wagtail's admin script when a staff member folds the menu.
        CookieDeclaration(
            name="wagtail_sidebar_collapsed",
            purpose=_("Remembers whether the administration's menu is folded."),
            lifetime=cookie_lifetime(None),
            audience=STAFF,
            declared_by="accounts",
        ),
        # Set when a sign-in is completed: guessing from elsewhere cannot lock it out.
        CookieDeclaration(
            name=TRUSTED_DEVICE_COOKIE,
            purpose=_(
                "Remembers that this browser completed a sign-in, so that someone guessing "
                "the password elsewhere cannot lock the staff member out."
            ),
            lifetime=cookie_lifetime(TRUSTED_DEVICE_MAX_AGE.total_seconds()),
            audience=STAFF,
            declared_by="accounts",
        ),
    ]
    for declaration in declarations:
        cookie_registry.register(declaration)
