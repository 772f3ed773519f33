"""The beacon answered before Django's middleware, and page views written in batches
(decision 0013): the same outcomes as the Django view, and nothing lost on the way."""

import io
import json
import threading
import time

import pytest
from django.test import override_settings

from csce.analytics.models import PageView
from csce.analytics.recorder import Recorder
from csce.analytics.wsgi import BeaconFastPath

from .conftest import FIREFOX


def _environ(body: bytes, **extra) -> dict:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/beacon",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_ORIGIN": "http://testserver",
        "HTTP_USER_AGENT": FIREFOX,
        "REMOTE_ADDR": "203.0.113.54",
        "CONTENT_TYPE": "text/plain;charset=UTF-8",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    environ.update(extra)
    return environ


class _Django:
    """Stands for the Django application behind the wrapper: records what reached it."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"django"]


def _call(app, environ):
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


BODY = json.dumps({"p": "/fr/", "r": "", "w": 1280, "l": "fr"}).encode()


@pytest.mark.django_db
def test_a_beacon_is_counted_without_reaching_django():
    django_app = _Django()
    status, headers, body = _call(BeaconFastPath(django_app), _environ(BODY))

    assert status == "204 No Content"
    assert body == b""
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers
    assert django_app.calls == []
    assert PageView.objects.get().path == "/fr/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"HTTP_ORIGIN": "https://evil.example"}, "403 Forbidden"),
        ({"CONTENT_LENGTH": "0"}, "400 Bad Request"),
        ({"CONTENT_LENGTH": "999999"}, "400 Bad Request"),
        ({"CONTENT_LENGTH": "many"}, "400 Bad Request"),
        ({"HTTP_SEC_GPC": "1"}, "204 No Content"),
    ],
)
def test_the_fast_path_refuses_what_the_view_refuses(extra, status):
    assert _call(BeaconFastPath(_Django()), _environ(BODY, **extra))[0] == status
    assert not PageView.objects.exists()


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["testserver"])
def test_everything_else_goes_to_django():
    django_app = _Django()
    wrapper = BeaconFastPath(django_app)
    _call(wrapper, _environ(BODY, PATH_INFO="/fr/"))
    _call(wrapper, _environ(BODY, REQUEST_METHOD="GET"))
    # A session cookie may be staff: Django's own view decides, with the session.
    _call(wrapper, _environ(BODY, HTTP_COOKIE="sessionid=abc"))
    # A host that is not ours: Django answers it (400), as for any request.
    _call(wrapper, _environ(BODY, HTTP_HOST="evil.example"))

    assert django_app.calls == ["/fr/", "/beacon", "/beacon", "/beacon"]
    assert not PageView.objects.exists()


def _view(n: int) -> PageView:
    from django.utils import timezone

    now = timezone.now()
    return PageView(occurred_at=now, day=now.date(), path=f"/fr/{n}/", device="desktop", visitor=n)


@pytest.fixture
def _pages_counted(monkeypatch):
    """The batches' own pages stand for live pages (the database here has no page tree)."""
    paths = frozenset(f"/fr/{n}/" for n in range(10))
    monkeypatch.setattr("csce.analytics.collection.counted_paths", lambda: paths)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_pages_counted")
@override_settings(ANALYTICS_FLUSH_SECONDS=0.2)
def test_views_wait_in_memory_and_are_written_by_the_background_thread():
    recorder = Recorder()
    for n in range(5):
        recorder.add(_view(n))
    assert PageView.objects.count() == 0  # not written by the request

    deadline = time.monotonic() + 10
    while PageView.objects.count() < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert PageView.objects.count() == 5
    assert any(t.name == "analytics-recorder" for t in threading.enumerate())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_pages_counted")
@override_settings(ANALYTICS_FLUSH_SECONDS=60)
def test_a_process_that_stops_writes_what_it_holds():
    recorder = Recorder()
    for n in range(3):
        recorder.add(_view(n))
    assert PageView.objects.count() == 0

    assert recorder.flush() == 3  # what atexit runs
    assert PageView.objects.count() == 3
    assert recorder.flush() == 0
