"""A full disk, a stopped Redis or a hanging one costs speed, never a 500, never access.

The caches here are real: the file cache on a folder that cannot be created (a file
stands where it should be, as on a full or read-only disk), Redis on this machine, Redis
on a port where nothing listens, and a server that accepts and never answers (policy S).
"""

from __future__ import annotations

import datetime
import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from csce.accounts.factories import staff_sign_in, staff_user
from csce.common import cache_backends
from csce.common.cache_backends import FileCache, RedisFailOpenCache
from csce.pages.factories import page_of_type
from csce.pages.models import SiteAlert, StandardPage

REDIS_UP = "redis://127.0.0.1:6379/15"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def blocked_folder(tmp_path):
    """A cache folder that cannot be created: writing to it raises ``OSError``."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    return str(blocker / "cache")


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers, like a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_the_fault_is_real_django_own_file_cache_raises(blocked_folder):
    with pytest.raises(NotADirectoryError, match="Not a directory"):
        FileBasedCache(blocked_folder, {}).set("clé", "valeur")


def test_a_file_cache_on_a_full_disk_answers_as_a_miss(blocked_folder, caplog):
    store = FileCache(blocked_folder, {})
    assert store.set("clé", "valeur") is None
    assert store.get("clé", "absent") == "absent"
    assert store.add("clé", "valeur") is False
    assert store.get_many(["clé"]) == {}
    assert store.set_many({"a": 1, "b": 2}) == ["a", "b"]
    # One warning, naming the failure, never the key.
    warnings = [r for r in caplog.records if r.name == "csce.cache"]
    assert len(warnings) == 1
    assert "NotADirectoryError" in warnings[0].getMessage()
    assert "clé" not in warnings[0].getMessage()


def test_a_working_file_cache_still_caches(tmp_path):
    store = FileCache(str(tmp_path / "cache"), {})
    store.set("clé", {"valeur": 1}, 60)
    assert store.get("clé") == {"valeur": 1}


def test_a_working_redis_still_caches():
    store = RedisFailOpenCache(REDIS_UP, {"KEY_PREFIX": "csce-test-faults"})
    store.set("clé", ["valeur"], 60)
    try:
        assert store.get("clé") == ["valeur"]
    finally:
        store.delete("clé")


def test_a_stopped_redis_is_a_miss_and_is_left_alone_for_a_while():
    store = RedisFailOpenCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    assert store.get("clé", "absent") == "absent"
    assert store.set("clé", "valeur") is None
    # After the failure the process stops asking, so a dead Redis costs nothing more.
    assert store._available() is False


def test_a_hanging_redis_holds_a_request_for_a_fraction_of_a_second(silent_server):
    store = RedisFailOpenCache(f"redis://127.0.0.1:{silent_server}/0", {})
    started = time.monotonic()
    assert store.get("clé", "absent") == "absent"
    # Redis's own default is to wait for ever; the bound is the socket timeout.
    assert time.monotonic() - started < cache_backends.REDIS_TIMEOUT_SECONDS * 6
    started = time.monotonic()
    for _ in range(50):
        store.get("clé")
    assert time.monotonic() - started < 1, "a hung Redis must not be asked on every call"


def test_the_cache_is_tried_again_after_the_pause(blocked_folder, monkeypatch, tmp_path):
    store = FileCache(blocked_folder, {})
    store.set("clé", "valeur")
    assert store._available() is False
    store._dir = str(tmp_path / "repaired")
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: time.time() + 10**9)
    store.set("clé", "valeur")
    assert store.get("clé") == "valeur"


@pytest.fixture
def broken_cache(settings, blocked_folder):
    """The site's cache on a disk that cannot be written, with the page cache on."""
    settings.CACHES = {
        "default": {"BACKEND": "csce.common.cache_backends.FileCache", "LOCATION": blocked_folder}
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver"]
    return caches["default"]


@pytest.mark.django_db
def test_public_pages_and_alerts_answer_with_a_broken_cache(broken_cache, client):
    page = page_of_type(StandardPage)
    SiteAlert.objects.create(
        text_fr="Fermeture pour tempête",
        text_en="Closed for the storm",
        ends_at=timezone.now() + datetime.timedelta(hours=3),
    )
    for _ in range(2):
        response = client.get(page.get_url())
        assert response.status_code == 200
        assert "Fermeture pour tempête" in response.content.decode()
    assert client.get("/fr/").status_code == 200
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_a_restricted_page_stays_closed_with_a_broken_cache(broken_cache, client):
    page = page_of_type(StandardPage)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(2):
        response = client.get(page.get_url())
        assert response.status_code == 302
        assert "Contenu" not in response.content.decode()


@pytest.mark.django_db
def test_staff_sign_in_and_stay_signed_in_with_redis_down(settings, client):
    settings.CACHES = {
        "default": {
            "BACKEND": "csce.common.cache_backends.RedisFailOpenCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = staff_user(superuser=True, username="accueil")
    staff_sign_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()


@pytest.mark.django_db
def test_the_daily_job_deletes_ended_sessions_and_keeps_live_ones():
    from django.contrib.sessions.models import Session

    from csce.common.schedule import job_schedule

    now = timezone.now()
    Session.objects.create(
        session_key="a" * 32, session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=now + datetime.timedelta(days=1)
    )
    job_schedule.get("clear_expired_sessions").run()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
