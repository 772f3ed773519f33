"""The public site in a real browser: languages, keyboard, accessibility, privacy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import AXE_OPTIONS, FORM_URLS, REPO, free_port


def _sitemap_paths(base_url: str) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/sitemap.xml") as response:
        body = response.read().decode()
    return [urlparse(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)]


def _page_types(base_url: str) -> dict[str, str]:
    """One path per page type and language, found through the sitemap like a crawler."""
    found: dict[str, str] = {}
    for path in _sitemap_paths(base_url):
        with urllib.request.urlopen(f"{base_url}{path}") as response:
            html = response.read().decode()
        match = re.search(r'<body class="page-type-(\w+)"', html)
        assert match, f"{path} does not say its page type"
        found.setdefault(f"{path[:3]}{match.group(1)}", path)
    return found


@pytest.fixture(scope="module")
def every_page_type(site_server):
    paths = _page_types(site_server["url"])
    for language in ("/fr", "/en"):
        suffix = "recherche/?q=sant%C3%A9" if language == "/fr" else "search/?q=health"
        paths[f"{language}search"] = f"{language}/{suffix}"
        paths[f"{language}404"] = f"{language}/no-such-page/"
        # More query fields than Django accepts: the site's own 400 page.
        search = suffix.split("?")[0]
        paths[f"{language}400"] = f"{language}/{search}?" + "&".join(["q=a"] * 1001)
    return paths


def test_home_in_french_and_english(page):
    page.goto("/")
    assert page.url.endswith("/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.is_visible()
    page.goto("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to main content").count() == 1


def test_language_switch_keeps_the_page(page, site_server):
    page.goto("/fr/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link").nth(1).click()
    french_title = page.locator("h1").inner_text()
    french_path = urlparse(page.url).path
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    assert urlparse(page.url).path.startswith("/en/")
    assert urlparse(page.url).path != "/en/", "the switcher must not fall back to the home page"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    assert urlparse(page.url).path == french_path
    assert page.locator("h1").inner_text() == french_title


def test_search_from_the_header(page):
    page.goto("/en/")
    page.get_by_role("searchbox", name="Search the site").first.fill("mental health")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/**")
    results = page.locator(".search-results li")
    assert results.count() >= 1
    assert "/en/" in results.first.locator("a").get_attribute("href")


def test_keyboard_only_reaches_the_footer_with_visible_focus(page):
    page.goto("/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    footer_link_reached = False
    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                  inFooter: !!el.closest('footer'),
                  outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                  shadow: style.boxShadow !== 'none',
                };
            }"""
        )
        assert state["outline"] or state["shadow"], "every focused element shows its focus"
        if state["inFooter"]:
            footer_link_reached = True
            break
    assert footer_link_reached


def test_every_page_type_has_no_axe_violation_in_both_languages(
    browser, site_server, every_page_type
):
    axe = Axe()
    failures = {}
    context = browser.new_context(base_url=site_server["url"])
    page = context.new_page()
    for name, path in sorted(every_page_type.items()):
        page.goto(path)
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[f"{name} {path}"] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]
            ]
    context.close()
    kinds = {name[3:] for name in every_page_type}
    assert len(kinds) >= 8, f"expected every page type, found {sorted(kinds)}"
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


@pytest.mark.parametrize(
    ("locale", "title"), [("fr-CA", "Formulaire expiré"), ("en-CA", "Form expired")]
)
def test_the_csrf_failure_page_has_no_axe_violation(browser, site_server, locale, title):
    context = browser.new_context(base_url=site_server["url"], locale=locale)
    page = context.new_page()
    page.goto("/admin/login/")
    context.clear_cookies()  # the CSRF cookie is gone, as after a long pause
    page.locator('input[name="username"]').fill("personne")
    page.locator('input[name="password"]').fill("une phrase de passe")
    with page.expect_navigation():
        page.locator('form button[type="submit"]').first.click()
    assert page.locator("h1").inner_text() == title
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
    ]
    context.close()
    assert not violations, violations


