"""The site-wide checks of the annual security audit (policy M, S): Django's deployment
checks under production settings, the live site's security headers, the age of the key
that encrypts personal data, the freshness of the backups and the installed packages.

Each bounds its own waits (a subprocess and an HTTP request with timeouts) and says what
it found in counts, names of settings and dates: never a secret (policy M).
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from packaging.requirements import InvalidRequirement, Requirement

from csce.env import BASE_DIR

from . import policy
from .compliance import FAIL, PASS, WARN, AuditCheck, CheckResult

# `check --deploy` starts Django once: a minute is far more than it needs.
DEPLOY_CHECK_TIMEOUT_SECONDS = 60
# The live site answers a GET of its home within a few seconds, or the check fails.
HEADERS_TIMEOUT_SECONDS = 5
# http → https and / → /fr/: a few hops on the same host, never more.
HEADERS_MAX_REDIRECTS = 3
# The backup folder is walked this deep and this far, at most.
BACKUP_SCAN_MAX_ENTRIES = 10_000

# The command's --base-url, for this run only (the setting otherwise).
audit_base_url: ContextVar[str | None] = ContextVar("audit_base_url", default=None)

# What the process needs to start at all, passed through when set.
_PROCESS_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV")
# Production refuses to start without these (csce/settings/production.py).
PRODUCTION_SECRETS = ("SECRET_KEY", "ACCESS_LOG_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")
_CHECK_ID = re.compile(r"\(([a-z_]+(?:\.[a-z_]+)*\.([WEC])\d+)\)")


def project_variables() -> list[str]:
    """The names of every variable the project reads, from .env.example (its catalogue)."""
    try:
        text = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    except OSError:
        return []
    names = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.append(line.partition("=")[0].strip())
    return names


def deploy_check_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The minimum environment of a production process: the process basics, the project's
    own variables as this environment sets them, production's settings module, and a
    throwaway value for each required secret this environment lacks (a key's strength is
    then the generated one's: the audit never reads nor prints the real keys)."""
    environ = dict(os.environ if environ is None else environ)
    allowed = set(_PROCESS_VARIABLES) | set(project_variables())
    child = {name: value for name, value in environ.items() if name in allowed}
    child["DJANGO_SETTINGS_MODULE"] = "csce.settings.production"
    for name in PRODUCTION_SECRETS:
        if not child.get(name):
            child[name] = secrets.token_urlsafe(50)
    return child


def deploy_check_run(
    *, now: datetime.datetime, environ: dict[str, str] | None = None
) -> CheckResult:
    """``manage.py check --deploy`` under production settings, in a subprocess bounded by
    DEPLOY_CHECK_TIMEOUT_SECONDS. Any security warning fails the audit; another warning
    warns; a process that cannot start fails (its error's type only: a message could
    quote a configured value)."""
    command = [sys.executable, str(BASE_DIR / "manage.py"), "check", "--deploy"]
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed command, no shell
            command,
            env=deploy_check_environment(environ),
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=DEPLOY_CHECK_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return CheckResult(
            FAIL,
            gettext("The deployment checks did not finish within %(seconds)s seconds.")
            % {"seconds": DEPLOY_CHECK_TIMEOUT_SECONDS},
        )
    output = completed.stdout + completed.stderr
    found = sorted({match.group(1) for match in _CHECK_ID.finditer(output)})
    errors = [i for i in found if i.split(".")[-1][0] in "EC"]
    security = [i for i in found if i.startswith("security.")]
    if completed.returncode != 0 and not errors:
        error_type = _last_exception_type(output)
        return CheckResult(
            FAIL,
            gettext("Django could not start under production settings (%(error)s).")
            % {"error": error_type},
        )
    if errors or security:
        return CheckResult(
            FAIL,
            gettext("The deployment checks report: %(ids)s.") % {"ids": ", ".join(found)},
        )
    if found:
        return CheckResult(
            WARN,
            gettext("The deployment checks report: %(ids)s.") % {"ids": ", ".join(found)},
        )
    return CheckResult(
        PASS, gettext("The deployment checks under production settings report no issue.")
    )


def _last_exception_type(output: str) -> str:
    for line in reversed(output.strip().splitlines()):
        match = re.match(r"^([A-Za-z_][\w.]*(?:Error|Exception|Configured|Exit))\b", line)
        if match:
            return match.group(1).rsplit(".", 1)[-1]
    return gettext("unknown error")


# --- Security headers ----------------------------------------------------------------


@dataclass(frozen=True)
class FetchedHeaders:
    url: str
    status: int
    headers: dict[str, str]


