"""Finding the people a privacy breach affected (policy P8; PHIPA s.12(2)), with the real
database: the registry's sources resolve a scope of forms, the newsletter list and the
privacy requests over the centre's days; people are counted once; the counts, the
timeline and the access log hold no address; the page is the register's alone."""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from wagtail.models import Locale

from csce.accounts.factories import staff_sign_in, staff_user
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.incidents.factories import incident_create
from csce.incidents.models import BreachScope, EventKind, IncidentKind
from csce.incidents.scope import (
    breach_scope_contacts,
    breach_scope_resolve,
    breach_scope_targets,
)
from csce.incidents.services import IncidentError
from csce.newsletter.factories import subscriber_create
from csce.newsletter.models import Suppression, SuppressionReason, suppression_hash
from csce.privacy.factories import privacy_request_make
from csce.submissions.factories import inquiry_page_create
from csce.submissions.services import submission_close, submission_create

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# The breach's days, and "today" for the officer: after them, within the forms' retention.
STARTS_ON = datetime.date(2026, 3, 10)
ENDS_ON = datetime.date(2026, 3, 12)
TODAY = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=TORONTO)


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=TORONTO)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def forms(site_home):
    english_home = site_home.get_translation(Locale.objects.get(language_code="en"))
    return SimpleNamespace(
        contact=inquiry_page_create(parent=site_home),
        volunteers=inquiry_page_create(parent=site_home, slug="benevolat"),
        english=inquiry_page_create(parent=english_home, slug="write-to-us"),
    )


def _send(page, *, at, email, name="", language="fr"):
    """What the public form stores once it is valid, at ``at``."""
    values = {"nom": name, "courriel": email, "message": "Bonjour", "sante": ""}
    form = SimpleNamespace(fields=page.get_form_class().base_fields, cleaned_data=values)
    with time_machine.travel(at, tick=False):
        return submission_create(page=page, form=form, language=language)


def _key(source: str, target) -> str:
    return f"{source}:{target}"


def _resolve(incident, targets, *, actor=None, starts_on=STARTS_ON, ends_on=ENDS_ON):
    return breach_scope_resolve(
        incident=incident,
        targets=targets,
        starts_on=starts_on,
        ends_on=ends_on,
        actor=actor or staff_user(role=PRIVACY_OFFICER),
    )


def test_a_breach_of_one_form_over_some_days_reaches_exactly_who_sent_it_then(forms):
    contact = forms.contact
    # In range, to the minute of the centre's days (inclusive at both ends).
    _send(contact, at=_at(10, 0, 5), email="marie@example.org", name="Marie Tremblay")
    _send(contact, at=_at(12, 23, 55), email="paul@example.org", name="Paul Roy")
    # Before and after the range, by minutes; another form in the range.
    _send(contact, at=_at(9, 23, 55), email="avant@example.org")
    _send(contact, at=_at(13, 0, 5), email="apres@example.org")
    _send(forms.volunteers, at=_at(11, 12), email="autre-formulaire@example.org")
    # Closed in range: its content is gone, counted as already deleted, not as a person.
    closed = _send(contact, at=_at(11, 9), email="ferme@example.org")
    submission_close(submission=closed, actor=staff_user(role=COMMUNICATIONS))
    # Held in range without an address.
    _send(contact, at=_at(11, 10), email="", name="Sans courriel")
    incident = incident_create()

    scope = _resolve(incident, [_key("submissions", contact.pk)])

    contacts = breach_scope_contacts(scope=scope)
    assert sorted((c.email, c.name) for c in contacts) == [
        ("marie@example.org", "Marie Tremblay"),
        ("paul@example.org", "Paul Roy"),
    ]
    assert scope.counts["held"] == 2
    assert scope.counts["records"] == 3  # Marie, Paul and the record without an address
    assert scope.counts["without_address"] == 1
    assert scope.counts["purged"] == 1
    assert scope.counts["per_source"] == {
        "submissions": {"records": 3, "held": 2, "without_address": 1, "purged": 1}
    }
    incident.refresh_from_db()
    assert incident.people_affected == 3  # not yet assessed: those found, with or without


def test_one_person_who_sent_two_forms_is_one_contact_in_the_language_of_the_latest(forms):
    _send(forms.contact, at=_at(10, 9), email="Marie@Example.org", name="Marie")
    _send(forms.english, at=_at(11, 9), email="marie@example.org", language="en")
    subscriber_create(email="MARIE@example.org", language="fr", requested_at=_at(9, 9))
    subscriber_create(
        email="john@example.org", language="en", first_name="John", requested_at=_at(12, 8)
    )
    incident = incident_create()

    scope = _resolve(
        incident,
        [
            _key("submissions", forms.contact.pk),
            _key("submissions", forms.english.pk),
            "newsletter:subscribers",
        ],
        starts_on=datetime.date(2026, 3, 9),
    )

    by_email = {c.email.lower(): c for c in breach_scope_contacts(scope=scope)}
    assert set(by_email) == {"marie@example.org", "john@example.org"}
    marie = by_email["marie@example.org"]
    # The most recent record is the English form's: the notice goes out in English; the
    # name given on the older form is kept.
    assert (marie.language, marie.name) == ("en", "Marie")
    assert marie.sources == ("newsletter", "submissions")
    assert (by_email["john@example.org"].language, by_email["john@example.org"].name) == (
        "en",
        "John",
    )
    assert scope.counts["held"] == 2
    assert scope.counts["records"] == 4


