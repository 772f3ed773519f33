"""The site-wide checks of the annual security audit (policy M): each passes on a sound
instance and fails (or warns) on a misconfigured one."""

from __future__ import annotations

import datetime
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone, translation

from csce.common import policy
from csce.common.audit_checks import (
    FetchedHeaders,
    audit_base_url,
    backup_freshness_run,
    deploy_check_environment,
    deploy_check_run,
    encryption_key_age_run,
    package_versions_run,
    security_headers_missing,
    security_headers_run,
)
from csce.common.compliance import FAIL, PASS, WARN


@pytest.fixture(autouse=True)
def _english():
    """The details read in the language active when a check runs: English here."""
    with translation.override("en"):
        yield


SECURE_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}


# --- check --deploy ------------------------------------------------------------------


def test_the_deployment_checks_pass_under_production_settings():
    result = deploy_check_run(now=timezone.now(), environ={"PATH": os.environ["PATH"]})
    assert result.status == PASS, result.detail


def test_the_deployment_checks_name_the_warnings_of_a_misconfigured_production():
    environ = {"PATH": os.environ["PATH"], "SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "0"}
    result = deploy_check_run(now=timezone.now(), environ=environ)
    assert result.status == FAIL
    assert "security.W004" in result.detail  # no HSTS
    assert "security.W008" in result.detail  # no redirect to HTTPS


def test_the_deployment_checks_run_with_production_settings_and_no_foreign_variable():
    child = deploy_check_environment({"PATH": "/bin", "AWS_SECRET": "x", "SECRET_KEY": "kept"})
    assert child["DJANGO_SETTINGS_MODULE"] == "csce.settings.production"
    assert "AWS_SECRET" not in child
    assert child["SECRET_KEY"] == "kept"
    assert len(child["ACCESS_LOG_KEY"]) >= 50  # a throwaway key where none is configured


# --- security headers ----------------------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}
    redirect_to = ""

    def do_GET(self):
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(200)
            for name, value in self.headers_to_send.items():
                self.send_header(name, value)
        self.end_headers()

    def log_message(self, *args):
        return


@pytest.fixture
def live_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    _Site.headers_to_send = {}
    _Site.redirect_to = ""


def test_headers_all_present_over_https_pass():
    fetched = FetchedHeaders(
        url="https://www.example.org/fr/",
        status=200,
        headers={k.lower(): v for k, v in SECURE_HEADERS.items()},
    )
    assert security_headers_missing(fetched) == []


def test_headers_over_plain_http_lack_https():
    fetched = FetchedHeaders(
        url="http://www.example.org/",
        status=200,
        headers={k.lower(): v for k, v in SECURE_HEADERS.items()},
    )
    assert security_headers_missing(fetched) == ["HTTPS"]


def test_the_live_check_fetches_the_site_and_names_what_is_missing(settings, live_site):
    _Site.headers_to_send = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    settings.SECURITY_AUDIT_URL = f"http://127.0.0.1:{live_site.server_port}/"
    result = security_headers_run(now=timezone.now())
    assert result.status == FAIL
    for name in (
        "HTTPS",
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "Permissions-Policy",
    ):
        assert name in result.detail
    assert "X-Content-Type-Options" not in result.detail


def test_the_live_check_passes_a_secure_site(settings, live_site, monkeypatch):
    """The site behind the address serves every header; the address is HTTPS (the local
    server is plain HTTP, so the fetched address is reported as the public one)."""
    from csce.common import audit_checks

    _Site.headers_to_send = SECURE_HEADERS
    local = f"http://127.0.0.1:{live_site.server_port}/"
    real_fetch = audit_checks.headers_fetch

    def fetch_as_public(url, **kwargs):
        fetched = real_fetch(local, **kwargs)
        return FetchedHeaders(url=url, status=fetched.status, headers=fetched.headers)

    monkeypatch.setattr(audit_checks, "headers_fetch", fetch_as_public)
    settings.SECURITY_AUDIT_URL = "https://www.example.org/"
    result = security_headers_run(now=timezone.now())
    assert result.status == PASS, result.detail


def test_the_live_check_refuses_a_redirect_to_another_host(settings, live_site):
    _Site.redirect_to = "https://elsewhere.example.net/"
    settings.SECURITY_AUDIT_URL = f"http://127.0.0.1:{live_site.server_port}/"
    result = security_headers_run(now=timezone.now())
    assert result.status == FAIL
    assert "another host" in result.detail


def test_an_unreachable_site_fails_within_the_timeout(settings, live_site):
    port = live_site.server_port
    live_site.shutdown()
    live_site.server_close()
    settings.SECURITY_AUDIT_URL = f"http://127.0.0.1:{port}/"
    result = security_headers_run(now=timezone.now())
    assert result.status == FAIL
    assert "could not be reached" in result.detail


def test_no_public_address_warns(settings):
    settings.SECURITY_AUDIT_URL = ""
    assert security_headers_run(now=timezone.now()).status == WARN


def test_the_commands_base_url_wins_over_the_setting(settings, live_site):
    settings.SECURITY_AUDIT_URL = ""
    token = audit_base_url.set(f"http://127.0.0.1:{live_site.server_port}/")
    try:
        result = security_headers_run(now=timezone.now())
    finally:
        audit_base_url.reset(token)
    assert result.status == FAIL  # fetched: the local site lacks the headers


# --- encryption key age --------------------------------------------------------------


def test_a_young_key_passes_and_an_old_one_fails(settings):
    now = timezone.now()
    settings.FIELD_ENCRYPTION_KEYS = ["only-key"]
    settings.FIELD_ENCRYPTION_KEY_CREATED = (
        timezone.localdate(now) - datetime.timedelta(days=30)
    ).isoformat()
    assert encryption_key_age_run(now=now).status == PASS
    too_old = policy.ENCRYPTION_KEY_MAX_AGE_DAYS + 1
    settings.FIELD_ENCRYPTION_KEY_CREATED = (
        timezone.localdate(now) - datetime.timedelta(days=too_old)
    ).isoformat()
    result = encryption_key_age_run(now=now)
    assert result.status == FAIL
    assert "only-key" not in result.detail


def test_an_unfinished_rotation_warns_and_an_unknown_date_warns(settings, tmp_path):
    now = timezone.now()
    settings.FIELD_ENCRYPTION_KEYS = ["new-key", "old-key"]
    settings.FIELD_ENCRYPTION_KEY_CREATED = timezone.localdate(now).isoformat()
    assert encryption_key_age_run(now=now).status == WARN
    settings.FIELD_ENCRYPTION_KEY_CREATED = ""
    settings.DATA_DIR = tmp_path
    assert encryption_key_age_run(now=now).status == WARN
    settings.FIELD_ENCRYPTION_KEY_CREATED = "last spring"
    assert encryption_key_age_run(now=now).status == FAIL


def test_a_generated_key_files_date_is_the_keys_age(settings, tmp_path):
    (tmp_path / "field_encryption_key").write_text("generated-key\n")
    settings.DATA_DIR = tmp_path
    settings.FIELD_ENCRYPTION_KEYS = ["generated-key"]
    settings.FIELD_ENCRYPTION_KEY_CREATED = ""
    assert encryption_key_age_run(now=timezone.now()).status == PASS
    old = (
        timezone.now() - datetime.timedelta(days=policy.ENCRYPTION_KEY_MAX_AGE_DAYS + 5)
    ).timestamp()
    os.utime(tmp_path / "field_encryption_key", (old, old))
    assert encryption_key_age_run(now=timezone.now()).status == FAIL


# --- backups -------------------------------------------------------------------------


def test_backups_fresh_pass_stale_or_absent_fail_unconfigured_warn(settings, tmp_path):
    now = timezone.now()
    settings.BACKUP_DIR = ""
    assert backup_freshness_run(now=now).status == WARN
    settings.BACKUP_DIR = str(tmp_path)
    assert backup_freshness_run(now=now).status == FAIL  # empty folder
    (tmp_path / "nightly").mkdir()
    dump = tmp_path / "nightly" / "db.dump"
    dump.write_bytes(b"backup")
    assert backup_freshness_run(now=now).status == PASS
    old = (now - datetime.timedelta(hours=policy.BACKUP_MAX_AGE_HOURS + 1)).timestamp()
    os.utime(dump, (old, old))
    assert backup_freshness_run(now=now).status == FAIL
    settings.BACKUP_DIR = str(tmp_path / "missing")
    assert backup_freshness_run(now=now).status == FAIL


# --- installed packages --------------------------------------------------------------


def test_the_installed_packages_meet_pyproject():
    result = package_versions_run(now=timezone.now())
    assert result.status == PASS, result.detail
    assert "django " in result.detail


def test_a_package_below_its_minimum_or_missing_fails(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n'
        'dependencies = ["django>=99.0", "no-such-package-csce>=1", "polib>=1"]\n'
    )
    result = package_versions_run(now=timezone.now(), pyproject=pyproject)
    assert result.status == FAIL
    assert "django" in result.detail
    assert "needs >=99.0" in result.detail
    assert "no-such-package-csce not installed" in result.detail
    assert "polib" not in result.detail
