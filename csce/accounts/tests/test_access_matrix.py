"""Each role sees exactly what docs/access-matrix.md says (policy R, F).

The URLs come from the URL conf, not from a hand list: a new admin view that the matrix
does not cover fails this test until the matrix says who may reach it.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.models import PolicyVersion
from csce.accounts.testing import user_edit_data
from csce.pages.models import SiteAlert
from csce.properties.factories import online_property_create

pytestmark = [pytest.mark.django_db, pytest.mark.policy_enforced]

MATRIX = Path(settings.BASE_DIR) / "docs" / "access-matrix.md"
SUPERUSER = "Superuser (break-glass)"
ROLES = [*roles.ROLE_LABELS, SUPERUSER]


@dataclass(frozen=True)
class AdminUrl:
    name: str
    params: tuple[str, ...]


def _admin_urls() -> list[AdminUrl]:
    found: list[AdminUrl] = []

    def walk(resolver, prefix: str, namespaces: list[str]) -> None:
        for pattern in resolver.url_patterns:
            path = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern, path, inner)
            elif isinstance(pattern, URLPattern) and path.startswith("admin/"):
                params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", path)
                # Unnamed patterns cannot be reversed: the matrix names them by path.
                name = ":".join([*namespaces, pattern.name]) if pattern.name else path
                found.append(
                    AdminUrl(
                        name=name,
                        params=tuple(a or b for a, b in params),
                    )
                )

    walk(get_resolver(), "", [])
    # Patterns sharing a name (e.g. settings with and without a site): the most specific.
    by_name: dict[str, AdminUrl] = {}
    for url in found:
        if url.name not in by_name or len(url.params) > len(by_name[url.name].params):
            by_name[url.name] = url
    return sorted(by_name.values(), key=lambda u: u.name)


def _table(heading: str) -> list[list[str]]:
    """The rows of the first markdown table after ``heading`` in the matrix."""
    text = MATRIX.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
    return rows


def _matrix() -> tuple[list[str], list[tuple[str, dict[str, int]]]]:
    header, *rows = _table("## Matrix")
    roles_in_doc = header[1:]
    return roles_in_doc, [
        (row[0], {role: int(cell) for role, cell in zip(roles_in_doc, row[1:], strict=True)})
        for row in rows
    ]


def _skips() -> list[tuple[str, str]]:
    _header, *rows = _table("## Not requested")
    return [(row[0], row[1]) for row in rows]


def _first_match(name: str, patterns):
    for item in patterns:
        if fnmatch.fnmatchcase(name, item[0]):
            return item
    return None


def _processor_pk() -> int:
    from django.apps import apps

    return apps.get_model("privacy", "Processor").objects.order_by("pk").first().pk


def _png() -> ContentFile:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (1, 1), "white").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="matrice.png")


def _inbox_objects() -> dict:
    """What the need-to-know URLs of the inboxes name: a registration to the program
    in the Program staff inbox, with an attached file, and a survey of the same inbox."""
    import datetime
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from csce.submissions.models import ProgramPage, Submission, SurveyFormField, SurveyPage
    from csce.submissions.programs.registration import registration_create
    from csce.submissions.uploads import UploadField, submission_files_store

    program = ProgramPage.objects.get(locale__language_code="fr")
    session = program.sessions.order_by("sort_order").first()
    submission = Submission.objects.create(
        page=program,
        form_title=program.title,
        kind=program.form_kind,
        inbox_id=program.inbox_id,
        expires_at=timezone.now() + datetime.timedelta(days=program.retention_days),
        answers=[
            {
                "name": "nom",
                "label": "Nom",
                "field_type": "singleline",
                "data_class": "personal",
                "value": "Personne Matrice",
            }
        ],
    )
    registration_create(submission=submission, session_id=session.pk)
    upload = SimpleUploadedFile("matrice.pdf", b"%PDF-1.7\n%%EOF\n")
    form = SimpleNamespace(fields={"piece": UploadField()}, cleaned_data={"piece": upload})
    [attached] = submission_files_store(submission=submission, form=form)
    survey = SurveyPage(
        title="Sondage matrice",
        slug="sondage-matrice",
        purpose="Améliorer nos services.",
        inbox=Group.objects.get(name=roles.PROGRAM_STAFF),
    )
    survey.form_fields = [
        SurveyFormField(label="Commentaires", field_type="multiline", data_class="personal")
    ]
    Page.objects.get(depth=2, locale__language_code="fr").add_child(instance=survey)
    survey.save_revision().publish()
    return {
        "pk:submissions_admin:detail": submission.pk,
        "pk:submissions_admin:close": submission.pk,
        "page_id:submissions_admin:export": program.pk,
        "page_id:submissions_admin:survey_results": survey.pk,
        "page_id:submissions_admin:survey_results_csv": survey.pk,
        "page_id:submissions_admin:survey_results_answers": survey.pk,
        "name:submissions_admin:survey_results_answers": "commentaires",
        "pk:submissions_admin:submission_file_download": attached.pk,
        "session_id:submissions_admin": session.pk,
    }


def _privacy_request_objects() -> dict:
    """A confirmed privacy request and a contact-form record of the same person, for the
    Privacy Officer's workspace (its detail and its correction screen)."""
    import datetime

    from django.utils import timezone

    from csce.common.crypto import blind_index
    from csce.privacy.deadlines import request_due_at
    from csce.privacy.models import PrivacyRequest
    from csce.submissions.models import InquiryPage, Submission

    address = "matrice@example.org"
    now = timezone.now()
    request = PrivacyRequest.objects.create(
        reference="DPR-MATRICE-1",
        kind="correction",
        email=address,
        email_index=blind_index(address),
        received_at=now,
        verified_at=now,
        due_at=request_due_at(verified_at=now),
    )
    contact = InquiryPage.objects.get(locale__language_code="fr")
    record = Submission.objects.create(
        page=contact,
        form_title=contact.title,
        kind=contact.form_kind,
        inbox_id=contact.inbox_id,
        expires_at=now + datetime.timedelta(days=contact.retention_days),
        email_index=blind_index(address),
        answers=[
            {
                "name": "courriel",
                "label": "Courriel",
                "field_type": "email",
                "data_class": "personal",
                "value": address,
            }
        ],
    )
    # An inquiry of the contact form's privacy topic, which the officer may convert.
    privacy_inquiry = Submission.objects.create(
        page=contact,
        form_title=contact.title,
        kind=contact.form_kind,
        inbox=Group.objects.get(name=roles.PRIVACY_OFFICER),
        expires_at=now + datetime.timedelta(days=contact.retention_days),
        answers=record.answers,
    )
    return {
        "submission_id:privacy_requests:convert": privacy_inquiry.pk,
        "pk:privacy_requests": request.pk,
        "source:privacy_requests:correct": "submissions",
        "object_id:privacy_requests:correct": str(record.pk),
    }


