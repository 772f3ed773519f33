"""The demo's online properties (policy P1, O): the centre's website and three social
media accounts, with fictional handles, shown in the footer. Owned by the AED when the
installation has one; MFA on and confirmed, reviews scheduled a quarter ahead."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from .models import OnlineProperty, PropertyKind
from .services import property_default_owner, property_next_review

PROPERTIES = (
    (PropertyKind.WEBSITE, "Site web du Centre", "https://csce.example.org/", "", 0),
    (
        PropertyKind.FACEBOOK,
        "Facebook du Centre",
        "https://www.facebook.com/csce.exemple",
        "csce.exemple",
        10,
    ),
    (
        PropertyKind.INSTAGRAM,
        "Instagram du Centre",
        "https://www.instagram.com/csce_exemple/",
        "@csce_exemple",
        20,
    ),
    (
        PropertyKind.YOUTUBE,
        "Chaîne YouTube du Centre",
        "https://www.youtube.com/@csce-exemple",
        "@csce-exemple",
        30,
    ),
)


def properties_demo_load(*, stdout: TextIO | None = None) -> bool:
    """Create the demo properties; nothing when the registry holds any."""
    today = timezone.localdate()
    with transaction.atomic():
        if OnlineProperty.objects.exists():
            return False
        owner = property_default_owner()
        for kind, name, url, handle, order in PROPERTIES:
            OnlineProperty.objects.create(
                kind=kind,
                name=name,
                url=url,
                handle=handle,
                owner=owner,
                mfa_enabled=True,
                mfa_confirmed_on=today,
                last_review_on=today,
                next_review_due=property_next_review(reviewed_on=today),
                shown_in_footer=kind != PropertyKind.WEBSITE,
                sort_order=order,
            )
    if stdout is not None:
        stdout.write(f"Created {len(PROPERTIES)} demo online properties.\n")
    return True