def test_the_newsletter_list_and_the_privacy_requests_resolve_with_what_is_gone(forms):
    subscriber_create(email="abonnee@example.org", language="en", requested_at=_at(11, 9))
    subscriber_create(email="attente@example.org", confirmed=False, requested_at=_at(12, 9))
    subscriber_create(email="vieille@example.org", requested_at=_at(1, 9))
    # Unsubscribed since the period began: a keyed hash only.
    Suppression.objects.create(
        address_hash=suppression_hash("partie@example.org"),
        reason=SuppressionReason.UNSUBSCRIBED,
        created_at=_at(15, 9),
    )
    privacy_request_make(email="demande@example.org", language="en", verified_at=_at(10, 11))
    privacy_request_make(email="", name="Par téléphone", verified_at=_at(11, 11))
    privacy_request_make(email="hors@example.org", verified_at=_at(14, 11))
    incident = incident_create()

    scope = _resolve(incident, ["newsletter:subscribers", "privacy_requests:requests"])

    found = {(c.email, c.language, c.sources) for c in breach_scope_contacts(scope=scope)}
    assert found == {
        ("abonnee@example.org", "en", ("newsletter",)),
        ("attente@example.org", "fr", ("newsletter",)),
        ("demande@example.org", "en", ("privacy_requests",)),
    }
    per_source = scope.counts["per_source"]
    assert per_source["newsletter"] == {"records": 2, "held": 2, "without_address": 0, "purged": 1}
    assert per_source["privacy_requests"] == {
        "records": 2,
        "held": 1,
        "without_address": 1,
        "purged": 0,
    }
    notes = {note["source"]: note for note in scope.counts["notes"]}
    assert "keyed hash" in notes["newsletter"]["en"]
    assert "empreinte" in notes["newsletter"]["fr"] or "hachage" in notes["newsletter"]["fr"]


def test_a_range_older_than_the_records_lifetime_says_what_cannot_be_counted(forms, today):
    today.move_to(datetime.datetime(2029, 1, 10, 10, tzinfo=TORONTO))
    incident = incident_create()
    scope = _resolve(
        incident,
        [_key("submissions", forms.contact.pk), "privacy_requests:requests"],
    )
    notes = {note["source"]: note["en"] for note in scope.counts["notes"]}
    assert "24 months" in notes["submissions"]
    assert "30 days" in notes["submissions"]
    assert "24 months" in notes["privacy_requests"]


def test_the_counts_are_kept_and_neither_the_timeline_nor_the_access_log_holds_an_address(
    forms,
):
    _send(forms.contact, at=_at(10, 9), email="zorblax@example.org", name="Zorblax Quux")
    officer = staff_user(role=PRIVACY_OFFICER)
    incident = incident_create()
    first_entry = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    scope = _resolve(incident, [_key("submissions", forms.contact.pk)], actor=officer)

    stored = BreachScope.objects.get()
    assert stored.counts["held"] == 1
    assert (stored.targets, stored.created_by) == ([f"submissions:{forms.contact.pk}"], officer)
    event = incident.events.get(kind=EventKind.SCOPE)
    assert event.details["held"] == 1
    assert event.details["scope"] == scope.pk
    assert event.actor == officer
    entries = AccessLogEntry.objects.filter(pk__gt=first_entry)
    read = entries.get(action=AccessAction.PERSONAL_DATA_READ)
    assert read.actor_id == officer.pk
    assert read.details["count"] == 1
    assert list(read.details["ids"]) == ["submissions.submission"]
    for text in [str(event.details), str(stored.counts), *(str(e.details) for e in entries)]:
        assert "zorblax" not in text.lower()
        assert "@" not in text
    # Sending re-resolves the scope: a read of the addresses again, by the sender.
    breach_scope_contacts(scope=scope, actor=officer)
    assert entries.filter(action=AccessAction.PERSONAL_DATA_READ).count() == 2


def test_an_assessed_number_of_people_is_not_overwritten(forms):
    incident = incident_create(people_affected=40)
    _resolve(incident, [_key("submissions", forms.contact.pk)])
    incident.refresh_from_db()
    assert incident.people_affected == 40


