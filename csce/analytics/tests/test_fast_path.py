"""The beacon answered before Django's middleware, and page views written in batches
(decision 0013): the same outcomes as the Django view, and nothing lost on the way."""

import io
import json
import threading
import time

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

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
    monkeypatch.setattr("csce.analytics.recorder.counted_paths", lambda: paths)


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


# --- Bounds: what either path refuses, with the same answer and headers (policy M) -----

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cache-Control",
)


def _both(client, body: bytes, **extra) -> list[tuple[int, dict]]:
    """The beacon sent through the Django view, then through the fast path."""
    extra.setdefault("REMOTE_ADDR", "203.0.113.54")
    by_view = client.post(
        "/beacon",
        data=body,
        content_type="text/plain;charset=UTF-8",
        HTTP_ORIGIN="http://testserver",
        HTTP_USER_AGENT=FIREFOX,
        **extra,
    )
    status, headers, _body = _call(BeaconFastPath(_Django()), _environ(body, **extra))
    return [(by_view.status_code, dict(by_view.items())), (int(status[:3]), headers)]


def _same_answer(answers: list[tuple[int, dict]]) -> int:
    (view_status, view_headers), (fast_status, fast_headers) = answers
    assert view_status == fast_status
    for name in SECURITY_HEADERS:
        assert view_headers.get(name), name
        assert view_headers.get(name) == fast_headers.get(name), name
    return view_status


def _json(**fields) -> bytes:
    return json.dumps({"p": "/fr/", "r": "", "w": 1280, "l": "fr", **fields}).encode()


MALFORMED = {
    "nested list": b'{"p": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "nested body": b"[" * 1000 + b"]" * 1000,
    "1e400": b'{"p": "/fr/", "r": "", "w": 1e400, "l": "fr"}',
    "NaN": b'{"p": "/fr/", "r": "", "w": NaN, "l": "fr"}',
    "-Infinity": b'{"p": "/fr/", "r": "", "w": -Infinity, "l": "fr"}',
    "huge number": b'{"p": "/fr/", "r": "", "w": ' + b"9" * 1000 + b', "l": "fr"}',
    "huge exponent": b'{"p": "/fr/", "r": "", "w": 1e300, "l": "fr"}',
    "surrogate in path": b'{"p": "/fr/\\ud800", "r": "", "w": 1280, "l": "fr"}',
    "surrogate in referrer": b'{"p": "/fr/", "r": "https://a.example/\\udfff", "l": "fr"}',
    "surrogate in language": b'{"p": "/fr/", "r": "", "w": 1280, "l": "\\ud800"}',
    "surrogate in a key": b'{"p": "/fr/", "\\ud800": 1}',
    "object in a field": _json(w={"a": [1, 2]}),
    "referrer with spaces": _json(r="https://exa mple.org/"),
    "referrer with markup": _json(r="https://<script>/"),
    "referrer with empty labels": _json(r="https://a..example/"),
    "referrer label too long": _json(r="https://" + "a" * 64 + ".example/"),
    "referrer without host": _json(r="pas une adresse"),
    "referrer not text": _json(r=42),
}


@pytest.mark.django_db
@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_beacons_are_refused_with_a_400_by_both_paths(client, body):
    assert _same_answer(_both(client, body)) == 400
    assert not PageView.objects.exists()


NOT_PAGES = [
    "/wp-login.php",
    "/../../etc/passwd",
    "/fr/../../etc/passwd",
    "/fr/<script>alert(1)</script>/",
    "/fr/page-qui-n-existe-pas/",
    "/admin/",
    "/health/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NOT_PAGES)
def test_paths_that_are_not_public_pages_are_never_stored(client, site_home, path):
    assert _same_answer(_both(client, _json(p=path))) in (204, 400)
    assert not PageView.objects.exists()


def _unpublished_and_restricted_paths(home) -> tuple[str, str]:
    from wagtail.models import Page, PageViewRestriction

    from csce.pages.factories import page_add
    from csce.pages.models import StandardPage

    page_add(StandardPage, parent=home)
    page_add(StandardPage, parent=home)
    hidden, private = Page.objects.live().child_of(home).order_by("path")[:2]
    hidden_path, private_path = hidden.url, private.url
    hidden.unpublish()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret-1234"
    )
    return hidden_path, private_path


@pytest.mark.django_db
def test_unpublished_and_restricted_pages_are_not_counted(client, site_home):
    hidden, private = _unpublished_and_restricted_paths(site_home)
    for path in (hidden, private):
        _same_answer(_both(client, _json(p=path)))
    assert not PageView.objects.exists()
    # The live public home page is counted by both paths.
    _same_answer(_both(client, _json(p="/fr/")))
    assert list(PageView.objects.values_list("path", flat=True)) == ["/fr/", "/fr/"]


@pytest.mark.django_db
@override_settings(ANALYTICS_BEACONS_PER_MINUTE=5)
def test_one_address_past_its_rate_is_answered_429_by_both_paths(client, site_home):
    answers = [_both(client, _json()) for _ in range(3)]  # 6 beacons, 3 by each path
    statuses = [status for pair in answers for status, _headers in pair]
    assert statuses == [204, 204, 204, 204, 204, 429]
    assert _same_answer(_both(client, _json())) == 429
    assert PageView.objects.count() == 5
    # Another address is not held back by this one's beacons.
    assert _same_answer(_both(client, _json(), REMOTE_ADDR="198.51.100.7")) == 204


@pytest.mark.django_db
def test_three_hundred_beacons_in_a_burst_store_at_most_the_rate(client, site_home, settings):
    fast = BeaconFastPath(_Django())
    started = time.monotonic()
    statuses = [_call(fast, _environ(_json()))[0][:3] for _ in range(300)]
    limit = settings.ANALYTICS_BEACONS_PER_MINUTE
    # A minute's worth at once, then the bucket refills at the rate while the test runs.
    refilled = int((time.monotonic() - started) * limit / 60) + 1
    assert limit <= statuses.count("204") <= limit + refilled
    assert statuses.count("429") == 300 - statuses.count("204")
    assert PageView.objects.count() == statuses.count("204")


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
            max_leaves=20,
        ).map(lambda value: json.dumps(value).encode()),
        st.fixed_dictionaries(
            {
                "p": st.one_of(
                    st.text(max_size=80), st.sampled_from(["/fr/", "/en/", "/fr/\ud800"])
                ),
                "r": st.one_of(st.none(), st.text(max_size=80), st.integers()),
                "w": st.one_of(st.integers(), st.floats(), st.text(max_size=10), st.none()),
                "l": st.one_of(st.text(max_size=10), st.none()),
            }
        ).map(lambda value: json.dumps(value).encode("utf-8", "surrogatepass")),
    )
)
def test_any_body_gets_the_same_answer_from_both_paths_never_an_error(body):
    from csce.analytics.collection import beacon_rates_forget

    beacon_rates_forget()
    answers = _both(Client(raise_request_exception=False), body)
    assert _same_answer(answers) in (204, 400)
    for view in PageView.objects.all():
        assert view.path.startswith("/")
        assert view.path.isprintable()