def _incident_scope_objects() -> dict:
    """A privacy breach in the register, whose people affected are looked for (csce/incidents)."""
    from csce.incidents.factories import incident_create

    return {"pk:incidents:scope": incident_create().pk}


def _incident_objects() -> dict:
    """A privacy breach in the incident register (csce/incidents), reported as staff would."""
    from csce.incidents.factories import incident_create

    return {"pk:incidents": incident_create().pk}


def _newsletter_objects() -> dict:
    """A draft campaign in both languages and a topic (csce/newsletter)."""
    from csce.newsletter.factories import campaign_create, topics_create

    topic = topics_create()[0]
    return {
        "pk:newsletter_campaigns": campaign_create(topics=[topic]).pk,
        "language:newsletter_campaigns": "fr",
        "pk:newsletter_topics": topic.pk,
    }


def _moderation_objects() -> dict:
    """A comment waiting for moderation on the French editorial page and a report of a
    concern about it (csce/moderation), written as the public forms write them."""
    from csce.moderation.factories import comment_create, report_create

    page = Page.objects.get(depth=2, locale__language_code="fr").get_children().first()
    comment = comment_create(page=page)
    return {
        "pk:moderation_admin:comment": comment.pk,
        "pk:moderation_admin:report": report_create().pk,
    }