class OtherHostRedirect(Exception):
    """The site redirected to another host: the audit does not follow it."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def headers_fetch(url: str, *, timeout: float = HEADERS_TIMEOUT_SECONDS) -> FetchedHeaders:
    """GET ``url``, following at most HEADERS_MAX_REDIRECTS redirects on the same host
    (http → https included), each bounded by ``timeout``. Raises OtherHostRedirect for a
    redirect elsewhere, and urllib's errors when the site cannot be reached."""
    opener = urllib.request.build_opener(_NoRedirect)
    host = urlsplit(url).hostname
    for _hop in range(HEADERS_MAX_REDIRECTS + 1):
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked below
            url, headers={"User-Agent": "csce-security-audit"}
        )
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("scheme")
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        status = response.status if hasattr(response, "status") else response.code
        headers = {name.lower(): value for name, value in response.headers.items()}
        response.close()
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            target = urljoin(url, headers["location"])
            if urlsplit(target).hostname != host:
                raise OtherHostRedirect
            url = target
            continue
        return FetchedHeaders(url=url, status=status, headers=headers)
    raise urllib.error.URLError("too many redirects")


def security_headers_missing(fetched: FetchedHeaders) -> list[str]:
    """The protections the response lacks, by header name (empty: all present)."""
    headers = fetched.headers
    missing = []
    if urlsplit(fetched.url).scheme != "https":
        missing.append("HTTPS")
    if "max-age=" not in headers.get("strict-transport-security", "").lower():
        missing.append("Strict-Transport-Security")
    csp = headers.get("content-security-policy", "").lower()
    if not csp:
        missing.append("Content-Security-Policy")
    if headers.get("x-content-type-options", "").strip().lower() != "nosniff":
        missing.append("X-Content-Type-Options")
    if not headers.get("referrer-policy", "").strip():
        missing.append("Referrer-Policy")
    if "frame-ancestors" not in csp and not headers.get("x-frame-options", "").strip():
        missing.append("frame-ancestors / X-Frame-Options")
    if not headers.get("permissions-policy", "").strip():
        missing.append("Permissions-Policy")
    return missing


def security_headers_run(*, now: datetime.datetime) -> CheckResult:
    """The live site's home page carries every security header policy M expects."""
    url = audit_base_url.get() or settings.SECURITY_AUDIT_URL
    if not url:
        return CheckResult(
            WARN,
            gettext(
                "No public address is configured (SECURITY_AUDIT_URL): the live site's "
                "headers were not checked."
            ),
        )
    try:
        fetched = headers_fetch(url)
    except OtherHostRedirect:
        return CheckResult(
            FAIL, gettext("The site redirects to another host; the audit did not follow it.")
        )
    except (OSError, ValueError) as error:  # URLError, timeouts, refused connections
        return CheckResult(
            FAIL,
            gettext("The site could not be reached within %(seconds)s seconds (%(error)s).")
            % {"seconds": HEADERS_TIMEOUT_SECONDS, "error": type(error).__name__},
        )
    if fetched.status >= 400:
        return CheckResult(
            FAIL,
            gettext("The site answered with the error status %(status)s.")
            % {"status": fetched.status},
        )
    missing = security_headers_missing(fetched)
    if missing:
        return CheckResult(
            FAIL,
            gettext("The site's home page lacks: %(missing)s.") % {"missing": ", ".join(missing)},
        )
    return CheckResult(
        PASS,
        gettext(
            "The site's home page is served over HTTPS with HSTS, a content security policy, "
            "nosniff, a referrer policy, framing refused and a permissions policy."
        ),
    )


# --- Encryption key age --------------------------------------------------------------


def encryption_key_created() -> datetime.date | None:
    """The day the current field key was made: the setting, else the generated key file's
    date when the key comes from it; None when unknown."""
    configured = settings.FIELD_ENCRYPTION_KEY_CREATED
    if configured:
        return datetime.date.fromisoformat(configured)
    key_file = Path(settings.DATA_DIR) / "field_encryption_key"
    try:
        if key_file.read_text(encoding="utf-8").strip() == settings.FIELD_ENCRYPTION_KEYS[0]:
            return datetime.datetime.fromtimestamp(key_file.stat().st_mtime, tz=datetime.UTC).date()
    except (OSError, IndexError):
        return None
    return None


def encryption_key_age_run(*, now: datetime.datetime) -> CheckResult:
    """The key that encrypts personal data at rest is younger than policy M's maximum, and
    no rotation is left half done (an old key still configured)."""
    try:
        created = encryption_key_created()
    except ValueError:
        return CheckResult(
            FAIL, gettext("FIELD_ENCRYPTION_KEY_CREATED is not a date (YYYY-MM-DD).")
        )
    keys = len([k for k in settings.FIELD_ENCRYPTION_KEYS if k])
    if created is None:
        return CheckResult(
            WARN,
            gettext(
                "The encryption key's age is unknown: set FIELD_ENCRYPTION_KEY_CREATED to the "
                "day it was made."
            ),
        )
    age = (timezone.localdate(now) - created).days
    values = {"date": created.isoformat(), "days": age, "max": policy.ENCRYPTION_KEY_MAX_AGE_DAYS}
    if age > policy.ENCRYPTION_KEY_MAX_AGE_DAYS:
        return CheckResult(
            FAIL,
            gettext(
                "The encryption key was made on %(date)s, %(days)s days ago (at most %(max)s): "
                "rotate it (docs/operations.md, key rotation)."
            )
            % values,
        )
    if keys > 1:
        return CheckResult(
            WARN,
            gettext(
                "The encryption key was made on %(date)s, but %(count)s keys are configured: "
                "finish the rotation (rotate_field_key), then remove the old ones."
            )
            % {**values, "count": keys},
        )
    return CheckResult(
        PASS,
        gettext("The encryption key was made on %(date)s, %(days)s days ago (at most %(max)s).")
        % values,
    )


