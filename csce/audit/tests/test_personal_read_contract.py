"""The access-log contract (policy F): a staff screen that shows a personal value logs it.

A unique marker is planted in every store the personal-data registry names. Every admin
URL of the URL conf is then opened by the break-glass superuser and, where a marker
shows, by each role: a response that shows a marker needs an access-log entry for that
reader, written during that request or earlier in the same visit (csce/audit/reads.py,
VISIT_MINUTES), reading or exporting the planted record (or the form, session or file
that holds it, or a list's entry naming it). A new registry source fails here until it has a
planter; a new admin URL whose parameters cannot be filled fails until it is listed,
with its reason, in ``NOT_FILLED``.
"""

from __future__ import annotations

import fnmatch
import io
import itertools
import re
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Page

from csce.accounts import roles
from csce.accounts.factories import staff_user
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.demo import in_order
from csce.common.registry import personal_data_registry
from csce.common.testing import kept_for_module

from .factories import admin_sign_in

pytestmark = pytest.mark.django_db

SUPERUSER = "superuser"
LOGGED = (AccessAction.PERSONAL_DATA_READ, AccessAction.PERSONAL_DATA_EXPORTED)
# The walk stays in the hundreds of requests: a URL whose parameters multiply beyond this
# many fillings fails, rather than some planted records going unread.
MAX_FILLINGS = 6


@dataclass
class Plant:
    """One planted record: the values it holds, and the log entries that read it."""

    source: str
    what: str
    markers: tuple[str, ...]
    # (object_type, object_id) pairs whose read or export covers this record: the record
    # itself and what holds it (its form, its session).
    scopes: frozenset[tuple[str, str]]
    # Masked everywhere (outgoing e-mail's recipients): any appearance is a leak.
    hidden: bool = False


@dataclass
class Garden:
    plants: list[Plant] = field(default_factory=list)
    # URL parameter values, most specific key first: "param:namespace:name",
    # "param:namespace" or "param"; each a list of candidate values.
    params: dict[str, list] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    submission_pk: int = 0
    privacy_request_pk: int = 0
    incident_pk: int = 0
    comment_pk: int = 0
    report_pk: int = 0
    contact_email: str = ""

    def add_param(self, key: str, *values) -> None:
        self.params.setdefault(key, []).extend(values)


# A form page, whichever its model: how an export of all its records names it.
FORM = "form"


def _scope(obj) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


def _form_scopes(page) -> set[tuple[str, str]]:
    return {_scope(page), (FORM, str(page.pk))}


# --- planters: one per registry source --------------------------------------------------


def _answers(page, mark: str, tag: str) -> tuple[dict, list[str]]:
    """A value for each personal or sensitive field of ``page``: its own marker."""
    values: dict = {}
    markers: list[str] = []
    for form_field in page.get_form_fields():
        if form_field.data_class not in ("personal", "sensitive"):
            continue
        name = form_field.clean_name
        if form_field.field_type == "email":
            value = f"{mark.lower()}-{tag}-{name}@example.org"
        elif form_field.field_type == "file":
            continue
        else:
            value = f"{mark}-{tag}-{name}"
        values[name] = value
        markers.append(value)
    return values, markers


def _submit(page, cleaned_data: dict):
    """What the public form does once its form is valid: the submissions service."""
    from csce.submissions.services import submission_create

    form = SimpleNamespace(fields=page.get_form_class().base_fields, cleaned_data=cleaned_data)
    return submission_create(page=page, form=form, language="fr")


