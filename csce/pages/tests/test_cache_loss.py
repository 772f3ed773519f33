"""A real server whose file cache loses its bookkeeping keys never serves a restricted page.

The server (gunicorn, the embedded default's file cache) runs in a process of its own for
the whole module; the cache's bookkeeping entries (everything but the cached pages) are
deleted from its folder the way a cull or a restart would lose them (policy M).
"""

from __future__ import annotations

import http.client
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings

from csce.common.testing import postgres_admin_url

MARKER = "Contenu-reserve-aux-membres"
SETTINGS = """
from csce.settings.test import *  # noqa: F403
from csce.settings import base

# The embedded default's file cache in DATA_DIR, and the page cache on.
CACHES = base.CACHES
PAGE_CACHE_SECONDS = 300
"""
SETUP = """
from wagtail.models import Site
from wagtail.rich_text import RichText
from csce.pages.models import StandardPage

root = Site.objects.get(is_default_site=True).root_page
for slug in ("avant", "apres"):
    body = [("paragraph", RichText("<p>MARKER</p>"))]
    page = StandardPage(title=f"Page {slug}", slug=slug, body=body)
    root.add_child(instance=page)
    page.save_revision().publish()
"""
REPUBLISH = """
from wagtail.models import Page
Page.objects.get(slug="SLUG").specific.save_revision().publish()
"""
# An editor's process, started once: Django starts in seconds on an idle machine, in tens
# on a loaded one, so each change is sent to it as a line instead of a new process.
EDITOR = """
import json, sys, traceback
import django
django.setup()
print(json.dumps("ready"), flush=True)
for line in sys.stdin:
    try:
        exec(json.loads(line), {})
        print(json.dumps("done"), flush=True)
    except Exception:
        print(json.dumps(traceback.format_exc()), flush=True)
"""
RESTRICT = """
from wagtail.models import Page, PageViewRestriction
PageViewRestriction.objects.create(
    page=Page.objects.get(slug="SLUG"), restriction_type=PageViewRestriction.LOGIN
)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_copy(template: dict, folder: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not template["postgres"]:
        shutil.copyfile(template["name"], folder / "db.sqlite3")
        return f"sqlite:///{folder / 'db.sqlite3'}"
    import psycopg

    name = f"{template['name']}_cache_loss"
    with psycopg.connect(postgres_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template["name"]}"')
    from urllib.parse import urlparse

    return urlparse(url)._replace(path=f"/{name}").geturl()


def _database_drop(template: dict) -> None:
    if not template["postgres"]:
        return
    import psycopg

    with psycopg.connect(postgres_admin_url(os.environ["DATABASE_URL"]), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template["name"]}_cache_loss" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(tmp_path_factory, _scratch_template):
    folder = tmp_path_factory.mktemp("cache-loss")
    (folder / "cache_loss_settings.py").write_text(SETTINGS)
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(settings.BASE_DIR)]),
        "DJANGO_SETTINGS_MODULE": "cache_loss_settings",
        "DATA_DIR": str(folder),
        "DATABASE_URL": _database_copy(_scratch_template, folder),
    }
    env.pop("REDIS_URL", None)
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "csce.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (folder / "server.log").read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        found = {"port": port, "editor": editor, "cache": folder / "cache"}
        assert json.loads(editor.stdout.readline()) == "ready"
        _edit(found, SETUP.replace("MARKER", MARKER))
        yield found
    finally:
        editor.stdin.close()
        editor.wait(timeout=20)
        process.terminate()
        process.wait(timeout=20)
        log.close()
        _database_drop(_scratch_template)


def _get(server, path: str) -> tuple[int, str]:
    # A loaded machine may take a while to start the worker before the first answer.
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _edit(server, code: str, slug: str = "") -> None:
    """An editor's change, made by another process than the server's, as in the admin."""
    editor = server["editor"]
    editor.stdin.write(json.dumps(code.replace("SLUG", slug)) + "\n")
    editor.stdin.flush()
    assert json.loads(editor.stdout.readline()) == "done"


def _page_entry(value) -> bool:
    """A cached page, or the list of request headers Django's cache keys are made from."""
    if isinstance(value, list):
        return all(isinstance(h, str) and h.startswith("HTTP_") for h in value)
    return hasattr(value, "status_code")


def _forget_bookkeeping(server) -> int:
    """Delete every cache entry but the cached pages, as a cull or a restart might: the
    generation, routes, menus, sites, restrictions..."""
    forgotten = 0
    for path in server["cache"].glob("*.djcache"):
        with path.open("rb") as f:
            pickle.load(f)  # noqa: S301 (the expiry time, in our own cache files)
            value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301 (our own cache files)
        if not _page_entry(value):
            path.unlink()
            forgotten += 1
    return forgotten


def test_cache_loss_before_a_restriction_never_serves_the_page(server):
    _forget_bookkeeping(server)
    _edit(server, REPUBLISH, "avant")  # a change: a new generation
    status, html = _get(server, "/fr/avant/")
    assert status == 200
    assert MARKER in html  # cached for anonymous visitors
    _forget_bookkeeping(server)
    _edit(server, RESTRICT, "avant")
    status, html = _get(server, "/fr/avant/")
    assert status == 302
    assert MARKER not in html


def test_cache_loss_after_a_restriction_never_serves_the_page(server):
    _forget_bookkeeping(server)
    status, html = _get(server, "/fr/apres/")
    assert status == 200
    assert MARKER in html
    _edit(server, RESTRICT, "apres")
    assert _get(server, "/fr/apres/")[0] == 302
    assert _forget_bookkeeping(server) > 0
    status, html = _get(server, "/fr/apres/")
    assert status == 302, "a page made login-restricted came back after the cache lost its keys"
    assert MARKER not in html
