"""Browser tests: Debian's Chromium, driven by Playwright, against the real server.

The server is started the way `make run` starts it (``manage.py serve``: migrate,
collect static files, load the demo content, gunicorn) with its own data folder, and
against PostgreSQL when DATABASE_URL names it. It sends its e-mail through SMTP, as in
production, to a real SMTP server (aiosmtpd) that files each message in the server's mail
folder, where the tests read it. Without Chromium the tests are skipped,
unless REQUIRE_BROWSER=1 (as in CI), which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .helpers import REPO, csp_violations_listen, free_port, mfa_sign_in, role_account_create

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts at start (closed network here).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _e2e_database_url(tmp: Path) -> str:
    """A database of its own for the server: SQLite in its data folder, or a fresh
    PostgreSQL database beside the one DATABASE_URL names."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'db.sqlite3'}"
    import psycopg

    parsed = urlparse(url)
    # One per pytest-xdist worker (gw0, gw1...), should two of them start a server.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{parsed.path.lstrip('/') or 'postgres'}_e2e{'_' + worker if worker else ''}"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


class MailFolderHandler:
    """A real SMTP server's handler (aiosmtpd) that files each message it receives in the
    server's mail folder, one .eml per message, where the tests read them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        (self.folder / f"smtp-{self.count:05d}.eml").write_bytes(envelope.content)
        return "250 OK"


@pytest.fixture(scope="package")
def smtp_server(tmp_path_factory):
    """The server sends its e-mail through SMTP, as in production, to a real SMTP server."""
    from aiosmtpd.controller import Controller

    folder = tmp_path_factory.mktemp("e2e-mail")
    port = free_port()
    controller = Controller(MailFolderHandler(folder), hostname="127.0.0.1", port=port)
    controller.start()
    yield {"port": port, "folder": folder}
    controller.stop()


@pytest.fixture(scope="package")
def site_server(tmp_path_factory, smtp_server):
    """Base URL of a real server prepared and started exactly as `make run` does it."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    (data_dir / "mail").symlink_to(smtp_server["folder"], target_is_directory=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csce.settings.dev",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": _e2e_database_url(data_dir),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server["port"]),
        "EMAIL_USE_TLS": "false",
        # Every browser test posts from 127.0.0.1 to this one server: the per-address limit
        # (tested over HTTP in csce/submissions) would refuse the later tests' forms.
        "FORM_RATE_LIMIT": "1000",
        # Likewise the stricter limit on forms sent without the proof-of-work challenge
        # (tested over HTTP in csce/submissions): the newsletter footer has no challenge.
        "FORM_CHALLENGE_FALLBACK_LIMIT": "1000",
        # The minimum fill time is tested over HTTP in csce/submissions; here a test fills a
        # form as fast as the browser can, without sleeping through it.
        "FORM_MIN_FILL_SECONDS": "0",
        # The test browsers connect from this machine; a test that plays someone failing to
        # sign in elsewhere names that address in X-Forwarded-For, as a proxy would, so the
        # lockout of that address does not reach the other tests' sign-ins.
        "TRUSTED_PROXIES": "127.0.0.1,::1",
        # The privacy notice is published only once the Privacy Officer's address is set.
        "PRIVACY_OFFICER_EMAIL": "vie.privee@csce.example",
    }
    env.pop("REDIS_URL", None)
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    # Generous: under pytest-xdist another worker builds its own test database meanwhile.
    deadline = time.monotonic() + 300
    while True:
        if process.poll() is not None:
            pytest.fail(f"The server stopped: {(data_dir / 'server.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/?format=json", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(
                f"The server did not start: {(data_dir / 'server.log').read_text()[-3000:]}"
            )
        time.sleep(0.5)
    yield {"url": base_url, "data_dir": data_dir, "env": env, "log": data_dir / "server.log"}
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but Chromium is not installed at {CHROMIUM}")
        pytest.skip(
            "Chromium is not installed (apt-get install chromium); set REQUIRE_BROWSER=1 to fail"
        )
    from playwright.sync_api import sync_playwright

    # While Playwright's event loop runs in this thread, pytest-django's own fixtures still
    # touch Django; only until the browser closes: the worker's next tests (after this
    # package) get Django's async safety back.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site_server):
    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="package")
def staff_context(browser, site_server, tmp_path_factory):
    """Opens a browser context signed in as staff of ``role`` who prefer ``language``.

    Each (role, language) account is made and signs in (password, TOTP enrolment, policy
    acknowledgement) once per worker, with the CSP watched on the way; its cookies are
    kept as Playwright's storage state, and each call opens a new context from them (and
    signs in again with a code should the session have ended, idle for 30 minutes). For
    tests about something else than signing in: those of the sign-in itself do it for real.
    """

    folder = tmp_path_factory.mktemp("e2e-staff")
    accounts: dict[tuple[str, str], dict] = {}

    def open_context(*, role: str, language: str, locale: str):
        account = accounts.get((role, language))
        if account is None:
            username, password = role_account_create(site_server, role=role, language=language)
            account = accounts[(role, language)] = {
                "username": username,
                "password": password,
                "codes": {},  # mfa_sign_in's TOTP secret and last code, by username
                "state": None,
            }
        context = browser.new_context(
            base_url=site_server["url"], locale=locale, storage_state=account["state"]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        violations: list[str] = []
        csp_violations_listen(page, violations)
        page.goto("/admin/")
        if "/admin/login/" in page.url:
            mfa_sign_in(page, account["username"], account["password"], account["codes"])
            account["state"] = folder / f"{account['username']}.json"
            context.storage_state(path=account["state"])
        assert violations == [], f"signing in as {role}: {violations}"
        page.close()
        return context

    return open_context