def test_public_pages_request_nothing_from_another_host_and_set_no_cookie(
    browser, site_server, every_page_type
):
    own = urlparse(site_server["url"]).netloc
    context = browser.new_context(base_url=site_server["url"])
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for path in sorted(every_page_type.values()):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    foreign = [url for url in requests if urlparse(url).netloc not in (own, "")]
    assert requests, "the listener saw no request at all"
    assert not [u for u in foreign if not u.startswith("data:")], foreign
    assert context.cookies() == []
    storage = page.evaluate("[localStorage.length, sessionStorage.length]")
    assert storage == [0, 0]
    context.close()


def test_make_run_server_serves_the_french_home(site_server):
    """`manage.py serve` is what `make run` executes: it migrated, loaded the demo and serves."""
    with urllib.request.urlopen(f"{site_server['url']}/fr/") as response:
        html = response.read().decode()
    assert response.status == 200
    assert '<html lang="fr">' in html
    assert "Centre de santé communautaire de l" in html
    # Static files are served with hashed names by whitenoise (collectstatic ran).

    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "stylesheet is not served under a hashed name"
    with urllib.request.urlopen(f"{site_server['url']}{css.group(1)}") as response:
        assert "max-age=315360000" in response.headers["Cache-Control"]


def test_running_make_run_again_keeps_the_existing_content(site_server):
    """Loading the demo again finds the content and loads nothing; a second `make run` on
    the same data folder refuses at once, naming the running one, and the first goes on
    serving the same pages."""
    env = {**site_server["env"], "PORT": str(free_port())}
    before = sorted(_sitemap_paths(site_server["url"]))
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_content"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Existing content found" in result.stdout, result.stderr
    second = subprocess.run(
        [sys.executable, "manage.py", "serve"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode != 0
    assert str(site_server["data_dir"].resolve()) in second.stderr, second.stderr
    assert "déjà" in second.stderr  # in French, as the rest of the command line
    assert sorted(_sitemap_paths(site_server["url"])) == before


PROTECT = """
from wagtail.models import PageViewRestriction
from csce.pages.models import ServicePage
for language in ("fr", "en"):
    page = ServicePage.objects.live().filter(locale__language_code=language).first()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="jardin-des-saules"
    )
    print("PAGE", language, page.url)
"""

WRONG_PASSWORD = {
    "fr": "Ce mot de passe n’est pas le bon.",
    "en": "This password is not the right one.",
}

UNPROTECT = """
from wagtail.models import PageViewRestriction
PageViewRestriction.objects.filter(password="jardin-des-saules").delete()
"""


def test_a_page_protected_by_a_password_opens_by_keyboard_in_both_languages(browser, site_server):
    """The password form of a protected page: axe clean, a wrong password said in the
    visitor's language next to the field, the right one opens the page (keyboard only)."""
    from .helpers import manage_shell

    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command", PROTECT],
        cwd=REPO,
        env=site_server["env"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = dict(re.findall(r"PAGE (\w+) (\S+)", out))
    try:
        for language, path in sorted(pages.items()):
            context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
            page = context.new_page()
            try:
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language
                field = page.locator("input[name=password]")
                assert field.count() == 1
                assert Axe().run(page, options=AXE_OPTIONS).violations_count == 0
                field.focus()
                page.keyboard.type("pas-le-bon")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                assert page.locator("input[name=password]").count() == 1
                assert WRONG_PASSWORD[language] in page.content()
                assert Axe().run(page, options=AXE_OPTIONS).violations_count == 0
                page.locator("input[name=password]").focus()
                page.keyboard.type("jardin-des-saules")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                page.wait_for_load_state()
                assert page.locator("input[name=password]").count() == 0
                assert page.locator("main#main").count() == 1
            finally:
                context.close()
    finally:
        manage_shell(site_server, UNPROTECT)


# --- Phone: the menu behind one button, 44 px touch targets (docs/accessibility.md) ------

PHONE = {"width": 375, "height": 667}
MIN_TARGET = 44

# Every visible link and control smaller than 44 × 44 px, except a link inside running
# text (WCAG 2.5.5 exempts it): a link in <main> whose block holds more text than the
# link. A checkbox or radio counts with its label, which also toggles it. The honeypot
# field is hidden from people and left out.
SMALL_TARGETS = """
(minimum) => {
  const inRunningText = (el) => {
    if (el.tagName !== 'A' || !el.closest('main')) return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const small = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.form-honeypot') || !el.checkVisibility({visibilityProperty: true})) continue;
    let {left, top, right, bottom} = el.getBoundingClientRect();
    if (right - left === 0 && bottom - top === 0) continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels) {
      for (const label of el.labels) {
        const box = label.getBoundingClientRect();
        left = Math.min(left, box.left); top = Math.min(top, box.top);
        right = Math.max(right, box.right); bottom = Math.max(bottom, box.bottom);
      }
    }
    const width = right - left, height = bottom - top;
    if ((width < minimum - 0.5 || height < minimum - 0.5) && !inRunningText(el)) {
      const name = (el.textContent || el.name || el.type || '').trim().slice(0, 40);
      const size = `${Math.round(width)}×${Math.round(height)}`;
      small.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}
"""


def _phone_paths(every_page_type) -> dict[str, str]:
    return {
        **every_page_type,
        **{f"/{lang}form-{kind}": url for (kind, lang), url in FORM_URLS.items()},
    }


def test_on_a_phone_the_menu_is_folded_and_the_content_comes_first(browser, site_server):
    context = browser.new_context(base_url=site_server["url"], viewport=PHONE)
    page = context.new_page()
    for path, menu_name, button in (
        ("/fr/", "Menu principal", "Menu"),
        ("/en/", "Main menu", "Menu"),
    ):
        page.goto(path)
        menu = page.get_by_role("navigation", name=menu_name)
        links = menu.locator("a")  # folded, they are not in the accessibility tree
        assert links.count() >= 3
        assert not links.first.is_visible(), "the menu must be folded on a phone"
        heading = page.locator("main h1").first
        assert heading.bounding_box()["y"] + heading.bounding_box()["height"] <= PHONE["height"]
        # The <summary>: a button to assistive technologies, expanded or not by the browser.
        toggle = menu.locator("summary", has_text=button)
        assert toggle.is_visible()
        toggle.click()
        assert links.first.is_visible()
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            assert box["height"] >= MIN_TARGET
            assert box["width"] >= MIN_TARGET
        page.keyboard.press("Escape")
        assert not links.first.is_visible()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    context.close()


def test_the_phone_menu_opens_without_javascript(browser, site_server):
    context = browser.new_context(
        base_url=site_server["url"], viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/fr/")
    menu = page.get_by_role("navigation", name="Menu principal")
    assert not menu.locator("a").first.is_visible()
    menu.locator("summary", has_text="Menu").click()
    assert menu.locator("a").first.is_visible()
    menu.locator("a").nth(1).click()
    assert page.locator("main h1").first.is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_wide_screen_the_menu_shows_without_a_button(browser, site_server, javascript):
    context = browser.new_context(
        base_url=site_server["url"],
        viewport={"width": 1024, "height": 768},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.goto("/en/")
    menu = page.get_by_role("navigation", name="Main menu")
    assert menu.get_by_role("link").first.is_visible()
    assert not menu.locator("summary").is_visible()
    context.close()


def test_on_a_phone_every_link_and_control_is_a_44_px_target_and_axe_is_clean(
    browser, site_server, every_page_type
):
    axe = Axe()
    context = browser.new_context(base_url=site_server["url"], viewport=PHONE)
    page = context.new_page()
    small, violations, below_the_fold = {}, {}, []
    for name, path in sorted(_phone_paths(every_page_type).items()):
        page.goto(path)
        heading = page.locator("main h1").first.bounding_box()
        if heading["y"] + heading["height"] > PHONE["height"]:
            below_the_fold.append(f"{name} {path}")
        for state in ("closed", "open"):
            if state == "open":
                toggle = page.locator("details[data-menu] > summary")
                if not toggle.count():  # the 400 page shows the frame without menus
                    continue
                toggle.click()
            found = page.evaluate(SMALL_TARGETS, MIN_TARGET)
            if found:
                small[f"{name} {path} menu {state}"] = found
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                violations[f"{name} {path} menu {state}"] = [
                    (v["id"], [n["target"] for n in v["nodes"]][:3])
                    for v in results.response["violations"]
                ]
    context.close()
    assert {name[:3] for name in every_page_type} == {"/fr", "/en"}
    assert not below_the_fold, below_the_fold
    assert not small, json.dumps(small, indent=1, ensure_ascii=False)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)