def _security_audit_objects() -> dict:
    """A security audit whose checks ran (csce/audit)."""
    from csce.audit.factories import security_audit_create

    return {"pk:security_audits": security_audit_create().pk}


@pytest.fixture
def site_pages(site_home):
    """The pages the admin URLs name, in French and English: an editorial page (the home's
    first child), a contact form, a program under a services index; and the processors."""
    from csce.pages.factories import page_add
    from csce.pages.models import StandardPage
    from csce.privacy.factories import processors_create
    from csce.submissions.factories import (
        inquiry_page_create,
        program_page_create,
        services_index_create,
    )

    page_add(
        StandardPage,
        parent=site_home,
        title="À propos",
        slug="a-propos",
        translations={"en": {"title": "About", "slug": "about"}},
    )
    services = services_index_create(home=site_home)
    program_page_create(parent=services)
    inquiry_page_create(parent=site_home)
    processors_create()
    return site_home


@pytest.fixture
def objects(site_pages, django_user_model):
    """One existing object of each kind an admin URL may name."""
    home = Page.objects.get(depth=2, locale__language_code="fr").specific
    child = home.get_children().first()
    collection = Collection.get_first_root_node().add_child(name="Matrice")
    document = get_document_model().objects.create(
        title="Matrice", file=ContentFile(b"matrix", name="matrice.txt"), collection=collection
    )
    image = get_image_model().objects.create(
        title="Matrice", file=_png(), collection=collection, width=1, height=1
    )
    redirect = Redirect.objects.create(old_path="/ancienne-adresse", redirect_link="/fr/")
    alert = SiteAlert.objects.create(
        text_fr="Fermé le 25 décembre.",
        text_en="Closed on December 25.",
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    other = staff_user(username="autre", verified=False)
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    task = Task.objects.get(name=roles.WORKFLOW_NAME)
    online_property = online_property_create()
    return {
        "page_id": child.pk,
        "page_to_move_id": child.pk,
        "parent_page_id": home.pk,
        "page_pk": home.pk,
        "destination_id": home.pk,
        "revision_id": child.latest_revision_id,
        "content_type_app_name": "pages",
        "content_type_model_name": "standardpage",
        "collection_id": collection.pk,
        "document_id": document.pk,
        "doc_id": document.pk,
        "image_id": image.pk,
        "filter_spec": "original",
        "redirect_id": redirect.pk,
        "workflow_pk": workflow.pk,
        "task_id": task.pk,
        # ``pk`` and the generic names depend on the namespace of the view.
        "pk:wagtailadmin_collections": collection.pk,
        "pk:wagtailadmin_workflows:edit": workflow.pk,
        "pk:wagtailadmin_workflows:enable": workflow.pk,
        "pk:wagtailadmin_workflows:disable": workflow.pk,
        "pk:wagtailadmin_workflows:usage": workflow.pk,
        "pk:wagtailadmin_workflows:usage_results": workflow.pk,
        "pk:wagtailadmin_workflows:edit_task": task.pk,
        "pk:wagtailadmin_workflows:enable_task": task.pk,
        "pk:wagtailadmin_workflows:disable_task": task.pk,
        "pk:wagtailadmin_pages": child.pk,
        "pk:wagtailadmin_api:pages": child.pk,
        "pk:wagtailadmin_api:documents": document.pk,
        "pk:wagtailadmin_api:images": image.pk,
        "pk:wagtaildocs_chooser": document.pk,
        "pk:wagtailimages_chooser": image.pk,
        "app_label:wagtailadmin_pages": "pages",
        "model_name:wagtailadmin_pages": "standardpage",
        "app_name:wagtailadmin_tag_model_autocomplete": "wagtaildocs",
        "model_name:wagtailadmin_tag_model_autocomplete": "document",
        "pk:policy_versions": PolicyVersion.objects.first().pk,
        # The online-property registry (csce/properties): one property.
        "pk:properties": online_property.pk,
        "pk:properties_review": online_property.pk,
        # The processors register (csce/privacy): a processor.
        "pk:wagtailsnippets_privacy_processor": _processor_pk(),
        "pk:wagtailsnippetchoosers_privacy_processor": _processor_pk(),
        # The site alerts (csce/pages): one, public text.
        "pk:wagtailsnippets_pages_sitealert": alert.pk,
        "pk:wagtailsnippetchoosers_pages_sitealert": alert.pk,
        "pk:wagtailsettings": Site.objects.get(is_default_site=True).pk,
        "pk:wagtailsites": Site.objects.get(is_default_site=True).pk,
        "pk:wagtaillocales": Locale.objects.get(language_code="en").pk,
        "pk:wagtailusers_users": other.pk,
        "pk:wagtailusers_groups": Group.objects.get(name=roles.PROGRAM_STAFF).pk,
        "app_name:wagtailsettings": "pages",
        "model_name:wagtailsettings": "centresettings",
        "app_label:wagtailadmin_workflows": "wagtailcore",
        "model_name:wagtailadmin_workflows": "groupapprovaltask",
        "revision_id_a:wagtailadmin_pages": "earliest",
        "revision_id_b:wagtailadmin_pages": "latest",
        **_newsletter_objects(),
        **_inbox_objects(),
        **_privacy_request_objects(),
        **_incident_objects(),
        **_incident_scope_objects(),
        **_moderation_objects(),
        **_security_audit_objects(),
    }


def _value(objects: dict, url: AdminUrl, param: str):
    """The most specific value for ``param`` of ``url``: view, then namespace, then name."""
    parts = url.name.split(":")
    for depth in range(len(parts), 0, -1):
        key = f"{param}:{':'.join(parts[:depth])}"
        if key in objects:
            return objects[key]
    return objects.get(param)


def _resolve(objects: dict, url: AdminUrl) -> str | None:
    kwargs = {}
    for param in url.params:
        value = _value(objects, url, param)
        if value is None:
            return None
        kwargs[param] = value
    return reverse(url.name, kwargs=kwargs)


def test_the_matrix_names_every_role_and_nothing_else():
    roles_in_doc, _rows = _matrix()
    assert roles_in_doc == ROLES


def test_every_admin_url_is_in_the_matrix_or_explained():
    _roles, rows = _matrix()
    uncovered = [u.name for u in _admin_urls() if not _first_match(u.name, rows + _skips())]
    assert not uncovered, f"add these to docs/access-matrix.md: {uncovered}"


def test_every_skip_is_explained_and_still_exists():
    names = [u.name for u in _admin_urls()]
    namespaces = {name.split(":")[0] for name in names if ":" in name}
    for pattern, reason in _skips():
        assert reason, pattern
        if ":" in pattern and pattern.split(":")[0] not in namespaces:
            continue  # an app this deployment does not run has no URL to match
        assert fnmatch.filter(names, pattern), f"stale row in Not requested: {pattern}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_matrix_says(client, staff_user_make, objects, role):
    user = staff_user_make(superuser=True) if role == SUPERUSER else staff_user_make(role=role)
    staff_sign_in(client, user)
    _roles, rows = _matrix()
    skips = _skips()
    mismatches = []
    for url in _admin_urls():
        row = _first_match(url.name, rows)
        if row is None:
            assert _first_match(url.name, skips), f"{url.name} is not in the matrix"
            continue
        path = _resolve(objects, url)
        if path is None:
            mismatches.append(f"{url.name}: no object for {url.params}")
            continue
        expected = row[1][role]
        status = client.get(path).status_code
        if status != expected:
            mismatches.append(f"{url.name} {path}: expected {expected}, got {status}")
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)


