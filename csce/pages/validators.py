"""Validators that keep the centre's settings inside WCAG 2.1 AA."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
TOO_LIGHT = _(
    "This colour is too light: its contrast with white is %(ratio).1f:1, WCAG AA needs 4.5:1."
)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour written as #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_accessible_colour(value: str) -> None:
    """The colour is used for text on white and behind white text: both need 4.5:1."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as # followed by six hexadecimal digits."))
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            TOO_LIGHT,
            params={"ratio": ratio},
        )
