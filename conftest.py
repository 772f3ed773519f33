"""Suite-wide rules: a test that prints fails (output belongs in assertions, not the
log); how pytest-xdist shares the tests among its workers."""

import pytest


@pytest.fixture(autouse=True)
def _no_printing(capsys):
    yield
    captured = capsys.readouterr()
    if captured.out:
        pytest.fail(f"A test printed to standard output:\n{captured.out[:500]}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (make test): the browser tests (tests/e2e) form one group, run
    by one worker, which starts one server for them; every other test goes to whichever
    worker is free. The largest group is handed out first, so the browser tests start at
    once. (pytest-xdist's own ``xdist_group`` marker renames node ids, which pytest 9.2
    no longer allows, so the group is made here from the path.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserTestsTogether(config, log)
