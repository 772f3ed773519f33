"""Password rules for staff accounts (policy M, ASVS level 2; decision 0016).

zxcvbn estimates how many guesses a password would take, knowing breach lists, names,
keyboard walks, dates, repeats and leet-speak. It is given the shipped list of common and
breached passwords (French ones included) as one more dictionary, and, per check, the
centre's names and the user's own, so none of them makes a password strong.
"""

from __future__ import annotations

import functools
import gzip
import re
import threading
import unicodedata
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_zxcvbn_password_validator import ZxcvbnPasswordValidator
from wagtail.models import Site
from zxcvbn import matching

from csce.pages.models import CentreSettings

COMMON_PASSWORDS_PATH = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
COMMON_DICTIONARY = "csce_common_passwords"
# ASVS 2.1.2: at least 64 characters allowed, more than 128 refused.
PASSWORD_MAX_LENGTH = 128
# zxcvbn's own bound on what it reads (its cost grows with the length): a longer password
# is judged on its first 72 characters, which must then be strong on their own.
ZXCVBN_MAX_LENGTH = 72
_WORD = re.compile(r"[^\W_]{3,}")
# zxcvbn keeps the user inputs of a check in a module-wide dictionary: one check at a
# time per process, so no thread judges a password against another user's names.
_ZXCVBN_LOCK = threading.Lock()


@functools.cache
def common_passwords() -> list[str]:
    """The shipped list, most frequent first, read once per process."""
    with gzip.open(COMMON_PASSWORDS_PATH, "rt", encoding="utf-8") as file:
        return [line for line in file.read().splitlines() if line]


@functools.cache
def zxcvbn_common_dictionary_load() -> None:
    """Give zxcvbn the shipped list as one more ranked dictionary (once per process)."""
    matching.add_frequency_lists({COMMON_DICTIONARY: common_passwords()})


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def password_context_words(*, texts: list[str]) -> list[str]:
    """Each text whole and word by word, lowercase, with and without accents."""
    words: list[str] = []
    for text in texts:
        for variant in {text.lower(), _unaccented(text).lower()}:
            if not variant.strip():
                continue
            words.append(variant)
            words.append(re.sub(r"\W+", "", variant))
            words.extend(_WORD.findall(variant))
    return list(dict.fromkeys(w for w in words if w))


def centre_names() -> list[str]:
    """The centre's names as the site shows them, and the site name of the settings."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    centre = CentreSettings.for_site(site) if site is not None else CentreSettings()
    names = [centre.name, centre.name_en, centre.short_name, centre.city]
    names.append(settings.WAGTAIL_SITE_NAME)
    if site is not None:
        names.extend([site.site_name, site.hostname])
    return [name for name in names if name]


def user_names(user) -> list[str]:
    """What a user's own account says about them: names, username, e-mail."""
    if user is None:
        return []
    email = getattr(user, "email", "") or ""
    texts = [
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        user.get_username() if hasattr(user, "get_username") else "",
        email,
        email.partition("@")[0],
    ]
    return [text for text in texts if text]


class StrongPasswordValidator(ZxcvbnPasswordValidator):
    """zxcvbn's verdict, with the shipped list and the centre's and user's names."""

    def _get_user_inputs(self, user):
        return password_context_words(texts=centre_names() + user_names(user))

    def _run_zxcvbn(self, password, user=None):
        zxcvbn_common_dictionary_load()
        with _ZXCVBN_LOCK:
            try:
                return super()._run_zxcvbn(password[:ZXCVBN_MAX_LENGTH], user)
            finally:
                matching.RANKED_DICTIONARIES.pop("user_inputs", None)


class CommonListPasswordValidator(CommonPasswordValidator):
    """Django's check of the whole password against a list, with the shipped list."""

    def __init__(self):
        self.passwords = set(common_passwords())


class MaximumLengthValidator:
    """ASVS 2.1.2: long passphrases are welcome, up to a bound that keeps hashing cheap."""

    def __init__(self, max_length: int = PASSWORD_MAX_LENGTH):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                )
                % {"max_length": self.max_length},
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("Long passphrases are welcome, up to %(max_length)d characters.") % {
            "max_length": self.max_length
        }