def test_a_staff_member_without_a_role_cannot_reach_the_admin(client, staff_user_make):
    user = staff_user_make()
    staff_sign_in(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_new_home_pages_get_the_role_permissions_and_the_workflow(site_home):
    from wagtail.models import GroupPagePermission, WorkflowPage

    for home in Page.objects.filter(depth=2):
        granted = set(
            GroupPagePermission.objects.filter(page=home).values_list(
                "group__name", "permission__codename"
            )
        )
        expected = {
            (group, codename)
            for group, codenames in roles.ROLE_PAGE_PERMISSIONS.items()
            for codename in codenames
        }
        assert granted == expected
        assert WorkflowPage.objects.filter(page=home, workflow__name=roles.WORKFLOW_NAME).exists()


def test_only_the_aed_approves_in_the_workflow(db):
    task = Task.objects.get(name=roles.WORKFLOW_NAME).specific
    assert list(task.groups.values_list("name", flat=True)) == [roles.AED]


def test_wagtails_sample_groups_are_gone(db):
    assert not Group.objects.filter(name__in=roles.WAGTAIL_SAMPLE_GROUPS).exists()


def test_applying_the_roles_again_resets_each_group_to_the_matrix(db):
    from django.apps import apps
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=roles.PROGRAM_STAFF)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    roles.roles_apply(apps=apps)
    assert list(group.permissions.values_list("codename", flat=True)) == ["access_admin"]