@pytest.mark.parametrize(
    ("targets", "starts_on", "ends_on"),
    [
        ([], STARTS_ON, ENDS_ON),
        (["submissions:999999"], STARTS_ON, ENDS_ON),
        (["newsletter:subscribers"], ENDS_ON, STARTS_ON),
        (["newsletter:subscribers"], STARTS_ON, datetime.date(2026, 3, 21)),
    ],
)
def test_a_scope_that_cannot_be_resolved_is_refused(forms, targets, starts_on, ends_on):
    incident = incident_create()
    with pytest.raises(IncidentError):
        _resolve(incident, targets, starts_on=starts_on, ends_on=ends_on)
    assert not BreachScope.objects.exists()


def test_only_a_privacy_breach_has_a_scope(forms):
    incident = incident_create(kind=IncidentKind.SECURITY)
    with pytest.raises(IncidentError):
        _resolve(incident, ["newsletter:subscribers"])


def test_the_targets_are_each_form_in_its_language_and_the_lists_grouped_by_source(forms):
    groups = {group.source: group for group in breach_scope_targets()}
    assert {"submissions", "newsletter", "privacy_requests"} <= set(groups)
    forms_offered = {t.key: t.label for t in groups["submissions"].targets}
    assert f"submissions:{forms.contact.pk}" in forms_offered
    assert forms_offered[f"submissions:{forms.english.pk}"].startswith("Écrivez-nous (")
    assert [t.key for t in groups["newsletter"].targets] == ["newsletter:subscribers"]


# --- the page ---------------------------------------------------------------------------


def _url(incident) -> str:
    return f"/admin/incidents/{incident.pk}/scope/"


def _signed_in(client, role):
    staff_sign_in(client, staff_user(role=role))
    return client


@pytest.mark.parametrize("role", [CONTENT, PROGRAM_STAFF, COMMUNICATIONS, TECHNICAL_ADMIN])
def test_the_page_is_refused_in_words_to_those_outside_the_register(client, forms, role):
    incident = incident_create()
    _signed_in(client, role)
    for response in (
        client.get(_url(incident)),
        client.post(_url(incident), {"targets": ["newsletter:subscribers"]}),
    ):
        assert response.status_code == 403
        assert "register" in response.content.decode() or "registre" in response.content.decode()
    assert not BreachScope.objects.exists()


@pytest.mark.parametrize("role", [PRIVACY_OFFICER, AED, ED])
def test_the_register_sees_the_result_before_anything_is_sent(client, forms, role):
    _send(forms.contact, at=_at(10, 9), email="marie@example.org", name="Marie Tremblay")
    _send(forms.contact, at=_at(11, 9), email="")
    incident = incident_create()
    _signed_in(client, role)

    page = client.get(_url(incident))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert f'value="submissions:{forms.contact.pk}"' in html
    assert "<legend" in html

    response = client.post(
        _url(incident),
        {
            "targets": [f"submissions:{forms.contact.pk}"],
            "starts_on": "2026-03-10",
            "ends_on": "2026-03-12",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "marie@example.org" not in html  # counts only
    scope = BreachScope.objects.get()
    assert scope.counts["held"] == 1
    assert scope.counts["without_address"] == 1
    assert response.context["result"]["held"] == 1
    assert response.context["result"]["without_address"] == 1
    assert not incident.notices.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": "2026-03-12", "ends_on": "2026-03-10"}, "ends_on"),
        ({"starts_on": "2026-03-25", "ends_on": "2026-03-26"}, "ends_on"),
        ({"targets": ["submissions:999999"]}, "targets"),
        ({"targets": []}, "targets"),
    ],
)
def test_bad_input_comes_back_with_what_was_typed_and_the_reason(client, forms, data, field):
    incident = incident_create()
    _signed_in(client, PRIVACY_OFFICER)
    posted = {
        "targets": ["newsletter:subscribers"],
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
        **data,
    }
    response = client.post(_url(incident), posted)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    html = response.content.decode()
    assert f'value="{posted["starts_on"]}"' in html
    assert f'value="{posted["ends_on"]}"' in html
    if "newsletter:subscribers" in posted["targets"]:
        assert 'value="newsletter:subscribers"' in html
        checkbox = html.split('value="newsletter:subscribers"', 1)[1].split(">", 1)[0]
        assert "checked" in checkbox
    assert not BreachScope.objects.exists()


def test_the_register_panel_shows_the_latest_counts_and_links_to_the_page(rf, forms):
    from django.template.loader import render_to_string
    from django.utils import translation

    incident = incident_create()
    officer = staff_user(role=PRIVACY_OFFICER)
    _send(forms.contact, at=_at(10, 9), email="marie@example.org")
    request = rf.get("/")
    request.user = officer
    empty = render_to_string(
        "incidents/admin/register/scope_panel.html", {"incident": incident}, request=request
    )
    assert _url(incident) in empty
    _resolve(incident, [_key("submissions", forms.contact.pk)], actor=officer)
    with translation.override("en"):
        html = render_to_string(
            "incidents/admin/register/scope_panel.html", {"incident": incident}, request=request
        )
    assert "1 person with an e-mail address" in html
    assert "0 records already deleted" in html
    assert _url(incident) in html
