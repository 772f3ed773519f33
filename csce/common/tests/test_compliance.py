"""The compliance registries (policy R, M): order, and failing closed when an app's
indicator or check raises."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import translation

from csce.common.compliance import (
    AMBER,
    FAIL,
    GREEN,
    PASS,
    RED,
    AuditCheck,
    AuditCheckRegistry,
    CheckResult,
    Indicator,
    IndicatorRegistry,
    Reading,
    checks_run,
    indicators_read,
)

NOW = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def fixed(reading: Reading):
    return lambda *, now: reading


def broken(*, now):
    raise RuntimeError("secret-value@example.org")


def test_indicators_read_in_order_with_the_moment_given():
    registry = IndicatorRegistry()
    seen = []

    def second(*, now):
        seen.append(now)
        return Reading(AMBER, "two")

    registry.register(Indicator("b", "B", ("M",), second, order=20))
    registry.register(Indicator("a", "A", ("R",), fixed(Reading(GREEN, "one")), order=10))
    results = indicators_read(now=NOW, registry=registry)
    assert [(i.key, r.level) for i, r in results] == [("a", GREEN), ("b", AMBER)]
    assert seen == [NOW]


def test_an_indicator_that_raises_reads_red_and_the_log_holds_no_value(caplog):
    registry = IndicatorRegistry()
    registry.register(Indicator("broken", "Broken", ("R",), broken))
    registry.register(Indicator("fine", "Fine", ("R",), fixed(Reading(GREEN, "ok")), order=200))
    with caplog.at_level(logging.ERROR), translation.override("fr"):
        results = indicators_read(now=NOW, registry=registry)
    assert [r.level for _, r in results] == [RED, GREEN]
    assert "ne tenant pas" in str(results[0][1].summary)
    assert "broken" in caplog.text
    assert "example.org" not in caplog.text


def test_a_check_that_raises_has_failed():
    registry = AuditCheckRegistry()
    registry.register(AuditCheck("ok", "OK", ("M",), lambda *, now: CheckResult(PASS, "fine")))
    registry.register(AuditCheck("boom", "Boom", ("M",), broken, order=1))
    results = checks_run(now=NOW, registry=registry)
    assert [(c.key, r.status) for c, r in results] == [("boom", FAIL), ("ok", PASS)]
    assert "RuntimeError" in str(results[0][1].detail)
    assert "example.org" not in str(results[0][1].detail)


def test_a_key_registered_twice_with_another_meaning_is_refused():
    registry = IndicatorRegistry()
    registry.register(Indicator("a", "A", ("R",), fixed(Reading(GREEN, "one"))))
    with pytest.raises(ValueError, match="registered"):
        registry.register(Indicator("a", "Other", ("R",), fixed(Reading(RED, "two"))))


def test_unknown_levels_and_statuses_are_refused():
    with pytest.raises(ValueError, match="Unknown level"):
        Reading("blue", "?")
    with pytest.raises(ValueError, match="Unknown status"):
        CheckResult("ok", "?")