def _plant_submissions(garden: Garden, mark: str) -> None:
    from csce.submissions.models import (
        InquiryPage,
        ProgramPage,
        SubmissionFile,
        SurveyFormField,
        SurveyPage,
    )

    # A contact-form message with a health answer, given with consent.
    contact = InquiryPage.objects.get(locale__language_code="fr")
    values, markers = _answers(contact, mark, "contact")
    inquiry = _submit(contact, {**values, "form_consent": True})
    garden.plants.append(
        Plant(
            "submissions",
            "contact-form message",
            tuple(markers),
            frozenset({_scope(inquiry), *_form_scopes(contact)}),
        )
    )
    garden.submission_pk = inquiry.pk
    garden.contact_email = next(v for v in values.values() if "@" in v)

    # A registration to a program's session.
    program = ProgramPage.objects.get(locale__language_code="fr")
    session = program.sessions.order_by("sort_order").first()
    values, markers = _answers(program, mark, "program")
    registered = _submit(program, {**values, "program_session": session.pk})
    garden.plants.append(
        Plant(
            "submissions",
            "program registration",
            tuple(markers),
            frozenset({_scope(registered), *_form_scopes(program), _scope(session)}),
        )
    )

    # A survey answer with a personal comment and an attached file (its name shows).
    survey = SurveyPage(
        title="Sondage contrat",
        slug=f"sondage-{mark.lower()}",
        purpose="Améliorer nos services.",
        inbox=Group.objects.get(name=roles.PROGRAM_STAFF),
    )
    survey.form_fields = in_order(
        [
            SurveyFormField(label="Commentaires", field_type="multiline", data_class="personal"),
            SurveyFormField(
                label="Pièce", field_type="file", data_class="personal", required=False
            ),
        ]
    )
    Page.objects.get(depth=2, locale__language_code="fr").add_child(instance=survey)
    survey.save_revision().publish()
    values, markers = _answers(survey, mark, "survey")
    file_name = f"{mark}-piece.pdf"
    answered = _submit(
        survey,
        {**values, "piece": SimpleUploadedFile(file_name, b"%PDF-1.7\n%%EOF\n")},
    )
    attached = SubmissionFile.objects.get(submission=answered)
    garden.plants.append(
        Plant(
            "submissions",
            "survey answer",
            tuple(markers),
            frozenset({_scope(answered), *_form_scopes(survey)}),
        )
    )
    garden.plants.append(
        Plant(
            "submissions",
            "attached file's name",
            (file_name,),
            frozenset({_scope(attached), _scope(answered), *_form_scopes(survey)}),
        )
    )

    for page in (contact, program, survey):
        garden.add_param("page_id:submissions_admin", page.pk)
        garden.add_param("page_id:wagtailforms", page.pk)
    for submission in (inquiry, registered, answered):
        garden.add_param("pk:submissions_admin:detail", submission.pk)
        garden.add_param("pk:submissions_admin:close", submission.pk)
    garden.add_param("page_id:submissions_admin:survey_results_answers", survey.pk)
    garden.add_param("name:submissions_admin:survey_results_answers", "commentaires")
    garden.add_param("pk:submissions_admin:submission_file_download", attached.pk)
    garden.add_param("session_id:submissions_admin", session.pk)
    # The contact-form message is the one a correction request names (privacy planter).
    garden.add_param("object_id:privacy_requests:correct", str(inquiry.pk))
    garden.add_param("source:privacy_requests:correct", "submissions")


def _plant_privacy_requests(garden: Garden, mark: str) -> None:
    from csce.common.crypto import blind_index
    from csce.outbox.models import OutboxMessage, OutboxState
    from csce.privacy.services import (
        privacy_request_verification_create,
        privacy_request_verify,
    )

    # A confirmed correction request by the person who wrote the contact form.
    email = garden.contact_email
    _verification, token = privacy_request_verification_create(
        kind="correction",
        email=email,
        name=f"{mark}-demande-nom",
        details=f"{mark}-demande-details",
        language="fr",
        page_url="/fr/vie-privee/",
    )
    request = privacy_request_verify(token=token)
    garden.plants.append(
        Plant(
            "privacy_requests",
            "confirmed privacy request",
            (email, f"{mark}-demande-nom", f"{mark}-demande-details"),
            frozenset({_scope(request)}),
        )
    )
    garden.add_param("pk:privacy_requests", request.pk)
    garden.privacy_request_pk = request.pk

    # An inquiry of the contact form's privacy topic (routed to the officer's inbox),
    # which the officer reads on the conversion screen.
    from csce.submissions.models import InquiryPage, Submission

    contact = InquiryPage.objects.get(locale__language_code="fr")
    values, markers = _answers(contact, mark, "confidentialite")
    topic_inquiry = _submit(contact, {**values, "form_consent": True})
    Submission.objects.filter(pk=topic_inquiry.pk).update(
        inbox=Group.objects.get(name=roles.PRIVACY_OFFICER)
    )
    garden.plants.append(
        Plant(
            "submissions",
            "privacy-topic inquiry",
            tuple(markers),
            frozenset({_scope(topic_inquiry), *_form_scopes(contact)}),
        )
    )
    garden.add_param("submission_id:privacy_requests:convert", topic_inquiry.pk)

    # A request whose confirmation link could not be delivered: the officer sees it.
    lost = f"{mark.lower()}-non-livre@example.org"
    pending, _token = privacy_request_verification_create(
        kind="access",
        email=lost,
        name=f"{mark}-attente-nom",
        details=f"{mark}-attente-details",
        language="fr",
        page_url="/fr/vie-privee/",
    )
    OutboxMessage.objects.filter(recipient_index=blind_index(lost)).update(state=OutboxState.FAILED)
    garden.plants.append(
        Plant(
            "privacy_requests",
            "privacy request awaiting confirmation",
            (lost, f"{mark}-attente-nom", f"{mark}-attente-details"),
            frozenset({_scope(pending)}),
        )
    )


