"""Suite-wide rules: a test that prints fails (STYLE.md rule 10)."""

import pytest


@pytest.fixture(autouse=True)
def _no_printing(capsys):
    yield
    captured = capsys.readouterr()
    if captured.out:
        pytest.fail(f"A test printed to standard output:\n{captured.out[:500]}")
