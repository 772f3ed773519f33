"""Facts about staff members that several apps need (only those: common stays small)."""

from __future__ import annotations

from django.conf import settings
from wagtail.users.models import UserProfile


def staff_display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def staff_language(user) -> str:
    """The language of the staff member's admin (French unless they chose English)."""
    language = UserProfile.get_for_user(user).get_preferred_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