OUTBOX_KIND = "contrat-journal"


def _plant_outbox(garden: Garden, mark: str) -> None:
    from csce.outbox.models import OutboxMessage, OutboxState
    from csce.outbox.services import message_enqueue

    address = f"{mark.lower()}-destinataire@example.org"
    row = message_enqueue(
        message=EmailMessage(subject=f"{mark}-sujet", body=f"{mark}-corps", to=[address]),
        kind=OUTBOX_KIND,
    )
    OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxState.FAILED)
    garden.plants.append(
        Plant(
            "outbox",
            "outgoing e-mail (recipient masked, content never shown)",
            (address, f"{mark}-sujet", f"{mark}-corps"),
            frozenset(),
            hidden=True,
        )
    )


def _plant_sign_in_attempts(garden: Garden, mark: str) -> None:
    from axes.models import AccessAttempt
    from django.conf import settings

    username = f"{mark.lower()}-identifiant"
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent="contract",
        attempt_time=timezone.now(),
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/admin/login/",
    )
    garden.plants.append(
        Plant(
            "sign_in_attempts",
            "failed sign-in's username",
            (username,),
            frozenset({_scope(attempt)}),
        )
    )


def _plant_newsletter(garden: Garden, mark: str) -> None:
    """A subscriber (address and first name), and a campaign whose delivery to them
    failed: the campaign's screens name the failure by subscriber number only."""
    from csce.newsletter.factories import campaign_create, subscriber_create, topics_create
    from csce.newsletter.models import Campaign, CampaignDelivery

    topic = topics_create()[0]
    address = f"{mark.lower()}-abonnement@example.org"
    first_name = f"{mark}-prenom"
    subscriber = subscriber_create(email=address, first_name=first_name, topics=[topic])
    campaign = campaign_create(topics=[topic])
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", started_at=timezone.now())
    CampaignDelivery.objects.create(
        campaign=campaign,
        subscriber=subscriber,
        language="fr",
        state="failed",
        last_error="SMTPRecipientsRefused 550",
    )
    draft = campaign_create(topics=[topic])
    garden.add_param("pk:newsletter_campaigns", campaign.pk, draft.pk)
    garden.add_param("language:newsletter_campaigns", "fr", "en")
    garden.add_param("pk:newsletter_topics", topic.pk)
    garden.plants.append(
        Plant(
            "newsletter",
            "newsletter subscriber's address and first name",
            (address, first_name),
            frozenset({_scope(subscriber)}),
        )
    )


def _plant_incidents(garden: Garden, mark: str) -> None:
    """A reported privacy breach whose texts name someone (what happened, containment, a
    note on the timeline, the notice to the people affected), its people affected found
    over the planted contact form (the scope page shows counts only), and a notice to one
    person that failed (the notice pages show a masked address)."""
    from csce.incidents import services
    from csce.incidents.factories import incident_create, notice_create
    from csce.incidents.scope import breach_scope_resolve
    from csce.submissions.models import InquiryPage

    officer = staff_user(username=f"{mark.lower()}-officer", verified=False)
    notice_text = f"{mark}-incident-avis"
    parts = dict.fromkeys(("happened", "information", "actions", "steps"), notice_text)
    incident = incident_create(
        description=f"{mark}-incident-description", notice_text={"fr": parts, "en": parts}
    )
    services.incident_text_set(
        incident=incident, field="containment", text=f"{mark}-incident-containment", actor=officer
    )
    services.incident_note_add(incident=incident, text=f"{mark}-incident-note", actor=officer)
    garden.plants.append(
        Plant(
            "incidents",
            "incident's free texts, timeline and notice text",
            (
                f"{mark}-incident-description",
                f"{mark}-incident-containment",
                f"{mark}-incident-note",
                notice_text,
            ),
            frozenset({_scope(incident)}),
        )
    )
    contact = InquiryPage.objects.get(locale__language_code="fr")
    today = timezone.localdate()
    breach_scope_resolve(
        incident=incident,
        targets=[f"submissions:{contact.pk}"],
        starts_on=today,
        ends_on=today,
        actor=None,
    )
    address = f"{mark.lower()}-avis@example.org"
    notice = notice_create(
        incident=incident,
        email=address,
        name=f"{mark}-avis-nom",
        state="failed",
        last_error="SMTPError",
    )
    garden.plants.append(
        Plant(
            "incidents",
            "notice to a person affected by a breach",
            (address, f"{mark}-avis-nom"),
            frozenset({_scope(notice), _scope(incident)}),
        )
    )
    garden.add_param("pk:incidents", incident.pk)
    garden.add_param("pk:incidents:scope", incident.pk)
    garden.incident_pk = incident.pk


