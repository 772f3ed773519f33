"""Policy M (robust security measures): headers, hashing and deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from csce.accounts.factories import staff_user

REPO = Path(settings.BASE_DIR)


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            parsed[tokens[0]] = tokens[1:]
    return parsed


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(site_home, client):
    response = client.get("/fr/")
    csp = _directives(response["Content-Security-Policy"])
    # Public pages carry no inline script at all, so not even a nonce is offered.
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


def _response_using_the_nonce(rf):
    from django.http import HttpResponse

    from csce.common.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = ContentSecurityPolicyMiddleware(view)
    request = rf.get("/fr/")
    return request, middleware(request)


def test_a_template_that_uses_the_nonce_gets_it_in_the_policy(rf):
    request, response = _response_using_the_nonce(rf)
    csp = _directives(response["Content-Security-Policy"])
    assert f"'nonce-{request.csp_nonce}'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]


def test_each_response_gets_a_new_nonce(rf):
    first = _response_using_the_nonce(rf)[1]["Content-Security-Policy"]
    second = _response_using_the_nonce(rf)[1]["Content-Security-Policy"]
    assert first != second


@pytest.mark.django_db
def test_admin_keeps_scripts_on_nonces(client):
    response = client.get("/admin/login/")
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_public_pages_send_the_other_security_headers(site_home, client):
    response = client.get("/en/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()"):
        assert feature in permissions


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    from csce.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # test settings use a fast one
    user = staff_user(username="editor", password="correct horse battery staple", verified=False)
    assert identify_hasher(user.password).algorithm == "argon2"


# Every secret production requires from the environment: none may be generated per node.
PRODUCTION_SECRETS = {
    "SECRET_KEY": "x" * 20 + "production-check-only-" + "y" * 30,
    "ACCESS_LOG_KEY": "production-check-only-access-log-key",
    "FIELD_ENCRYPTION_KEYS": "production-check-only-field-key",
    "BLIND_INDEX_KEY": "production-check-only-blind-index-key",
}


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {
        **os.environ,
        **PRODUCTION_SECRETS,
        "DJANGO_SETTINGS_MODULE": "csce.settings.production",
        "ALLOWED_HOSTS": "www.example.org",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SECRETS))
def test_production_refuses_to_start_without_each_secret(tmp_path, missing):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_SECRETS}
    env.update({k: v for k, v in PRODUCTION_SECRETS.items() if k != missing})
    env.update(DJANGO_SETTINGS_MODULE="csce.settings.production", DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        **PRODUCTION_SECRETS,
        "DJANGO_SETTINGS_MODULE": "csce.settings.production",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


# The database check writes (in a transaction it rolls back): no test transaction may
# hold SQLite's write lock meanwhile.
@pytest.mark.django_db(transaction=True)
def test_health_checks_database_cache_and_storage_only(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    checks = response.json()
    names = " ".join(checks).lower()
    assert "database" in names
    assert "cache" in names
    assert "storage" in names
    assert "dns" not in names
    assert "mail" not in names
    assert len(checks) == 3


def test_only_resized_images_are_served_never_original_uploads(db, client, settings):
    images = settings.MEDIA_ROOT / "images"
    originals = settings.MEDIA_ROOT / "original_images"
    images.mkdir(parents=True, exist_ok=True)
    originals.mkdir(parents=True, exist_ok=True)
    (images / "photo.max-800x600.png").write_bytes(b"\x89PNG rendition")
    (originals / "photo.png").write_bytes(b"\x89PNG original with metadata")
    assert client.get("/media/images/photo.max-800x600.png").status_code == 200
    assert client.get("/media/original_images/photo.png").status_code == 404
    assert client.get("/media/images/../original_images/photo.png").status_code in (400, 404)
