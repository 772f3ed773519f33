"""Small HTTP helpers that several apps need (common stays small)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_cache_control


def no_store(response: HttpResponse) -> HttpResponse:
    """Mark a response that shows personal data or a one-time token: no browser or
    shared cache keeps it (policy F, M)."""
    patch_cache_control(response, private=True, no_store=True)
    return response
