"""Whole numbers read from an address (a query parameter, a path segment), range-checked.

``int()`` alone takes ``"１２"``, ``" 12"`` and a thousand digits, and ``str.isdigit()``
says yes to ``"²"``, which ``int()`` then refuses: a visitor's typo or a probe must get
a 404, never a server error or a query with a number no column can hold (policy M).
"""

from __future__ import annotations

# The largest value of the smallest integer column a number from an address is compared
# with (an ``IntegerField`` or ``AutoField``; PostgreSQL's ``integer``).
INTEGER_MAX = 2_147_483_647
_MAX_DIGITS = len(str(INTEGER_MAX))


def number_from_url(raw: object, *, minimum: int = 1, maximum: int = INTEGER_MAX) -> int | None:
    """``raw`` as an int when it is ASCII digits within [minimum, maximum], else None."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw.lstrip("0")) > _MAX_DIGITS:
        return None
    number = int(raw)
    return number if minimum <= number <= maximum else None
