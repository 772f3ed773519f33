"""The Wagtail admin under the site's strict Content-Security-Policy (policy M).

Scripts may come only from 'self' or carry the request's nonce, in the admin too. Wagtail's
inline initialisers are replaced by inert markers (csce/common/templates/, wagtail_hooks.py,
static/common/js/admin-strict-csp.js): these tests check in Chromium that no screen breaks
the policy and that the widgets those scripts used to set up still work.
"""

from __future__ import annotations

import io
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from csce.accounts.roles import COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF

from .helpers import (
    LANGUAGES,
    axe_violations,
    csp_violations_listen,
    manage_shell,
    staff_account_create,
)

REPO = Path(__file__).resolve().parents[2]

# Reports → Access log (csce/audit): the list, the list filtered, the chain check. Its
# export links are followed by test_access_log_for_the_privacy_officer (they download).
ACCESS_LOG_SCREENS = [
    "/admin/access-log/",
    "/admin/access-log/?action=sign_in&created_at_from=2020-01-01&created_at_to=2099-12-31",
    "/admin/access-log/verify/",
]

SCREENS = [
    "/admin/",
    "/admin/pages/",
    "/admin/images/",
    "/admin/images/multiple/add/",
    "/admin/documents/",
    "/admin/documents/multiple/add/",
    "/admin/users/",
    "/admin/users/new/",
    "/admin/groups/new/",
    "/admin/account/",
    "/admin/locales/",
    "/admin/sites/",
    "/admin/workflows/add/",
    "/admin/redirects/add/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/localize/reports/translations/",
    "/admin/settings/pages/centresettings/1/",
    *ACCESS_LOG_SCREENS,
    # Inboxes (csce/submissions), filtered too: the superuser sees every inbox (break-glass).
    "/admin/inboxes/",
    "/admin/inboxes/?status=new&overdue=1",
]


# Each inert marker must have become a working widget: a date/time picker on its input, a
# chooser object on its chooser element.
UNINITIALISED_MARKERS = """() => Array.from(document.querySelectorAll("script[data-csce-init]"))
    .filter((marker) => {
        const name = marker.dataset.csceInit;
        const id = marker.dataset.csceId;
        if (/^init(Date|Time|DateTime)Chooser$/.test(name)) {
            return !jQuery(document.getElementById(id)).data("xdsoft_datetimepicker");
        }
        if (/Chooser$/.test(name) && name !== "createTaskChooser") {
            return !(document.getElementById(`${id}-chooser`) || {}).widget;
        }
        return false;
    })
    .map((marker) => `${marker.dataset.csceInit} ${marker.dataset.csceId}`)"""


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"manage.py {args[0]} failed: {result.stderr[-2000:]}")
    return result.stdout


@pytest.fixture(scope="module")
def staff_user(site_server):
    return staff_account_create(site_server, prefix="csp")


@pytest.fixture(scope="module")
def home_page_id(site_server) -> int:
    out = _manage(
        site_server["env"],
        "shell",
        "--verbosity",
        "0",
        "--command",
        "from wagtail.models import Site; "
        "print(Site.objects.get(is_default_site=True).root_page_id)",
    )
    return int(out.split()[-1])


@pytest.fixture(scope="module")
def admin_context(browser, site_server, staff_user):
    """One signed-in browser session for the module (signing in is not what is tested)."""
    from .helpers import mfa_sign_in

    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    mfa_sign_in(page, staff_user[0], staff_user[1], {})  # password, then TOTP enrolment
    page.close()
    yield context
    context.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """Every CSP violation that the `admin` page reports, in this test."""
    return []


@pytest.fixture
def admin(admin_context, csp_violations):
    page = admin_context.new_page()
    page.set_default_timeout(15_000)
    csp_violations_listen(page, csp_violations)
    # Leaving a form with unsaved changes asks for confirmation: say yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    page.close()


