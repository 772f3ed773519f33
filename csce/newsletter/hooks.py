"""What the newsletter does for other apps, registered from ``apps.py`` (policy P7).

A form's optional purpose "newsletter" ("Subscribe me to the newsletter too") becomes a
subscription request like the public form's: pending, with its consent record (method
FORM_OPTION), and a confirmation e-mail; nothing is sent before the person confirms
(CASL s.10, double opt-in).
"""

from __future__ import annotations

from .models import ConsentMethod

PURPOSE_KEY = "newsletter"


def newsletter_form_option_request(
    *, email: str, first_name: str, language: str, ip: str, page_url: str
) -> None:
    """The handler of the optional purpose "newsletter" (``common/purposes.py``): every
    topic (none chosen), confirmed through the e-mailed link."""
    from .services import subscription_request

    subscription_request(
        email=email,
        first_name=first_name,
        language=language,
        topics=(),
        method=ConsentMethod.FORM_OPTION,
        ip=ip,
        page_url=page_url,
    )
