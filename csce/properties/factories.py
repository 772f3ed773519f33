"""Online properties for tests, made as the admin makes them."""

from __future__ import annotations

import itertools

from django.utils import timezone

from .models import OnlineProperty, PropertyKind
from .services import property_administrators_set, property_schedule_first_review

_numbers = itertools.count(1)


def online_property_create(
    *, kind: str = PropertyKind.FACEBOOK, administrators=(), actor=None, **fields
) -> OnlineProperty:
    n = next(_numbers)
    fields.setdefault("name", f"Compte {n}")
    fields.setdefault("url", f"https://www.{kind}.example/csce-{n}")
    fields.setdefault("mfa_enabled", True)
    fields.setdefault("mfa_confirmed_on", timezone.localdate())
    prop = OnlineProperty(kind=kind, **fields)
    property_schedule_first_review(online_property=prop)
    prop.save()
    if administrators:
        property_administrators_set(online_property=prop, users=administrators, actor=actor)
    return prop