def _open(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    assert page.evaluate(UNINITIALISED_MARKERS) == [], f"widgets left uninitialised on {path}"


def test_admin_pages_are_served_without_unsafe_inline_scripts(admin):
    response = admin.goto("/admin/")
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "sha256-" not in script_src


def test_admin_screens_keep_the_policy(admin, csp_violations):
    for path in SCREENS:
        _open(admin, path)
        assert csp_violations == [], f"{path}: {csp_violations}"


def test_date_filter_of_the_page_explorer(admin, csp_violations, home_page_id):
    _open(admin, f"/admin/pages/{home_page_id}/")
    admin.locator("#filters-drilldown button:has(.icon-sliders)").click()
    admin.locator("[aria-controls='drilldown-id_latest_revision_created_at']").click()
    date_from = admin.locator("#id_latest_revision_created_at_0")
    date_from.click()
    picker = admin.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    picker.locator(".xdsoft_date:not(.xdsoft_disabled)").first.click()
    expect(date_from).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    admin.wait_for_load_state("networkidle")  # the listing refreshes with the filter
    assert csp_violations == []


def test_centre_settings_add_opening_hours_and_footer_link(admin, csp_violations):
    _open(admin, "/admin/settings/pages/centresettings/1/")

    # InlinePanel: "Add" clones the empty form, whose time inputs get their chooser.
    index = int(admin.input_value("#id_opening_hours-TOTAL_FORMS"))
    admin.locator("#id_opening_hours-ADD").click()
    opens = admin.locator(f"#id_opening_hours-{index}-opens")
    expect(opens).to_be_visible()
    opens.click()
    picker = admin.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    picker.locator(".xdsoft_time.xdsoft_current").click()
    expect(opens).to_have_value(re.compile(r"^\d{2}:\d{2}$"))
    assert admin.input_value("#id_opening_hours-TOTAL_FORMS") == str(index + 1)

    # A new footer link's page chooser opens its modal and takes the chosen page.
    index = int(admin.input_value("#id_footer_links-TOTAL_FORMS"))
    admin.locator("#id_footer_links-ADD").click()
    chooser = admin.locator(f"#id_footer_links-{index}-page-chooser")
    expect(chooser).to_be_visible()
    chooser.locator("[data-chooser-action-choose]").first.click()
    choice = admin.locator(".modal a.choose-page").first
    expect(choice).to_be_visible()
    title = choice.get_attribute("data-title")
    choice.click()
    expect(chooser.locator("[data-chooser-title]")).to_have_text(title)
    assert admin.input_value(f"#id_footer_links-{index}-page") != ""
    assert admin.evaluate(UNINITIALISED_MARKERS) == []
    assert csp_violations == []


def test_image_upload_and_focal_point_screen(admin, csp_violations):
    png = io.BytesIO()  # a colour of its own, or Wagtail asks about a duplicate
    Image.new("RGB", (80, 60), tuple(secrets.token_bytes(3))).save(png, "PNG")
    _open(admin, "/admin/images/multiple/add/")
    upload = {"name": "csp.png", "mimeType": "image/png", "buffer": png.getvalue()}
    admin.set_input_files("#fileupload", files=[upload])
    form = admin.locator("#upload-list form[action*='/admin/images/multiple/']")
    expect(form).to_have_count(1)
    image_id = re.search(r"/multiple/(\d+)/", form.get_attribute("action")).group(1)
    _open(admin, f"/admin/images/{image_id}/")  # Jcrop's touch test must not trip the policy
    assert csp_violations == []


def test_create_a_page_and_translate_it(admin, csp_violations, home_page_id):
    # A draft only: the public site and its sitemap stay as the other tests expect them.
    _open(admin, f"/admin/pages/add/pages/standardpage/{home_page_id}/")
    title = f"Vérification CSP {secrets.token_hex(3)}"
    admin.fill("#id_title", title)
    admin.locator("[data-contentpath='body'] button.c-sf-add-button").first.click()
    admin.locator("[role=option]:has(.icon-pilcrow)").click()  # the paragraph block
    editor = admin.locator("[data-contentpath='body'] [contenteditable=true]").first
    expect(editor).to_be_visible()
    editor.fill("Un paragraphe.")
    admin.locator("form button.action-save").first.click()
    admin.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page_id = re.search(r"/admin/pages/(\d+)/edit/", admin.url).group(1)
    assert admin.locator("#id_title").input_value() == title

    # wagtail_localize: its inline scripts run by nonce; the translation editor loads.
    _open(admin, f"/admin/localize/submit/page/{page_id}/")
    locales = admin.locator("input[name=locales]")
    assert locales.count() >= 1
    select_all = admin.locator("input[type=checkbox][name=select_all]")
    if select_all.count():  # shown from two target locales on
        select_all.check()
    else:
        locales.first.check()
    for i in range(locales.count()):
        expect(locales.nth(i)).to_be_checked()
    admin.locator("form input[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert admin.url.split("/")[-3] != page_id
    expect(admin.locator(".js-translation-editor > *").first).to_be_attached()
    assert admin.evaluate("typeof window.chooserUrls") == "object"
    assert csp_violations == []


def test_preview_panel_shows_the_page(admin, csp_violations, home_page_id):
    _open(admin, f"/admin/pages/{home_page_id}/edit/")
    admin.locator("button[data-side-panel-toggle='preview']").click()
    heading = admin.frame_locator("#w-preview-iframe").locator("h1").first
    expect(heading).to_be_visible(timeout=10_000)
    assert csp_violations == []


def _role_page(staff_context, csp_violations, *, role: str, language: str, locale: str):
    """An account of ``role`` that prefers ``language``, signed in with its second factor
    (once per session, see ``staff_context``), in a browser that asks for the other
    language, on the dashboard. Returns (context, page)."""
    context = staff_context(role=role, language=language, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations_listen(page, csp_violations)
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))  # still signed in: no sign-in, no second factor
    return context, page


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_access_log_for_the_privacy_officer(staff_context, csp_violations, language, locale):
    context, page = _role_page(
        staff_context, csp_violations, role=PRIVACY_OFFICER, language=language, locale=locale
    )
    try:
        # Reached the way staff reach it: Reports, then Access log, in the sidebar.
        reports = re.compile(r"^\s*(Rapports|Reports)\s*$")
        page.locator("#wagtail-sidebar button", has_text=reports).click()
        page.locator("#wagtail-sidebar a[href='/admin/access-log/']").click()
        page.wait_for_url(re.compile(r"/admin/access-log/$"))
        for path in ACCESS_LOG_SCREENS:
            _open(page, path)
            assert page.locator("html").get_attribute("lang") == language, path
            assert csp_violations == [], f"{path}: {csp_violations}"
            assert axe_violations(page) == [], path

        # The export links keep the filters and download a file, without breaking the policy.
        for export in ("xlsx", "csv"):
            _open(page, ACCESS_LOG_SCREENS[1])
            page.locator("header [data-w-dropdown-target='toggle']").first.click()
            link = page.locator(f"a[href*='export={export}']")
            assert "action=sign_in" in link.get_attribute("href")
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename.startswith("access-log-")
            assert download.value.suggested_filename.endswith(f".{export}")
        assert csp_violations == []
    finally:
        context.close()


SESSION_ID = """
from csce.submissions.models import ProgramSession
print("SESSION", ProgramSession.objects.filter(page__locale__language_code="fr").first().pk)
"""


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_program_staff_read_their_rosters_and_not_the_access_log(
    site_server, staff_context, csp_violations, language, locale
):
    """Program staff: registrations per session and a session's roster (policy F: only
    their own programs), in their language, axe clean under the CSP; the access log
    answers them 403."""
    out = _manage(site_server["env"], "shell", "--verbosity", "0", "--command", SESSION_ID)
    session_id = int(out.split()[-1])
    context, page = _role_page(
        staff_context, csp_violations, role=PROGRAM_STAFF, language=language, locale=locale
    )
    try:
        for path in ("/admin/inboxes/programs/", f"/admin/inboxes/programs/sessions/{session_id}/"):
            _open(page, path)
            assert page.locator("html").get_attribute("lang") == language, path
            assert axe_violations(page) == [], path
        response = page.goto("/admin/access-log/")
        assert response.status == 403
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert csp_violations == []
        assert axe_violations(page) == []
    finally:
        context.close()


SUBMISSION_CREATE = """
import datetime
from django.utils import timezone
from csce.submissions.models import InquiryPage, Submission, SurveyPage
page = InquiryPage.objects.filter(locale__language_code="fr").first()
item = Submission.objects.create(
    page=page, form_title=page.title, kind="inquiry", inbox_id=page.inbox_id, language="fr",
    expires_at=timezone.now() + datetime.timedelta(days=30),
    due_at=timezone.now() - datetime.timedelta(days=1),
    answers=[{"name": "nom", "label": "Nom", "field_type": "singleline",
              "data_class": "personal", "value": "<b>Marie</b> Tremblay"}],
)
survey = SurveyPage.objects.filter(locale__language_code="fr").first()
print("IDS", item.pk, survey.pk)
"""


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_inbox_screens_for_a_member_of_the_inbox(
    site_server, staff_context, csp_violations, language, locale
):
    """Communications reads its inbox: list, overdue filter, the item with a note added,
    the survey's results. Every screen in the member's language, axe clean, CSP kept."""
    from csce.accounts.roles import COMMUNICATIONS

    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SUBMISSION_CREATE],
        cwd=REPO,
        env=site_server["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("IDS "))
    item_id, survey_id = line.split()[1:]
    context, page = _role_page(
        staff_context, csp_violations, role=COMMUNICATIONS, language=language, locale=locale
    )
    try:
        for path in (
            "/admin/inboxes/",
            "/admin/inboxes/?overdue=1",
            f"/admin/inboxes/{item_id}/",
            f"/admin/inboxes/surveys/{survey_id}/results/",
        ):
            _open(page, path)
            assert page.locator("html").get_attribute("lang") == language, path
            assert axe_violations(page) == [], path
        _open(page, f"/admin/inboxes/{item_id}/")
        assert "<b>Marie</b> Tremblay" in page.locator("main").inner_text()  # shown, escaped
        page.locator("textarea[name='text']").fill("Rappeler demain")
        page.locator("textarea[name='text']").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
        page.wait_for_load_state("networkidle")
        assert "Rappeler demain" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()


ROLE_REQUEST_CREATE = """
import secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from csce.accounts.models import RoleRequest
from csce.accounts.roles import PRIVACY_OFFICER
name = "demandeur-" + secrets.token_hex(3)
grantee = get_user_model().objects.create_user(username=name, first_name="Agente", last_name=name)
RoleRequest.objects.create(user=grantee, group=Group.objects.get(name=PRIVACY_OFFICER))
print("GRANTEE", grantee.pk)
"""


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_the_aed_approves_a_role_request(
    site_server, staff_context, csp_violations, language, locale
):
    """Settings › Role requests: the AED sees a request in their language, axe clean under
    the CSP, and approves it (policy R, F)."""
    from csce.accounts.roles import AED

    out = _manage(site_server["env"], "shell", "--verbosity", "0", "--command", ROLE_REQUEST_CREATE)
    assert "GRANTEE" in out
    context, page = _role_page(
        staff_context, csp_violations, role=AED, language=language, locale=locale
    )
    try:
        _open(page, "/admin/role-requests/")
        assert page.locator("html").get_attribute("lang") == language
        assert axe_violations(page) == []
        approve = re.compile(r"^\s*(Approuver|Approve)")
        page.locator("button", has_text=approve).first.click()
        page.wait_for_url(re.compile(r"/admin/role-requests/$"))
        page.wait_for_load_state("networkidle")
        assert page.locator(".messages").count() == 1
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()


FAILED_MESSAGE_CREATE = """
from django.core.mail import EmailMessage
from csce.outbox.models import OutboxMessage
from csce.outbox.services import message_enqueue
row = message_enqueue(
    message=EmailMessage(subject="Essai", body="Corps", to=["personne@example.org"]),
    kind="test.failed",
    language="fr",
)
OutboxMessage.objects.filter(pk=row.pk).update(
    state="failed", attempts=6, last_error="TimeoutError"
)
"""

INVITATION_CREATE = """
import secrets
from django.contrib.auth import get_user_model
from csce.accounts.invitations import staff_invitation_create
name = "invitee-" + secrets.token_hex(3)
user = get_user_model().objects.create_user(username=name, email=name + "@example.org")
user.set_unusable_password()
user.save()
print("TOKEN", staff_invitation_create(user=user, invited_by=None)[1])
"""


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_outgoing_e_mail_and_the_invitation_page_are_accessible(
    browser, site_server, staff_context, csp_violations, language, locale
):
    """Settings › Outgoing e-mail with a failed message, for the Technical administrator,
    and the page where an invited person chooses a password: in the reader's language, axe
    clean, under the CSP (policy M)."""
    from csce.accounts.roles import TECHNICAL_ADMIN

    _manage(site_server["env"], "shell", "--verbosity", "0", "--command", FAILED_MESSAGE_CREATE)
    context, page = _role_page(
        staff_context, csp_violations, role=TECHNICAL_ADMIN, language=language, locale=locale
    )
    try:
        _open(page, "/admin/outbox/")
        assert page.locator("html").get_attribute("lang") == language
        assert "personne@example.org" not in page.content()  # recipients are masked
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()

    out = _manage(site_server["env"], "shell", "--verbosity", "0", "--command", INVITATION_CREATE)
    token = re.search(r"TOKEN (\S+)", out).group(1)
    context = browser.new_context(base_url=site_server["url"], locale=locale)
    page = context.new_page()
    try:
        response = page.goto(f"/admin/invitation/{token}/")
        assert response is not None
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("input[type=password]").count() >= 1
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_communications_writes_a_site_alert_in_the_admin(
    staff_context, csp_violations, site_server, language, locale
):
    """Policy P2, C: the alerts' list and form are usable and axe clean in each language,
    and an alert written there is listed as live."""
    context, page = _role_page(
        staff_context, csp_violations, role=COMMUNICATIONS, language=language, locale=locale
    )
    text = f"Fermeture pour tempête ({language})"
    try:
        _open(page, "/admin/site-alerts/")
        assert axe_violations(page) == [], "alerts list"
        page.locator("a[href='/admin/site-alerts/add/']").first.click()
        page.wait_for_url(re.compile(r"/admin/site-alerts/add/$"))
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], "new alert form"
        page.locator("#id_kind").select_option("closure")
        page.locator("#id_text_fr").fill(text)
        page.locator("#id_text_en").fill(f"Closed for the storm ({language})")
        page.locator("#id_ends_at").fill("2099-01-01 18:30")
        page.locator("#id_ends_at").press("Escape")
        page.locator("button.action-save").first.click()
        page.wait_for_url(re.compile(r"/admin/site-alerts/$"))
        row = page.locator("table tbody tr", has_text=text)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("En ligne" if language == "fr" else "Live")
        assert axe_violations(page) == [], "alerts list with an alert"
        assert csp_violations == []
    finally:
        page.close()
        context.close()
        manage_shell(
            site_server,
            "from csce.pages.models import SiteAlert; "
            f"[a.delete() for a in SiteAlert.objects.filter(text_fr={text!r})]",
        )
