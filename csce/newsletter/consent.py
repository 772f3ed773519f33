"""The words a subscriber agrees to, versioned (CASL s.10(1): the purpose, who asks and
how to withdraw, stated when consent is sought; policy P7: a separate, unticked opt-in).

A change of wording is a new version: the consent records keep the version and the exact
text each person saw, so the centre can show what every subscriber agreed to.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

# Bump when the sentence below changes (and keep the French in step).
CONSENT_WORDING_VERSION = "2026-12-1"


def consent_wording(*, centre_name: str, centre_email: str, language: str) -> str:
    """The consent box's label, in ``language``, naming the centre and its address."""
    with translation.override(language):
        return gettext(
            "Yes, I want to receive the newsletter of %(centre)s by e-mail: news of the "
            "centre and of its programs and activities, on the topics I chose. I can "
            "unsubscribe at any time with the link in every message, or by writing to "
            "%(email)s."
        ) % {"centre": centre_name, "email": centre_email}
