"""Notifying the people affected by a breach (policy P8: as soon as possible; PHIPA
s.12(2): at the first reasonable opportunity, telling each person they may complain to
the IPC): the notices reach a real SMTP server (aiosmtpd) in each person's language with
everything the law asks, failures are listed and sent again, nobody is written to twice,
and only the Privacy Officer and the AED notify."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_sign_in, staff_user
from csce.audit.models import AccessLogEntry
from csce.common import policy
from csce.common.registry import (
    AffectedContact,
)
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.common.schedule import job_schedule
from csce.incidents.factories import incident_create
from csce.incidents.models import (
    BreachNotice,
    BreachScope,
    EventKind,
    IncidentEvent,
    NoticeState,
)
from csce.incidents.notices import (
    NOTICE_MAIL_KIND,
    breach_notice_retry,
    breach_notice_states_sync,
    breach_notices_send,
    duration_words,
    notice_missing_elements,
    notice_render,
)
from csce.incidents.testing import TARGET
from csce.incidents.testing import scope_people as people_in_scope
from csce.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOTICE_TEXT = {
    "fr": {
        "happened": "Le 3 mars, une liste d'inscriptions a été envoyée au mauvais destinataire.",
        "information": "Votre nom et votre adresse courriel.",
        "actions": "Nous avons obtenu la suppression du message et changé notre procédure.",
        "steps": "Méfiez-vous des messages inattendus qui mentionnent le centre.",
    },
    "en": {
        "happened": "On March 3, a registration list was sent to the wrong recipient.",
        "information": "Your name and your e-mail address.",
        "actions": "We had the message deleted and changed our procedure.",
        "steps": "Be wary of unexpected messages that mention the centre.",
    },
}
FRENCH = AffectedContact(
    email="josee.tremblay@example.org",
    name="Josée Tremblay",
    language="fr",
    object_type="tests.record",
    object_id="1",
)
ENGLISH = AffectedContact(
    email="pat.smith@example.org",
    name="Pat Smith",
    language="en",
    object_type="tests.record",
    object_id="2",
)
COMPLAINT = {
    "fr": "Vous avez le droit de porter plainte au sujet de cette atteinte auprès du "
    + policy.IPC_CONTACT["name_fr"],
    "en": "You have the right to complain about this breach to the "
    + policy.IPC_CONTACT["name_en"],
}


@pytest.fixture
def smtp(smtp_inbox, settings):
    """The real SMTP server of csce/conftest.py; one try per message, so that a refusal
    is final at once (the worker would otherwise retry later)."""
    settings.OUTBOX_MAX_ATTEMPTS = 1
    return smtp_inbox


@pytest.fixture
def officer(db):
    return staff_user(username="agente", role=PRIVACY_OFFICER, language="en")


@pytest.fixture
def officer_client(client, officer):
    staff_sign_in(client, officer)
    return client


@pytest.fixture
def breach(db):
    return incident_create(
        data_categories=["contact", "registrations"], notice_text=NOTICE_TEXT, people_affected=2
    )


def _scope(incident, *, targets=(TARGET,), without_address=0) -> BreachScope:
    today = timezone.localdate()
    return BreachScope.objects.create(
        incident=incident,
        targets=list(targets),
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today,
        counts={"held": 2, "purged": 0, "without_address": without_address},
    )


@pytest.fixture
def scope_people():
    """The people a breach scope resolves to, through a test-only registry source."""
    with people_in_scope() as people:
        yield people


def _bodies(messages) -> dict[str, tuple[str, str]]:
    return {
        m["To"]: (m["Subject"], m.get_body(preferencelist=("plain",)).get_content())
        for m in messages
    }


# --- the test ---------------------------------------------------------------------


def test_each_person_gets_the_notice_in_their_language_with_everything_the_law_asks(
    smtp, breach, officer
):
    scope = _scope(breach)
    sent = breach_notices_send(
        incident=breach, scope=scope, contacts=[FRENCH, ENGLISH], actor=officer
    )
    assert sent.queued == 2
    bodies = _bodies(smtp.wait(2))
    assert set(bodies) == {FRENCH.email, ENGLISH.email}

    ipc = policy.IPC_CONTACT
    for contact, language in ((FRENCH, "fr"), (ENGLISH, "en")):
        _subject, body = bodies[contact.email]
        assert contact.name in body
        for text in NOTICE_TEXT[language].values():
            assert text in body
        assert settings.PRIVACY_OFFICER_EMAIL in body
        assert COMPLAINT[language] in body
        for detail in ("address", "telephone", "toll_free", "email", "website"):
            assert ipc[detail] in body
        assert breach.reference in body
    assert "Bonjour Josée Tremblay" in bodies[FRENCH.email][1]
    assert "Ce qui s’est passé" in bodies[FRENCH.email][1]
    assert "atteinte à la vie privée" in bodies[FRENCH.email][0]
    assert "Hello Pat Smith" in bodies[ENGLISH.email][1]
    assert "What happened" in bodies[ENGLISH.email][1]
    assert "privacy breach" in bodies[ENGLISH.email][0]
    # Neither notice speaks the other language.
    assert NOTICE_TEXT["en"]["happened"] not in bodies[FRENCH.email][1]
    assert NOTICE_TEXT["fr"]["happened"] not in bodies[ENGLISH.email][1]

    notices = {n.email: n for n in BreachNotice.objects.filter(incident=breach)}
    assert {n.state for n in notices.values()} == {NoticeState.SENT}
    assert notices[FRENCH.email].language == "fr"
    assert notices[ENGLISH.email].language == "en"
    breach.refresh_from_db()
    assert breach.first_notified_at == min(n.sent_at for n in notices.values())


def test_the_check_names_what_a_notice_lacks(breach):
    rendered = notice_render(incident=breach, language="en", name="Pat")
    assert notice_missing_elements(incident=breach, rendered=rendered) == []
    cut = rendered.__class__(
        language="en",
        subject=rendered.subject,
        body=rendered.body.replace(policy.IPC_CONTACT["telephone"], ""),
    )
    assert notice_missing_elements(incident=breach, rendered=cut) == ["The IPC's telephone"]


def test_a_failed_notice_is_listed_and_send_again_delivers_it(smtp, breach, officer_client):
    smtp.refused.add(ENGLISH.email)
    breach_notices_send(
        incident=breach, scope=_scope(breach), contacts=[FRENCH, ENGLISH], actor=None
    )
    notices = {n.email: n for n in BreachNotice.objects.filter(incident=breach)}
    failed = notices[ENGLISH.email]
    assert failed.state == NoticeState.FAILED
    assert failed.attempts == 1
    assert "550" in failed.last_error
    assert [m["To"] for m in smtp.messages] == [FRENCH.email]

    url = reverse("incidents:notices", args=[breach.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "p…@e….org" in html  # masked
    assert ENGLISH.email not in html
    assert FRENCH.email not in html
    assert "SMTPRecipientsRefused 550" in html
    assert "Send again" in html
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]

    # No such notice: the admin's "not found" (a 404, which the language middleware sends
    # on to the French address first), nothing sent, never a 500.
    missing = officer_client.post(url, {"notice": "x"}, follow=True)
    assert missing.status_code == 404
    assert not breach.events.filter(kind=EventKind.NOTICE_RETRIED).exists()

    smtp.refused.clear()
    response = officer_client.post(url, {"notice": failed.pk})
    assert response.status_code == 302
    assert [m["To"] for m in smtp.wait(2)] == [FRENCH.email, ENGLISH.email]
    failed.refresh_from_db()
    assert failed.state == NoticeState.SENT
    assert failed.last_error == ""
    assert breach.events.filter(kind=EventKind.NOTICE_RETRIED).count() == 1
    assert "No notice failed." in officer_client.get(url).content.decode()


def test_send_again_writes_anew_when_the_outbox_forgot_the_message(smtp, breach, officer):
    smtp.refused.add(ENGLISH.email)
    breach_notices_send(incident=breach, scope=_scope(breach), contacts=[ENGLISH], actor=officer)
    notice = BreachNotice.objects.get()
    assert notice.state == NoticeState.FAILED
    OutboxMessage.objects.filter(kind=NOTICE_MAIL_KIND).delete()  # past OUTBOX_RECORD_DAYS
    smtp.refused.clear()
    assert breach_notice_retry(notice=notice, actor=officer)
    assert [m["To"] for m in smtp.wait(1)] == [ENGLISH.email]
    assert notice.state == NoticeState.SENT


def test_a_person_found_twice_gets_one_notice(smtp, breach, officer):
    twice = AffectedContact(
        email="JOSEE.Tremblay@Example.org",
        name="",
        language="fr",
        object_type="tests.other",
        object_id="9",
    )
    sent = breach_notices_send(
        incident=breach, scope=_scope(breach), contacts=[FRENCH, twice], actor=officer
    )
    assert sent.queued == 1
    notice = BreachNotice.objects.get()
    assert notice.name == FRENCH.name
    assert notice.sources == ["tests.record", "tests.other"]
    assert len(smtp.wait(1)) == 1


def test_a_second_send_after_a_new_scope_notifies_only_the_new_people(smtp, breach, officer):
    breach_notices_send(incident=breach, scope=_scope(breach), contacts=[FRENCH], actor=officer)
    later = _scope(breach)
    sent = breach_notices_send(
        incident=breach, scope=later, contacts=[FRENCH, ENGLISH], actor=officer
    )
    assert (sent.queued, sent.already) == (1, 1)
    assert [m["To"] for m in smtp.wait(2)] == [FRENCH.email, ENGLISH.email]
    assert BreachNotice.objects.filter(incident=breach).count() == 2
    assert BreachNotice.objects.filter(scope=later).count() == 1
    details = list(
        breach.events.filter(kind=EventKind.NOTICES_SENT).values_list("details", flat=True)
    )
    assert [(d["queued"], d["already"]) for d in details] == [(1, 0), (1, 1)]


def test_a_large_breach_is_queued_in_short_transactions_and_resumes_where_it_stopped(
    smtp, breach, officer, monkeypatch
):
    """Policy P8, M: thousands of people (the whole newsletter list) are queued a batch per
    transaction; a worker stopped after the first batch leaves the next run only the rest."""
    from csce.incidents import notices

    monkeypatch.setattr(notices, "NOTICE_BATCH_SIZE", 2)
    people = [
        AffectedContact(
            email=f"personne{n}@example.org",
            name="",
            language="fr",
            object_type="tests.record",
            object_id=str(n),
        )
        for n in range(5)
    ]
    batches = []
    real = notices._notices_batch_create

    def stopped_after_the_first_batch(**kwargs):
        batches.append(len(kwargs["people"]))
        if len(batches) == 2:
            raise RuntimeError("worker stopped")
        return real(**kwargs)

    monkeypatch.setattr(notices, "_notices_batch_create", stopped_after_the_first_batch)
    with pytest.raises(RuntimeError):
        breach_notices_send(incident=breach, scope=_scope(breach), contacts=people, actor=officer)
    assert BreachNotice.objects.filter(incident=breach).count() == 2  # the first batch stays
    monkeypatch.setattr(notices, "_notices_batch_create", real)
    sent = breach_notices_send(
        incident=breach, scope=_scope(breach), contacts=people, actor=officer
    )
    assert (sent.queued, sent.already) == (3, 2)
    assert BreachNotice.objects.filter(incident=breach).count() == 5
    assert len(smtp.wait(5)) == 5


def test_the_time_from_detection_to_the_first_notice(smtp, officer_client, officer):
    detected = timezone.make_aware(datetime.datetime(2026, 3, 3, 9, 0))
    with time_machine.travel(detected, tick=False):
        breach = incident_create(notice_text=NOTICE_TEXT)
    with time_machine.travel(detected + datetime.timedelta(hours=2, minutes=15), tick=False):
        breach_notices_send(incident=breach, scope=_scope(breach), contacts=[FRENCH], actor=officer)
    breach.refresh_from_db()
    assert breach.first_notified_at == detected + datetime.timedelta(hours=2, minutes=15)
    html = officer_client.get(reverse("incidents:notices", args=[breach.pk])).content.decode()
    assert "2 heures 15 minutes" in html
    assert "2 hours 15 minutes" in html
    assert duration_words(datetime.timedelta(days=1, hours=3, minutes=5), "en") == "1 day 3 hours"
    assert duration_words(datetime.timedelta(seconds=20), "fr") == "moins d’une minute"


def test_the_daily_job_follows_the_outbox(smtp, breach, officer):
    smtp.refused.add(ENGLISH.email)
    breach_notices_send(incident=breach, scope=_scope(breach), contacts=[ENGLISH], actor=officer)
    notice = BreachNotice.objects.get()
    BreachNotice.objects.filter(pk=notice.pk).update(state=NoticeState.QUEUED, last_error="")
    job_schedule.get("sync_breach_notice_states").run()
    notice.refresh_from_db()
    assert notice.state == NoticeState.FAILED
    assert breach_notice_states_sync() == 0  # nothing more to change


def _form_data() -> dict:
    return {
        f"{lang}_{key}": text for lang, parts in NOTICE_TEXT.items() for key, text in parts.items()
    }


# --- the pages ----------------------------------------------------------------------------


def test_the_officer_confirms_then_sends_and_lands_on_the_notices_page(
    smtp, breach, officer_client, scope_people
):
    scope_people.extend([FRENCH, ENGLISH])
    _scope(breach, without_address=3)
    url = reverse("incidents:notices_send", args=[breach.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "2 people will get this notice: 1 in French, 1 in English;" in text
    assert "3 records without an address cannot be notified" in text
    assert not BreachNotice.objects.exists()  # a GET sends nothing

    response = officer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:notices", args=[breach.pk])
    assert len(smtp.wait(2)) == 2
    assert BreachNotice.objects.filter(state=NoticeState.SENT).count() == 2

    # Sent again by mistake: nobody new, nothing sent.
    again = officer_client.get(url)
    assert "Nobody new to notify." in again.content.decode()
    assert officer_client.post(url).status_code == 400
    assert BreachNotice.objects.count() == 2


def test_the_editor_starts_from_a_bilingual_draft_and_saves_with_its_timeline_entry(
    breach, officer_client, scope_people
):
    breach.notice_text = {}
    breach.save()
    scope_people.append(FRENCH)
    _scope(breach)
    url = reverse("incidents:notice_edit", args=[breach.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The draft names the kinds of information of the register, in each language.
    assert "names and contact details" in html
    assert "noms et coordonnées" in html
    data = {
        f"{lang}_{key}": text for lang in ("fr", "en") for key, text in NOTICE_TEXT[lang].items()
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.notice_text == NOTICE_TEXT
    assert breach.events.filter(kind=EventKind.NOTICE_DRAFTED).count() == 1
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 200
    assert NOTICE_TEXT["en"]["steps"] in preview.content.decode()
    assert policy.IPC_CONTACT["toll_free"] in preview.content.decode()


def test_a_draft_missing_a_part_in_a_language_someone_speaks_is_refused(
    breach, officer_client, scope_people
):
    scope_people.extend([FRENCH, ENGLISH])
    _scope(breach)
    before = breach.notice_text
    data = {
        f"{lang}_{key}": text for lang in ("fr", "en") for key, text in NOTICE_TEXT[lang].items()
    }
    data["en_steps"] = "   "
    data["fr_happened"] = "Texte tapé par l'agente, gardé."
    response = officer_client.post(reverse("incidents:notice_edit", args=[breach.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write this part in english: someone to notify reads it." in html
    assert "every part is needed in each language that someone to notify speaks" in html
    assert "Texte tapé par l&#x27;agente, gardé." in html
    breach.refresh_from_db()
    assert breach.notice_text == before
    assert not breach.events.filter(kind=EventKind.NOTICE_DRAFTED).exists()

    # French speakers only: the English part may wait.
    scope_people.remove(ENGLISH)
    data["en_steps"] = ""
    response = officer_client.post(reverse("incidents:notice_edit", args=[breach.pk]), data)
    assert response.status_code == 302


def test_a_notice_cannot_go_out_in_a_language_whose_parts_are_empty(
    smtp, breach, officer_client, scope_people
):
    breach.notice_text = {"fr": NOTICE_TEXT["fr"], "en": {}}
    breach.save()
    scope_people.extend([FRENCH, ENGLISH])
    _scope(breach)
    url = reverse("incidents:notices_send", args=[breach.pk])
    assert "The notice is not written in english." in officer_client.get(url).content.decode()
    assert officer_client.post(url).status_code == 400
    assert not BreachNotice.objects.exists()
    assert smtp.messages == []


@pytest.mark.parametrize("role", [ED, CONTENT, PROGRAM_STAFF, COMMUNICATIONS, TECHNICAL_ADMIN])
def test_only_the_privacy_officer_and_the_aed_notify(client, breach, role, scope_people):
    scope_people.append(FRENCH)
    _scope(breach)
    staff_sign_in(client, staff_user(role=role))
    for name in ("notice_edit", "notice_preview", "notices_send", "notices"):
        url = reverse(f"incidents:{name}", args=[breach.pk])
        for response in (client.get(url), client.post(url, {"notice": 1})):
            assert response.status_code == 403, (name, role)
            assert (
                "Only the Privacy Officer and the Assistant Executive Director"
                in (response.content.decode())
                or "Seuls" in response.content.decode()
            )
    assert not BreachNotice.objects.exists()
    assert not breach.events.exclude(kind=EventKind.REPORTED).exists()


def test_the_aed_notifies(client, smtp, breach, scope_people):
    scope_people.append(FRENCH)
    _scope(breach)
    staff_sign_in(client, staff_user(role=AED))
    response = client.post(reverse("incidents:notices_send", args=[breach.pk]))
    assert response.status_code == 302
    assert len(smtp.wait(1)) == 1


def test_no_address_nor_notice_text_in_the_access_log_or_the_timeline(
    smtp, breach, officer_client, scope_people
):
    smtp.refused.add(ENGLISH.email)
    scope_people.extend([FRENCH, ENGLISH])
    _scope(breach)
    officer_client.get(reverse("incidents:notice_edit", args=[breach.pk]))
    officer_client.get(reverse("incidents:notice_preview", args=[breach.pk]))
    officer_client.post(reverse("incidents:notices_send", args=[breach.pk]))
    officer_client.get(reverse("incidents:notices", args=[breach.pk]))
    failed = BreachNotice.objects.get(state=NoticeState.FAILED)
    smtp.refused.clear()
    officer_client.post(reverse("incidents:notices", args=[breach.pk]), {"notice": failed.pk})

    entries = [str(e.details) for e in AccessLogEntry.objects.all()]
    entries += [str(d) for d in IncidentEvent.objects.values_list("details", flat=True)]
    assert entries
    secrets = [FRENCH.email, ENGLISH.email, FRENCH.name, ENGLISH.name, "josee", "pat.smith"]
    secrets += [text[:30] for parts in NOTICE_TEXT.values() for text in parts.values()]
    for entry in entries:
        for secret in secrets:
            assert secret.lower() not in entry.lower(), (secret, entry)
    kinds = set(breach.events.values_list("kind", flat=True))
    assert {EventKind.NOTICES_SENT, EventKind.NOTICE_RETRIED} <= kinds
    # The pages that show the notice or the failures are logged reads.
    reads = AccessLogEntry.objects.filter(action="personal_data_read")
    assert reads.filter(object_type="incidents.incident", object_id=str(breach.pk)).exists()
    assert reads.filter(object_type="incidents.breachnotice").exists()


def test_the_register_panel_counts_the_notices(rf, smtp, breach, officer):
    from django.template.loader import render_to_string

    smtp.refused.add(ENGLISH.email)
    breach_notices_send(
        incident=breach, scope=_scope(breach), contacts=[FRENCH, ENGLISH], actor=officer
    )
    request = rf.get("/")
    request.user = officer
    from django.utils import translation

    with translation.override("en"):
        html = " ".join(
            render_to_string(
                "incidents/admin/register/notices_panel.html",
                {"incident": breach, "request": request},
            ).split()
        )
    assert "1 sent, 0 waiting, 1 failed." in html
    assert reverse("incidents:notices", args=[breach.pk]) in html
    assert FRENCH.email not in html
