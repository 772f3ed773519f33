"""Fixtures shared by the apps' tests.

Tests build the few pages they need with ``csce.pages.factories`` (``site_home``,
``page_add``, ``page_of_type``...) and staff with ``csce.accounts.factories.staff_user``.
The whole bilingual demo site is the smoke test's alone (``csce/pages/tests/test_demo.py``
loads it once for its module); the test database holds only what the migrations made.
Tests that must start from a fresh install use ``empty_site``.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from csce.common.testing import postgres_admin_url


def _run_order(item) -> int:
    marker = item.get_closest_marker("django_db")
    if not (marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))):
        return 0
    return 1 if {"demo_loaded", "site_home"} & set(item.fixturenames) else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """pytest-django runs transactional tests last, and each one empties the database when
    it ends (the locales, root page and groups the migrations made go with it, which
    ``site_home`` and the demo build on). So the transactional tests that build pages run
    before those that need none, and each of them first reloads what the migrations made
    (serialized rollback: a second one on the same worker would otherwise find an empty
    database, as would one whose test skips itself after its set-up); the sort keeps every
    other order."""
    items.sort(key=_run_order)
    for item in items:
        if _run_order(item) == 1:
            marker = item.get_closest_marker("django_db")
            kwargs = {**marker.kwargs, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "policy_enforced: staff must acknowledge the current policy version (accounts app)",
    )


@pytest.fixture(autouse=True)
def _policy_acknowledgement_waived(request, monkeypatch):
    """The migrations put policy version 1 in force, and every admin view then waits for
    its acknowledgement (policy S). Tests about something else sign in as if it were done;
    the accounts app's tests, marked ``policy_enforced``, keep the real rule."""
    if request.node.get_closest_marker("policy_enforced"):
        return
    monkeypatch.setattr("csce.accounts.selectors.policy_version_current", lambda **kwargs: None)


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test runner swaps EMAIL_BACKEND for its in-memory one; the site's own is
    the outbox, whose delivery backend (locmem in the test settings) fills mail.outbox."""
    settings.EMAIL_BACKEND = "csce.outbox.backends.OutboxBackend"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (French). A request through the test
    client leaves its language active in the thread (Django's LocaleMiddleware does not
    reset it), and a later test's data (a workflow's name, a date written out) would
    otherwise be made in English."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a new deployment would."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_home(db):
    """A fresh default site serving a French home page and its English translation."""
    from csce.pages.factories import site_home

    return site_home()


@pytest.fixture
def staff_user_make(db):
    """``csce.accounts.factories.staff_user`` as a fixture, without a second factor yet:
    ``staff_login`` (or the test) adds it when signing in."""
    from csce.accounts.factories import staff_user

    def make(*, role: str | None = None, superuser: bool = False, **fields):
        return staff_user(role=role, superuser=superuser, verified=False, **fields)

    return make


@pytest.fixture
def staff_login(client, staff_user_make):
    """Make a staff member and sign them in with a second factor (policy M)."""
    from csce.accounts.factories import staff_sign_in

    def login(*, role: str | None = None, superuser: bool = False, **fields):
        user = staff_user_make(role=role, superuser=superuser, **fields)
        staff_sign_in(client, user)
        return user

    return login


@pytest.fixture
def empty_site(db):
    """The database as a fresh install leaves it: Wagtail's welcome page, no content."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, Site

    from csce.pages.models import CentreSettings

    CentreSettings.objects.all().delete()
    Redirect.objects.all().delete()
    Page.objects.filter(depth=2).delete()
    root = Page.objects.get(depth=1)
    welcome = root.add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home", live=True)
    )
    Site.objects.all().delete()
    return Site.objects.create(
        hostname="localhost", port=80, root_page=welcome, is_default_site=True
    )


def _worker() -> str:
    """``gw0_`` under pytest-xdist: whose scratch database a leftover one was."""
    import os

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{worker}_" if worker else ""


@pytest.fixture(scope="session")
def _scratch_template(tmp_path_factory):
    """One fully migrated database per test session, copied by ``scratch_database_url``:
    migrating a new database takes seconds each time; copying it takes none."""
    import os
    import secrets
    from urllib.parse import urlparse

    from csce.common.testing import manage_run

    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    folder = tmp_path_factory.mktemp("scratch-template")
    if postgres:
        import psycopg

        name = f"scratch_template_{_worker()}{secrets.token_hex(4)}"
        with psycopg.connect(postgres_admin_url(url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        template = urlparse(url)._replace(path=f"/{name}").geturl()
    else:
        name = str(folder / "template.sqlite3")
        template = f"sqlite:///{name}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.test",
        "DATABASE_URL": template,
        "DATA_DIR": str(folder),
    }
    env.pop("REDIS_URL", None)
    migrated = manage_run(env, "migrate", "--skip-checks", "--verbosity=0", timeout=600)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    yield {"postgres": postgres, "name": name}
    if postgres:
        with psycopg.connect(postgres_admin_url(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch_database_url(tmp_path, _scratch_template):
    """A migrated database of the test's own, for tests whose real processes must see each
    other's commits: a SQLite file, or a PostgreSQL database beside DATABASE_URL's, each a
    copy of the session's migrated template."""
    import os
    import secrets
    import shutil
    from urllib.parse import urlparse

    if not _scratch_template["postgres"]:
        path = tmp_path / "scratch.sqlite3"
        shutil.copyfile(_scratch_template["name"], path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"scratch_{_worker()}{secrets.token_hex(4)}"
    with psycopg.connect(postgres_admin_url(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_scratch_template["name"]}"')
    yield urlparse(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(postgres_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class SmtpInbox:
    """An aiosmtpd handler that keeps every message it accepts, and refuses (550) the
    addresses a test puts in ``refused`` until it takes them out."""

    def __init__(self):
        self.messages: list = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count: int, timeout: float = 5.0) -> list:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the outbox delivers to it through
    Django's SMTP backend."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
