"""The one typed reader of the environment (every variable is read once, here).

Every setting that varies between machines is read here, once, from the process
environment first and then from a ``.env`` file at the repository root. Nothing
else in the project reads ``os.environ`` for configuration.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigurationError(Exception):
    """A variable is present but cannot be understood."""


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


class Env:
    """Typed access to configuration: OS environment first, then ``.env``."""

    _TRUE = {"1", "true", "yes", "on"}
    _FALSE = {"0", "false", "no", "off", ""}

    def __init__(self, environ: dict[str, str] | None = None, dotenv: Path | None = None):
        self._environ = os.environ if environ is None else environ
        self._dotenv = _read_dotenv(dotenv if dotenv is not None else BASE_DIR / ".env")

    def _raw(self, name: str) -> str | None:
        if name in self._environ:
            return self._environ[name]
        return self._dotenv.get(name)

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name: str, default: bool = False) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in self._TRUE:
            return True
        if lowered in self._FALSE:
            return False
        raise ConfigurationError(f"{name} must be a boolean (true/false), not {value!r}")

    def int(self, name: str, default: int) -> int:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise ConfigurationError(f"{name} must be an integer, not {value!r}") from None

    def float(self, name: str, default: float) -> float:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise ConfigurationError(f"{name} must be a number, not {value!r}") from None

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def path(self, name: str, default: Path) -> Path:
        value = self._raw(name)
        return Path(value).expanduser().resolve() if value else default


def stored_secret(path: Path) -> str:
    """The secret stored at ``path``, or "" when there is none: reading settings never
    writes a file; only the embedded default (``csce.settings.dev``) generates its keys."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def generated_secret(path: Path, *, nbytes: int = 50) -> str:
    """Return the secret stored at ``path``, creating it (mode 0600) on first use.

    The embedded default needs no configuration: on first run it generates its own
    secret and says so once, on standard error.
    """
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:  # another process won the race: use its value
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    print(
        f"Generated a new secret in {path} (mode 0600). Keep it; do not commit it.", file=sys.stderr
    )
    return value


env = Env()
