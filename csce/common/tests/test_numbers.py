"""Whole numbers from an address: digits in range, or nothing (policy M)."""

import pytest

from csce.common.numbers import INTEGER_MAX, number_from_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(INTEGER_MAX), INTEGER_MAX),
        (str(INTEGER_MAX + 1), None),
        (str(10**30), None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("", None),
        ("abc", None),
        ("²", None),
        ("１２", None),
        (" 12", None),
        ("1e3", None),
        (None, None),
        (12, None),
    ],
)
def test_only_ascii_digits_within_the_range_are_a_number(raw, expected):
    assert number_from_url(raw) == expected


def test_the_range_is_the_callers():
    assert number_from_url("0", minimum=0) == 0
    assert number_from_url("11", maximum=10) is None
