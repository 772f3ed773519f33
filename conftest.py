"""Suite-wide rules: a test that prints fails (output belongs in assertions, not the
log); how pytest-xdist shares the tests among its workers."""

import pytest


@pytest.fixture(autouse=True)
def _no_printing(capsys):
    yield
    captured = capsys.readouterr()
    if captured.out:
        pytest.fail(f"A test printed to standard output:\n{captured.out[:500]}")


# The browser tests in groups, each run by one worker with its own server: the tests of
# staff screens share their signed-in contexts (tests/e2e/conftest.py staff_context), so
# they stay together in their group; the public site's, the sign-in's and the forms' go in
# another.
# A browser test mostly waits (for the server, the task worker, the mail), so two groups
# at once take little more than one.
BROWSER_GROUPS = {
    "browser-staff": (
        "test_admin_csp.py",
        "test_privacy_requests.py",
        "test_analytics_dashboard.py",
        "test_front_desk.py",
        "test_privacy_intake.py",
        "test_newsletter_admin.py",
        "test_engagement.py",
        "test_moderation_admin.py",
    ),
    # The governance screens (media rights, security audit, post drafts, content review,
    # the compliance view, policy approval and the property registry): a third group with
    # its own server, so that no one group holds the suite's wall time.
    "browser-governance": (
        "test_media_rights.py",
        "test_security_audit.py",
        "test_social_post.py",
        "test_content_review.py",
        "test_compliance.py",
        "test_governance_admin.py",
    ),
}


# The demo's smoke test loads the whole demo once for its module: on one worker, once.
DEMO_SMOKE_TEST = "csce/pages/tests/test_demo.py"


def browser_group(nodeid: str) -> str | None:
    """The browser test group of a test, or None for a test that is not a browser test."""
    if not nodeid.startswith("tests/e2e/"):
        return None
    filename = nodeid.removeprefix("tests/e2e/").split("::", 1)[0]
    for group, files in BROWSER_GROUPS.items():
        if filename in files:
            return group
    return "browser-public"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (make test): each browser group is run by one worker, which
    starts one server for it, and the demo's smoke test by one worker, which loads the demo
    once; every other test goes to whichever worker is free. The
    largest groups are handed out first, so the browser tests start at once. (pytest-xdist's
    own ``xdist_group`` marker renames node ids, which pytest 9.2 no longer allows, so the
    groups are made here from the path.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserGroupsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(DEMO_SMOKE_TEST + "::"):
                return DEMO_SMOKE_TEST
            return browser_group(nodeid) or nodeid

    return BrowserGroupsTogether(config, log)