def _plant_moderation(garden: Garden, mark: str) -> None:
    """A comment waiting for moderation (its name, text and address, and a moderator's
    note on its history) and a report of a concern about a social media account (its
    address, description and contact), as the public forms write them."""
    from csce.moderation import services
    from csce.moderation.factories import comment_create, report_create
    from csce.moderation.models import ActionKind, Reason, Subject

    page = Page.objects.get(depth=2, locale__language_code="fr")
    moderator = staff_user(username=f"{mark.lower()}-moderation", verified=False)
    text = f"{mark}-commentaire-texte"
    comment = comment_create(
        page=page,
        name=f"{mark}-commentaire-nom",
        text=text,
        email=f"{mark.lower()}-commentaire@example.org",
    )
    services.comment_moderate(
        comment=comment,
        kind=ActionKind.EDIT,
        actor=moderator,
        reason=Reason.OTHER,
        note=f"{mark}-moderation-note",
        text=text,
    )
    garden.plants.append(
        Plant(
            "moderation",
            "comment's name, text, address and the moderator's note",
            (
                f"{mark}-commentaire-nom",
                text,
                f"{mark.lower()}-commentaire@example.org",
                f"{mark}-moderation-note",
            ),
            frozenset({_scope(comment)}),
        )
    )
    report = report_create(
        subject=Subject.SOCIAL,
        url=f"https://social.example/{mark}-compte",
        description=f"{mark}-signalement-description",
        contact=f"{mark.lower()}-signalement@example.org",
    )
    garden.plants.append(
        Plant(
            "moderation",
            "report of a concern's address, description and contact",
            (
                f"https://social.example/{mark}-compte",
                f"{mark}-signalement-description",
                f"{mark.lower()}-signalement@example.org",
            ),
            frozenset({_scope(report)}),
        )
    )
    garden.add_param("pk:moderation_admin:comment", comment.pk)
    garden.add_param("pk:moderation_admin:report", report.pk)
    garden.comment_pk, garden.report_pk = comment.pk, report.pk


PLANTERS = {
    "submissions": _plant_submissions,
    # After the submissions: the correction request names the contact-form message.
    "privacy_requests": _plant_privacy_requests,
    "outbox": _plant_outbox,
    "sign_in_attempts": _plant_sign_in_attempts,
    "newsletter": _plant_newsletter,
    # After the submissions: the breach's scope is the planted contact form.
    "incidents": _plant_incidents,
    "moderation": _plant_moderation,
}

# Sources no staff screen can show, each with the reason; reviewed like a planter.
NOT_SHOWN = {
    "analytics": "keyed pseudonyms and counts only; the dashboard shows aggregates",
    "form_rate_limit": "a keyed hash of the address, read by the server alone",
    "mail_folder": "files on the server's disk (embedded installation); no screen lists them",
}


# --- the admin URLs ----------------------------------------------------------------------

