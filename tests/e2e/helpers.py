"""What the browser tests share: the server's shell, staff accounts and their sign-in with
a second factor, axe's options and checks, the CSP-violation listener, the demo's form
addresses. One module the tests import from, rather than from each other."""

from __future__ import annotations

import email
import re
import secrets
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def staff_account_create(site_server, *, prefix: str = "staff") -> tuple[str, str]:
    """What `make admin` does, without a terminal: createsuperuser --noinput.

    Returns (username, password); the account still has to enrol its second factor.
    """
    username = f"{prefix}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    command = [
        sys.executable,
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username",
        username,
        "--email",
        f"{username}@example.org",
    ]
    env = {**site_server["env"], "DJANGO_SUPERUSER_PASSWORD": password}
    for _attempt in range(2):
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        # The server's worker and scheduler write to the same SQLite file; on a loaded
        # machine a write can wait past the lock timeout once: that, and only that, is
        # tried again.
        if done.returncode == 0 or "database is locked" not in done.stderr:
            break
    if done.returncode != 0:
        pytest.fail(f"createsuperuser failed:\n{done.stderr[-3000:]}")
    return username, password


AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


# (preferred language, the browser's other locale)
LANGUAGES = [("fr", "en-CA"), ("en", "fr-CA")]


# Run by `manage.py shell` after a first line that assigns the four values.
ROLE_ACCOUNT_CREATE = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
user.groups.add(Group.objects.get(name=role))
profile = UserProfile.get_for_user(user)
profile.preferred_language = language
profile.save()
"""


# Wagtail's messages fade in over half a second: axe would measure the contrast of
# half-transparent text.
MESSAGES_SHOWN = """() => Array.from(document.querySelectorAll(".messages > ul"))
    .every((list) => getComputedStyle(list).opacity === "1")"""


def axe_violations(page) -> list[str]:
    page.wait_for_function(MESSAGES_SHOWN)
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]


def role_account_create(site_server, *, role: str, language: str) -> tuple[str, str]:
    """A staff account in one role group of csce/accounts/roles.py (not a superuser), whose
    Wagtail profile prefers ``language``. Returns (username, password)."""
    username = f"role-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    values = f"username, password, role, language = {(username, password, role, language)!r}\n"
    manage_shell(site_server, values + ROLE_ACCOUNT_CREATE)
    return username, password


def manage_shell(site_server, script: str) -> str:
    """Run Python in the server's Django (manage.py shell), against its database; returns
    what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command", script],
        cwd=REPO,
        env=site_server["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


# Reported by the page itself as well as on the console. Playwright injects this script
# past the policy.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.csceCspViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def csp_violations_listen(page, csp_violations: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.expose_function("csceCspViolation", lambda text: csp_violations.append(text))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)


FORM_URLS = {
    ("inquiry", "fr"): "/fr/nous-joindre/ecrivez-nous/",
    ("inquiry", "en"): "/en/contact/write-to-us/",
    ("survey", "fr"): "/fr/nous-joindre/sondage-satisfaction/",
    ("survey", "en"): "/en/contact/satisfaction-survey/",
}


def axe_clean(page, axe: Axe) -> None:
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def requests_watch(context, page, site_server):
    requests: list[str] = []
    problems: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    own = urlparse(site_server["url"]).netloc
    return requests, problems, own


def challenge_solved(page) -> None:
    """Wait until the widget has put its solution in the form (it starts on focus)."""
    page.wait_for_function(
        "() => { const i = document.querySelector('altcha-widget input[type=hidden]');"
        " return i && i.value.length > 0; }",
        timeout=60_000,
    )


def next_code(secret: str, last: dict) -> str:
    """A code the server has not seen yet: TOTP codes are refused when replayed."""
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    step = max(now // 30, last.get("step", -1) + 1)
    last["step"] = step
    return totp.at(step * 30)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()


def arrive(page, path_pattern: str) -> None:
    """Wait for ``path_pattern``, acknowledging the online-property policy on the way when
    the admin asks for it first (policy S, csce/accounts)."""
    page.wait_for_url(re.compile(rf"(/admin/policy/acknowledge/|{path_pattern})"))
    if "/admin/policy/acknowledge/" in page.url:
        page.check("#id_confirm")
        page.locator("form:has(#id_confirm) button[type=submit]").click()
    page.wait_for_url(re.compile(path_pattern))


def mfa_sign_in(page, username: str, password: str, secrets_by_user: dict) -> None:
    """Password, then TOTP enrolment (first time) or verification; ends on the dashboard."""
    sign_in(page, username, password)
    page.wait_for_url(re.compile(r"/admin/mfa/(enrol|verify)/"))
    last = secrets_by_user.setdefault(username, {})
    if "/enrol/" in page.url:
        last["secret"] = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.fill("#id_code", next_code(last["secret"], last))
        page.locator("#mfa-code-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/mfa/recovery-codes/"))
        page.locator("main a.button").click()
    else:
        page.fill("#id_code", next_code(last["secret"], last))
        page.locator("#mfa-code-form button[type=submit]").click()
    arrive(page, r"/admin/$")


def mail_to(
    site_server, address: str, *, containing: str = "", timeout: float = 60
) -> email.message.EmailMessage:
    """The newest message to ``address`` that the real SMTP server filed in the server's
    mail folder (with ``containing`` in its subject or text, as sent): the task worker
    delivers it a few seconds after the page that queued it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for path in sorted((site_server["data_dir"] / "mail").glob("*")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw.strip(), policy=policy.default)
                if message["To"] != address:
                    continue
                text = str(message["Subject"]) + raw.decode(errors="replace")
                if containing in text:
                    found.append(message)
        if found:
            return found[-1]
        time.sleep(0.5)
    pytest.fail(f"No e-mail to {address} with {containing!r} in {site_server['data_dir']}/mail")