def test_content_creators_cannot_publish_but_the_aed_can(site_home, staff_user_make):
    home = Page.objects.get(depth=2, locale__language_code="fr")
    creator = staff_user_make(role=roles.CONTENT)
    aed = staff_user_make(role=roles.AED)
    assert home.permissions_for_user(creator).can_edit()
    assert not home.permissions_for_user(creator).can_publish()
    assert home.permissions_for_user(aed).can_publish()
    assert get_user_model().objects.filter(pk=creator.pk, is_superuser=False).exists()


# --- Writes: who may change who sees personal data (policy R, F) ----------------------


def _writes() -> list[tuple[str, dict[str, bool]]]:
    header, *rows = _table("## Writes")
    roles_in_doc = header[1:]
    assert roles_in_doc == ROLES
    return [
        (row[0], {role: cell == "yes" for role, cell in zip(roles_in_doc, row[1:], strict=True)})
        for row in rows
    ]


def _user_form(user, *, groups, **extra) -> dict:
    return user_edit_data(user, group_ids=[group.pk for group in groups], **extra)


def _request_for_another(client, actor, make) -> bool:
    from csce.accounts.models import RoleRequest

    target = make()
    officer = Group.objects.get(name=roles.PRIVACY_OFFICER)
    client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]), _user_form(target, groups=[officer])
    )
    return (
        RoleRequest.objects.filter(user=target, group=officer, status="pending").exists()
        or target.groups.filter(pk=officer.pk).exists()
    )


def _give_to_oneself(client, actor, make) -> bool:
    from csce.accounts.models import RoleRequest

    wanted = (
        Group.objects.filter(name__in=[roles.PRIVACY_OFFICER, roles.PROGRAM_STAFF])
        .exclude(user=actor)
        .first()
    )
    client.post(
        reverse("wagtailusers_users:edit", args=[actor.pk]),
        _user_form(actor, groups=[*actor.groups.all(), wanted]),
    )
    return (
        actor.groups.filter(pk=wanted.pk).exists()
        or RoleRequest.objects.filter(user=actor, group=wanted).exists()
    )