# Patterns whose parameters name no planted record, with the reason none can show a
# personal value of the registry's sources. Reviewed: a new personal screen must not land here.
NOT_FILLED = [
    ("wagtailadmin_pages:*", "pages: published content, no visitor's data"),
    ("wagtailadmin_explore*", "the page tree"),
    ("wagtailadmin_choose_page_child", "the page chooser"),
    ("wagtailadmin_editing_sessions:*", "who edits a page now: staff only"),
    ("wagtail_bulk_action", "bulk actions are POST forms over pages, images, users"),
    ("wagtailadmin_tag_model_autocomplete", "tags of documents and images"),
    ("wagtail_localize:*", "translations of pages and snippets"),
    ("csce_translation_*", "saving or submitting a page's translation: published content"),
    ("wagtailimages*", "images"),
    ("wagtaildocs*", "documents"),
    ("wagtailadmin_api:*", "the pages, images and documents API"),
    ("wagtailadmin_collections:*", "collections of media"),
    ("wagtailadmin_workflows:*", "the publishing workflow"),
    ("wagtailredirects:*", "redirects"),
    ("wagtaillocales:*", "languages"),
    ("wagtailsites:*", "sites"),
    ("wagtailsettings:*", "the centre's settings"),
    ("wagtailsnippets_*", "snippets: the processors register and editorial content"),
    ("wagtailsnippetchoosers_*", "snippet choosers"),
    ("policy_versions:*", "the staff policy's versions"),
    ("properties:*", "the online-property registry: staff names, no visitor's data"),
    ("properties_review", "an online property's access review: staff names only"),
    ("pages_review:*", "a page's review or unpublishing with a reason: published content"),
    ("security_audits:*", "the security audit's reports: counts, dates and staff names"),
    # Staff accounts are not a registry source: who may see and change them is the
    # access matrix's business (policy R), not the access log's.
    ("wagtailusers_*", "staff accounts and roles"),
    ("accounts_invitation_*", "a staff member's invitation"),
    ("accounts_role_request_decide", "a POST decision on a staff member's role request"),
    ("csce_mfa:remove", "one's own second factor"),
    ("wagtailadmin_password_reset_confirm", "a staff password reset link"),
]

# Not requested at all, with the reason.
NOT_REQUESTED = {
    "wagtailadmin_error_test": "raises on purpose: Wagtail's test of the server-error page",
}


@dataclass(frozen=True)
class AdminUrl:
    name: str
    params: tuple[str, ...]


def _admin_urls() -> list[AdminUrl]:
    found: dict[str, AdminUrl] = {}

    def walk(resolver, prefix: str, namespaces: list[str]) -> None:
        for pattern in resolver.url_patterns:
            path = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern, path, inner)
            # Unnamed patterns (Wagtail's 404 test, the catch-all) take no parameter and
            # show nothing of a record.
            elif isinstance(pattern, URLPattern) and path.startswith("admin/") and pattern.name:
                params = tuple(
                    a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", path)
                )
                name = ":".join([*namespaces, pattern.name])
                # Patterns sharing a name (with and without a site): the most specific.
                if name not in found or len(params) > len(found[name].params):
                    found[name] = AdminUrl(name=name, params=params)

    walk(get_resolver(), "", [])
    return sorted(found.values(), key=lambda u: u.name)


def _candidates(garden: Garden, url: AdminUrl, param: str) -> list:
    parts = url.name.split(":")
    for depth in range(len(parts), 0, -1):
        key = f"{param}:{':'.join(parts[:depth])}"
        if key in garden.params:
            return garden.params[key]
    return garden.params.get(param, [])


def _paths(garden: Garden, url: AdminUrl) -> list[str] | None:
    """Every filling of ``url``'s parameters with planted objects; None: not fillable."""
    choices = [_candidates(garden, url, param) for param in url.params]
    if not all(choices):
        return None
    fillings = list(itertools.product(*choices))
    assert len(fillings) <= MAX_FILLINGS, f"{url.name}: {len(fillings)} fillings"
    return [
        reverse(url.name, kwargs=dict(zip(url.params, values, strict=True))) for values in fillings
    ]


def _not_filled_reason(name: str) -> str | None:
    return next((reason for glob, reason in NOT_FILLED if fnmatch.fnmatchcase(name, glob)), None)


# --- what a response shows -----------------------------------------------------------------