# --- Backups -------------------------------------------------------------------------


def backup_newest(folder: Path) -> datetime.datetime | None:
    """The newest modification time of a file under ``folder`` (at most
    BACKUP_SCAN_MAX_ENTRIES entries read), or None when it holds no file."""
    newest = None
    seen = 0
    pending = [folder]
    while pending and seen < BACKUP_SCAN_MAX_ENTRIES:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                seen += 1
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    mtime = entry.stat(follow_symlinks=False).st_mtime
                    newest = mtime if newest is None else max(newest, mtime)
                if seen >= BACKUP_SCAN_MAX_ENTRIES:
                    break
    return None if newest is None else datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)


def backup_freshness_run(*, now: datetime.datetime) -> CheckResult:
    """The newest backup is less than BACKUP_MAX_AGE_HOURS old."""
    if not settings.BACKUP_DIR:
        return CheckResult(
            WARN,
            gettext(
                "No backup folder is configured (BACKUP_DIR): the backups' freshness was "
                "not checked; confirm it in the checklist."
            ),
        )
    folder = Path(settings.BACKUP_DIR)
    try:
        newest = backup_newest(folder)
    except OSError as error:
        return CheckResult(
            FAIL,
            gettext("The backup folder cannot be read (%(error)s).")
            % {"error": type(error).__name__},
        )
    if newest is None:
        return CheckResult(FAIL, gettext("The backup folder holds no backup."))
    hours = int((now - newest).total_seconds() // 3600)
    values = {"date": timezone.localtime(newest).strftime("%Y-%m-%d %H:%M"), "hours": hours}
    values["max"] = policy.BACKUP_MAX_AGE_HOURS
    if hours >= policy.BACKUP_MAX_AGE_HOURS:
        return CheckResult(
            FAIL,
            gettext("The newest backup is from %(date)s, %(hours)s hours ago (at most %(max)s).")
            % values,
        )
    return CheckResult(
        PASS,
        gettext("The newest backup is from %(date)s, %(hours)s hours ago (at most %(max)s).")
        % values,
    )


# --- Installed packages --------------------------------------------------------------


def declared_dependencies(pyproject: Path) -> list[Requirement]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    requirements = []
    for line in data.get("project", {}).get("dependencies", []):
        try:
            requirements.append(Requirement(line))
        except InvalidRequirement:
            continue
    return requirements


def package_versions_run(*, now: datetime.datetime, pyproject: Path | None = None) -> CheckResult:
    """Every dependency pyproject.toml declares is installed at a version it allows (at
    or above its minimum): an installed version below it may lack a security fix."""
    pyproject = pyproject or BASE_DIR / "pyproject.toml"
    try:
        requirements = declared_dependencies(pyproject)
    except (OSError, tomllib.TOMLDecodeError):
        return CheckResult(
            WARN, gettext("pyproject.toml cannot be read: the packages were not checked.")
        )
    installed, wrong = [], []
    for requirement in requirements:
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            wrong.append(gettext("%(name)s not installed") % {"name": requirement.name})
            continue
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            wrong.append(
                gettext("%(name)s %(version)s (needs %(spec)s)")
                % {"name": requirement.name, "version": version, "spec": requirement.specifier}
            )
        else:
            installed.append(f"{requirement.name} {version}")
    if wrong:
        return CheckResult(
            FAIL,
            gettext("Below the declared versions: %(wrong)s.") % {"wrong": "; ".join(wrong)},
        )
    return CheckResult(
        PASS,
        gettext("Every declared package is installed at an allowed version: %(list)s.")
        % {"list": ", ".join(installed)},
    )


AUDIT_CHECKS = (
    AuditCheck(
        key="deploy_checks",
        label=_("Django deployment checks under production settings"),
        clauses=("M",),
        run=deploy_check_run,
        order=10,
    ),
    AuditCheck(
        key="security_headers",
        label=_("Security headers of the live site"),
        clauses=("M",),
        run=security_headers_run,
        order=20,
    ),
    AuditCheck(
        key="encryption_key_age",
        label=_("Age of the key that encrypts personal data"),
        clauses=("M",),
        run=encryption_key_age_run,
        order=70,
    ),
    AuditCheck(
        key="backup_freshness",
        label=_("Freshness of the backups"),
        clauses=("M",),
        run=backup_freshness_run,
        order=90,
    ),
    AuditCheck(
        key="package_versions",
        label=_("Installed package versions"),
        clauses=("M",),
        run=package_versions_run,
        order=100,
    ),
)
