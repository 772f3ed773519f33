import stat

import pytest

from csce.env import ConfigurationError, Env, generated_secret


@pytest.fixture
def dotenv(tmp_path):
    path = tmp_path / ".env"
    path.write_text(
        '# comment\nDEBUG=true\nexport PORT=9000\nNAME="quoted value"\nHOSTS=a.example, b.example\n'
    )
    return path


def test_environment_wins_over_dotenv(dotenv):
    env = Env(environ={"PORT": "8123"}, dotenv=dotenv)
    assert env.int("PORT", 8000) == 8123


def test_dotenv_values_are_read_when_the_environment_is_silent(dotenv):
    env = Env(environ={}, dotenv=dotenv)
    assert env.bool("DEBUG") is True
    assert env.int("PORT", 8000) == 9000
    assert env.str("NAME") == "quoted value"
    assert env.list("HOSTS") == ["a.example", "b.example"]


def test_defaults_apply_when_nothing_is_set(tmp_path):
    env = Env(environ={}, dotenv=tmp_path / "missing.env")
    assert env.str("SECRET_KEY") is None
    assert env.bool("DEBUG", False) is False
    assert env.list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    assert env.path("DATA_DIR", tmp_path) == tmp_path


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("YES", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(tmp_path, raw, expected):
    assert Env(environ={"X": raw}, dotenv=tmp_path / "none").bool("X") is expected


def test_a_value_that_is_not_a_boolean_is_refused_with_its_name(tmp_path):
    with pytest.raises(ConfigurationError, match="DEBUG"):
        Env(environ={"DEBUG": "maybe"}, dotenv=tmp_path / "none").bool("DEBUG")


def test_a_value_that_is_not_an_integer_is_refused_with_its_name(tmp_path):
    with pytest.raises(ConfigurationError, match="PORT"):
        Env(environ={"PORT": "eighty"}, dotenv=tmp_path / "none").int("PORT", 8000)


def test_generated_secret_is_private_stable_and_announced_once(tmp_path, capsys):
    path = tmp_path / "var" / "secret_key"
    first = generated_secret(path)
    announced = capsys.readouterr().err
    second = generated_secret(path)
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "secret" in announced
    assert capsys.readouterr().err == ""


def test_every_variable_the_code_reads_is_documented_in_env_example():
    import re
    from pathlib import Path

    from django.conf import settings

    read = set()
    for path in Path(settings.PROJECT_DIR).rglob("*.py"):
        if "tests" in path.parts:
            continue
        read |= set(re.findall(r"env\.\w+\(\s*\"([A-Z_]+)\"", path.read_text()))
    example = (Path(settings.BASE_DIR) / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert read, "the scan found no variable at all"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_numbers_are_read_and_a_value_that_is_not_one_is_refused_with_its_name(tmp_path):
    env = Env(environ={"DELAY": "0.5", "BAD": "soon"}, dotenv=tmp_path / "none")
    assert env.float("DELAY", 1.0) == 0.5
    assert env.float("UNSET", 1.0) == 1.0
    with pytest.raises(ConfigurationError, match="BAD"):
        env.float("BAD", 1.0)


def test_importing_the_base_settings_writes_no_key_file(tmp_path):
    """Reading settings must not create secrets as a side effect: keys come from the
    environment or an explicit first start (csce.settings.dev), never from an import."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    data_dir = tmp_path / "var"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ACCESS_LOG_KEY"}
    }
    env |= {"DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "csce.settings.base"}
    probe = "from django.conf import settings; print(repr(settings.BLIND_INDEX_KEY))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "''"
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_the_embedded_default_generates_its_keys_on_first_start(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    data_dir = tmp_path / "var"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ACCESS_LOG_KEY"}
    }
    env |= {"DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "csce.settings.dev"}
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    first, second = (
        subprocess.run(
            [sys.executable, "-c", probe],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for _ in range(2)
    )
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) > 40
    assert sorted(path.name for path in data_dir.iterdir()) == [
        "access_log_key",
        "blind_index_key",
        "field_encryption_key",
        "secret_key",
    ]