def _shown_text(response) -> str:
    """The body as text, the members of a ZIP (an XLSX, an export bundle) too, and the
    name a download is saved under."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    texts = [response.get("Content-Disposition", ""), body.decode("utf-8", errors="replace")]
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                texts.extend(
                    archive.read(member).decode("utf-8", errors="replace")
                    for member in archive.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return "\n".join(texts)


def _last_entry_pk() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _get(client: Client, path: str, user) -> tuple[str, int, list[AccessLogEntry]]:
    """GET ``path``: the text shown, the status, and the read entries of the visit: those
    written meanwhile, and those written earlier in the client's visit (a record re-read
    within csce.audit.reads.VISIT_MINUTES is not logged again)."""
    before = getattr(client, "visit_started_after", None)
    if before is None:
        before = _last_entry_pk()
    response = client.get(path)
    text = _shown_text(response)
    entries = list(
        AccessLogEntry.objects.filter(pk__gt=before, actor_id=user.pk, action__in=LOGGED)
    )
    return text, response.status_code, entries


def _logged(entries) -> set[tuple[str, str]]:
    """What the entries read: their object; for an export of a whole form (no object
    id), the form its details name; for a list (no object id), each record it names."""
    logged = set()
    for entry in entries:
        logged.add((entry.object_type, entry.object_id))
        if not entry.object_id and "page_id" in entry.details:
            logged.add((FORM, str(entry.details["page_id"])))
        if not entry.object_id:
            logged.update((entry.object_type, str(i)) for i in entry.details.get("ids", []))
    return logged


def _violations(garden: Garden, *, path: str, role: str, text: str, entries) -> list[str]:
    logged = _logged(entries)
    problems = []
    for plant in garden.plants:
        shown = [marker for marker in plant.markers if marker in text]
        if not shown:
            continue
        if plant.hidden:
            problems.append(f"{role} {path} shows the {plant.what} ({plant.source}): never")
            continue
        # A marker two records share (the same person's address) is covered by either.
        owners = [p for p in garden.plants if set(shown) & set(p.markers)]
        if not any(p.scopes & logged for p in owners):
            problems.append(
                f"{role} {path} shows the {plant.what} ({plant.source}) without a "
                f"{'/'.join(LOGGED)} entry for {sorted(plant.scopes)}; logged: {sorted(logged)}"
            )
    return problems


# --- set-up, once for the module -------------------------------------------------------


def _staff_create(*, role: str) -> object:
    slug = re.sub(r"\W+", "-", role.lower())
    return staff_user(
        username=f"contrat-{slug}",
        email=f"contrat-{uuid.uuid4().hex[:8]}@example.org",
        role=None if role == SUPERUSER else role,
        superuser=role == SUPERUSER,
        verified=False,
        last_name="Contrat",
    )


def _forms_create() -> None:
    """The forms the planted records live on, on a fresh site: a contact form with a
    health field given with consent, and a program with sessions under a services index."""
    from csce.pages.factories import page_add, site_home
    from csce.pages.models import ServiceIndexPage
    from csce.submissions.factories import inquiry_page_create, program_page_create

    home = site_home()
    inquiry_page_create(parent=home)
    program_page_create(parent=page_add(ServiceIndexPage, parent=home))


@pytest.fixture(scope="module")
def garden(django_db_setup, django_db_blocker):
    """The planted records and one staff member per role, in a transaction rolled back
    when the module ends: each test then runs in its own savepoint inside it."""
    with kept_for_module(django_db_blocker):
        _forms_create()
        planted = Garden()
        mark = f"Zqx{uuid.uuid4().hex[:10]}"
        for key, planter in PLANTERS.items():
            if key in {s.key for s in personal_data_registry}:
                planter(planted, mark)
        for role in [SUPERUSER, *roles.ROLE_LABELS]:
            planted.users[role] = _staff_create(role=role)
        yield planted


def _client(user, *, visit: bool = False) -> Client:
    """A signed-in client; with ``visit``, its reads count from its sign-in on (a walk is
    one visit: a record read on one screen is not logged again on the next)."""
    client = Client()
    admin_sign_in(client, user)
    if visit:
        client.visit_started_after = _last_entry_pk()
    return client


# --- the contract ---------------------------------------------------------------------


def test_every_registry_source_has_a_planter_or_a_reason():
    keys = [source.key for source in personal_data_registry]
    missing = [key for key in keys if key not in PLANTERS and key not in NOT_SHOWN]
    assert not missing, [
        f"source {key} has no planter in the contract test: add one, or say in NOT_SHOWN "
        "why no staff screen can show it"
        for key in missing
    ]
    stale = sorted((set(PLANTERS) | set(NOT_SHOWN)) - set(keys))
    assert not stale, f"no registry source is named {stale}: remove them"


def test_every_admin_url_is_filled_or_explained(garden):
    unexplained = [
        url.name
        for url in _admin_urls()
        if _paths(garden, url) is None and _not_filled_reason(url.name) is None
    ]
    assert not unexplained, (
        f"fill these URLs' parameters with planted records, or add them to NOT_FILLED with "
        f"the reason none shows a personal value: {unexplained}"
    )
    unfilled = [url.name for url in _admin_urls() if _paths(garden, url) is None]
    stale = [glob for glob, _reason in NOT_FILLED if not fnmatch.filter(unfilled, glob)]
    assert not stale, f"rows in NOT_FILLED that name no unfilled URL: {stale}"
    names = [url.name for url in _admin_urls()]
    assert set(NOT_REQUESTED) <= set(names), "stale rows in NOT_REQUESTED"


def test_a_screen_that_shows_a_personal_value_logs_the_read(garden):
    """Policy F. The superuser, who may open every screen, walks them all; each role
    then opens the screens where a value showed: a narrower role sees no more."""
    started = time.monotonic()
    superuser = garden.users[SUPERUSER]
    clients = {role: _client(user, visit=True) for role, user in garden.users.items()}
    problems: list[str] = []
    showing: list[str] = []
    requests = 0
    for url in _admin_urls():
        if url.name in NOT_REQUESTED:
            continue
        for path in _paths(garden, url) or []:
            text, _status, entries = _get(clients[SUPERUSER], path, superuser)
            requests += 1
            problems += _violations(garden, path=path, role=SUPERUSER, text=text, entries=entries)
            if any(marker in text for plant in garden.plants for marker in plant.markers):
                showing.append(path)
    for role in roles.ROLE_LABELS:
        for path in showing:
            text, _status, entries = _get(clients[role], path, garden.users[role])
            requests += 1
            problems += _violations(garden, path=path, role=role, text=text, entries=entries)
    seconds = time.monotonic() - started
    # The walk found the screens that matter: the contract is not vacuous.
    assert any("/submissions/" in path for path in showing), showing
    assert any("/privacy" in path for path in showing), showing
    assert requests < 1000, f"{requests} requests in {seconds:.0f} s: keep the walk bounded"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("url_name", "object_type", "attribute"),
    [
        ("submissions_admin:detail", "submissions.submission", "submission_pk"),
        ("privacy_requests:detail", "privacy.privacyrequest", "privacy_request_pk"),
        ("incidents:detail", "incidents.incident", "incident_pk"),
        ("moderation_admin:comment", "moderation.comment", "comment_pk"),
        ("moderation_admin:report", "moderation.concernreport", "report_pk"),
    ],
)
def test_opening_a_record_once_logs_one_read(garden, url_name, object_type, attribute):
    pk = getattr(garden, attribute)
    user = garden.users[SUPERUSER]
    client = _client(user)
    before = _last_entry_pk()
    assert client.get(reverse(url_name, args=[pk])).status_code == 200
    reads = AccessLogEntry.objects.filter(
        pk__gt=before,
        actor_id=user.pk,
        action=AccessAction.PERSONAL_DATA_READ,
        object_type=object_type,
        object_id=str(pk),
    ).count()
    assert reads == 1, (
        f"opening {url_name} once wrote {reads} read entries for the {object_type}: "
        "read it through csce.audit.reads.personal_data_read with the request, which "
        "logs one read per request and record"
    )


def test_the_planted_values_are_decrypted_where_they_are_read(garden):
    """Guards the walk itself: a planted value shows on its own record's screen."""
    user = garden.users[SUPERUSER]
    client = _client(user)
    text, status, _entries = _get(
        client, reverse("submissions_admin:detail", args=[garden.submission_pk]), user
    )
    assert status == 200
    contact = next(p for p in garden.plants if p.what == "contact-form message")
    assert all(marker in text for marker in contact.markers)


def test_outgoing_e_mail_is_listed_with_its_recipient_masked(garden):
    """Guards the walk's "never shown" check: the planted message is on the list."""
    user = garden.users[SUPERUSER]
    text, status, _entries = _get(_client(user), reverse("outbox_admin"), user)
    outbox = next(p for p in garden.plants if p.source == "outbox")
    assert status == 200
    assert OUTBOX_KIND in text
    assert not any(marker in text for marker in outbox.markers)