def _approve(client, actor, make) -> bool:
    from csce.accounts.models import RoleRequest

    target = make()
    officer = Group.objects.get(name=roles.PRIVACY_OFFICER)
    request = RoleRequest.objects.create(
        user=target, group=officer, requested_by=make(role=roles.TECHNICAL_ADMIN)
    )
    client.post(reverse("accounts_role_request_decide", args=[request.pk, "approve"]))
    return target.groups.filter(pk=officer.pk).exists()


def _give_superuser(client, actor, make) -> bool:
    target = make()
    client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        _user_form(target, groups=[], is_superuser="on"),
    )
    target.refresh_from_db()
    return target.is_superuser


def _change_inbox(client, actor, make) -> bool:
    from django.test import Client
    from wagtail.test.utils.form_data import querydict_from_html

    from csce.submissions.models import ProgramPage

    page = ProgramPage.objects.get(locale__language_code="fr", inbox__name=roles.PROGRAM_STAFF)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    # The form as the browser shows it, read by a superuser: the role under test may
    # not even open the editor.
    reader = Client()
    staff_sign_in(reader, make(superuser=True))
    data = querydict_from_html(reader.get(url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    communications = Group.objects.get(name=roles.COMMUNICATIONS)
    data["inbox"] = str(communications.pk)
    client.post(url, data)
    page = Page.objects.get(pk=page.pk).specific
    return (
        page.inbox_id == communications.pk
        or page.get_latest_revision_as_object().inbox_id == communications.pk
    )


def _reply_to_an_inbox_item(client, actor, make) -> bool:
    """Policy F: a reply opens the item and writes to the person; only the item's inbox
    (Program staff here) and the break-glass superuser may, after the preview."""
    from csce.submissions.models import ProgramPage, Submission, SubmissionReply

    program = ProgramPage.objects.get(locale__language_code="fr")
    submission = Submission.objects.create(
        page=program,
        form_title=program.title,
        kind=program.form_kind,
        inbox=Group.objects.get(name=roles.PROGRAM_STAFF),
        expires_at=timezone.now() + datetime.timedelta(days=program.retention_days),
        answers=[
            {
                "name": "courriel",
                "label": "Courriel",
                "field_type": "email",
                "data_class": "personal",
                "value": "matrice@example.org",
            }
        ],
    )
    url = reverse("submissions_admin:detail", args=[submission.pk])
    previewed = client.post(url, {"action": "reply_preview", "body": "Réponse de la matrice."})
    context = getattr(previewed, "context", None)
    send_form = context.get("reply_form") if context and previewed.status_code == 200 else None
    seal = send_form["seal"].value() if send_form is not None else ""
    client.post(url, {"action": "reply", "body": "Réponse de la matrice.", "seal": seal})
    return SubmissionReply.objects.filter(submission=submission).exists()


def _desk_session():
    """The first session of the program sent to the Program staff inbox, with one person
    registered by a break-glass superuser (an address, so that messages have someone)."""
    from csce.submissions.models import ProgramPage, Registration
    from csce.submissions.programs.desk import DeskRegistrant, registration_by_hand

    # The French program (its inbox may have just been changed by the row above).
    page = ProgramPage.objects.get(locale__language_code="fr")
    session = page.sessions.select_related("page").order_by("starts_at").first()
    if not Registration.objects.filter(session=session).exists():
        registration_by_hand(
            session=session,
            person=DeskRegistrant(
                name="Personne Matrice",
                phone="613 555-0100",
                email="matrice@example.org",
                language="fr",
                channel="phone",
            ),
            staff=staff_user(superuser=True, verified=False),
        )
    return session


def _desk_register(client, actor, make) -> bool:
    from csce.submissions.models import Registration

    session = _desk_session()
    before = Registration.objects.count()
    client.post(
        reverse("submissions_admin:session_add", args=[session.pk]),
        {
            "name": "Appel Matrice",
            "phone": "613 555-0101",
            "language": "fr",
            "session": str(session.pk),
            "channel": "phone",
            "consent": "on",
        },
    )
    return Registration.objects.count() > before


def _desk_check_in(client, actor, make) -> bool:
    from csce.submissions.models import Registration

    session = _desk_session()
    registration = Registration.objects.filter(session=session).order_by("pk").first()
    registration.attended = None
    registration.save(update_fields=["attended"])
    client.post(
        reverse("submissions_admin:session_check_in", args=[session.pk]),
        {"registration": registration.pk, "attendance": "present"},
    )
    registration.refresh_from_db()
    return registration.attended is True


def _desk_message(client, actor, make) -> bool:
    from django.core import mail

    session = _desk_session()
    before = len(mail.outbox)
    client.post(
        reverse("submissions_admin:session_message", args=[session.pk]),
        {"subject_fr": "Rappel", "body_fr": "À bientôt.", "action": "send"},
    )
    return len(mail.outbox) > before


def _desk_move(client, actor, make) -> bool:
    session = _desk_session()
    start = timezone.localtime(session.starts_at) + datetime.timedelta(days=1)
    client.post(
        reverse("submissions_admin:session_reschedule", args=[session.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    session.refresh_from_db()
    return timezone.localtime(session.starts_at).date() == start.date()


def _desk_cancel(client, actor, make) -> bool:
    session = _desk_session()
    client.post(reverse("submissions_admin:session_cancel", args=[session.pk]), {"confirm": "on"})
    session.refresh_from_db()
    return session.cancelled_at is not None


def _send_campaign(client, actor, make) -> bool:
    """Policy P3, R: scheduling a newsletter campaign (for tomorrow), after its
    confirmation step; the task is only queued (database task backend)."""
    from django.test import override_settings

    from csce.newsletter.factories import campaign_create
    from csce.newsletter.models import Campaign, CampaignStatus

    campaign = campaign_create()
    at = timezone.localtime() + datetime.timedelta(days=1)
    tasks = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "newsletter"],
        }
    }
    with override_settings(TASKS=tasks):
        client.post(
            reverse("newsletter_campaigns:schedule", args=[campaign.pk]),
            {
                "step": "confirm",
                "when": "later",
                "at": at.replace(tzinfo=None).isoformat(timespec="minutes"),
                "confirm": "on",
            },
        )
    return Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SCHEDULED).exists()


def _mark_ipc_statistics_submitted(client, actor, make) -> bool:
    """O. Reg. 329/04 s.6.4: last year's statistics for the IPC marked submitted."""
    from csce.incidents.models import IpcAnnualReport

    year = timezone.localdate().year - 1
    client.post(reverse("incidents:ipc_statistics"), {"year": str(year)})
    return IpcAnnualReport.objects.filter(year=year).exists()


def _incident_status(client, actor, make) -> bool:
    """Policy P8, R: moving an incident through the register's workflow."""
    from csce.incidents.factories import incident_create
    from csce.incidents.models import Incident

    incident = incident_create()
    client.post(
        reverse("incidents:detail", args=[incident.pk]),
        {"action": "status", "status": "assessing"},
    )
    return Incident.objects.filter(pk=incident.pk, status="assessing").exists()


def _report_incident(client, actor, make) -> bool:
    """Policy R: any staff member reports an incident; it enters the register as theirs."""
    from csce.incidents.models import Incident

    client.post(
        reverse("incident_report:report"),
        {"kind": "security", "description": "Matrice : un mot de passe a été partagé."},
    )
    return Incident.objects.filter(reported_by=actor).exists()


def _notify_breach(client, actor, make) -> bool:
    """Policy P8, PHIPA s.12(2): sending a breach's notice to the people its scope found,
    after the confirmation page; the outbox delivers (locmem in the tests)."""
    from csce.common.registry import AffectedContact
    from csce.incidents.factories import incident_create
    from csce.incidents.models import BreachNotice, BreachScope
    from csce.incidents.notices import notice_draft_default
    from csce.incidents.testing import TARGET, scope_people

    incident = incident_create(data_categories=["contact"])
    incident.notice_text = notice_draft_default(incident=incident)
    incident.save()
    today = timezone.localdate()
    BreachScope.objects.create(incident=incident, targets=[TARGET], starts_on=today, ends_on=today)
    with scope_people() as people:
        people.append(
            AffectedContact(
                email="touchee@example.org",
                name="Personne Touchée",
                language="fr",
                object_type="tests.record",
                object_id="1",
            )
        )
        client.post(reverse("incidents:notices_send", args=[incident.pk]))
    return BreachNotice.objects.filter(incident=incident).exists()


def _moderate_a_comment(client, actor, make) -> bool:
    """Policy U, X: approving a waiting comment, with its reason, from its page."""
    from csce.moderation.factories import comment_create
    from csce.moderation.models import Comment, CommentState

    page = Page.objects.get(depth=2, locale__language_code="fr")
    comment = comment_create(page=page)
    client.post(
        reverse("moderation_admin:comment", args=[comment.pk]),
        {"action": "approve", "reason": "within_rules"},
    )
    return Comment.objects.filter(pk=comment.pk, state=CommentState.APPROVED).exists()


def _block_a_sender(client, actor, make) -> bool:
    """Policy U: blocking the sender of a report for the shortest of the policy's lengths
    (the report's own network, a key no other write of this table uses)."""
    from csce.common import policy
    from csce.common.crypto import blind_index
    from csce.moderation.factories import report_create
    from csce.moderation.models import SenderBlock

    key = blind_index(f"matrice-{actor.pk}", kind="network")
    report = report_create(network=key)
    client.post(
        reverse("moderation_admin:report", args=[report.pk]),
        {"action": "block", "reason": "spam", "days": str(policy.MODERATION_BLOCK_DAYS[0])},
    )
    return SenderBlock.objects.filter(key=key).exists()


def _escalate_a_report(client, actor, make) -> bool:
    """Policy R, U: a report of a concern becomes an incident in the register."""
    from csce.moderation.factories import report_create
    from csce.moderation.models import ConcernReport

    report = report_create(network="")
    client.post(
        reverse("moderation_admin:report", args=[report.pk]),
        {"action": "escalate", "reason": "security", "kind": "security"},
    )
    return ConcernReport.objects.filter(pk=report.pk).exclude(incident_reference="").exists()


WRITES = {
    "request a personal-data role for another account": _request_for_another,
    "give a role to oneself": _give_to_oneself,
    "approve another's role request": _approve,
    "give superuser status": _give_superuser,
    "change a form's inbox": _change_inbox,
    "reply to an inbox item": _reply_to_an_inbox_item,
    "register someone by telephone or in person": _desk_register,
    "check someone in": _desk_check_in,
    "write to a session's registrants": _desk_message,
    "move a session": _desk_move,
    "cancel a session": _desk_cancel,
    "send a newsletter campaign": _send_campaign,
    "mark the IPC statistics submitted": _mark_ipc_statistics_submitted,
    "change an incident's status": _incident_status,
    "report an incident": _report_incident,
    "notify the people affected by a breach": _notify_breach,
    "moderate a comment": _moderate_a_comment,
    "block a sender": _block_a_sender,
    "escalate a report to an incident": _escalate_a_report,
}


def test_the_writes_table_names_every_write():
    assert [name for name, _cells in _writes()] == list(WRITES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_writes_exactly_what_the_matrix_says(client, staff_user_make, site_pages, role):
    actor = staff_user_make(superuser=True) if role == SUPERUSER else staff_user_make(role=role)
    staff_sign_in(client, actor)
    mismatches = []
    for name, cells in _writes():
        took_effect = WRITES[name](client, actor, staff_user_make)
        if took_effect != cells[role]:
            mismatches.append(f"{name}: expected {cells[role]}, got {took_effect}")
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)
