"""The outbox: a silent mail server never holds a request, and no message is lost
(policy M); the outbox and the mail folder hold personal data encrypted or briefly, and
the retention job empties them (policy F, M)."""

from __future__ import annotations

import datetime
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_user
from csce.accounts.testing import login_with_mfa
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.crypto import blind_index
from csce.outbox.delivery import outbox_deliver_due
from csce.outbox.models import OUTBOX_RECORD_DAYS, OutboxMessage, OutboxState
from csce.outbox.registry import mail_folder_purge, outbox_purge
from csce.outbox.services import message_enqueue
from csce.privacy.factories import (
    portal_page,
    portal_page_create,
    portal_post,
    portal_post_data,
)
from csce.privacy.models import PrivacyRequestVerification
from csce.privacy.services import (
    VERIFICATION_MAIL_KIND,
    VerificationRecentlySent,
    privacy_request_verification_create,
    unverified_requests_undelivered,
)

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "newsletter"]}
}
QUICK = 1.5  # seconds: far below the mail server's silence, above a loaded machine's page


class StalledSmtpServer:
    """Accepts connections and never says a word: no greeting, no answer."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def stalled_smtp(settings):
    server = StalledSmtpServer()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 0.5
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    # Production's queue: the request writes the task; the worker (this test) runs it.
    settings.TASKS = DB_TASKS
    # Before the outbox, sending had no timeout: the request would hang for good. This
    # makes such a request end after a few seconds, so the test fails instead of hanging.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(5)
    yield server
    socket.setdefaulttimeout(previous)
    server.close()


@pytest.fixture
def portal(site_home):
    """The privacy-rights portal, in French and English, on a fresh site."""
    return portal_page_create(home=site_home)


@pytest.fixture
def privacy_officer(db):
    from csce.accounts.roles import PRIVACY_OFFICER

    return staff_user(username="agente", role=PRIVACY_OFFICER, email="", verified=False)


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_silent_mail_server_holds_no_request_and_the_messages_end_failed_on_the_officers_list(
    client, portal, stalled_smtp, privacy_officer
):
    page = portal_page("fr")
    addresses = [f"personne{n}@example.org" for n in range(6)]
    for n, address in enumerate(addresses):
        response, seconds = _timed(
            lambda address=address, n=n: portal_post(
                client, page, portal_post_data(page, email=address), REMOTE_ADDR=f"203.0.113.{n}"
            )
        )
        assert response.status_code == 200
        assert seconds < QUICK, f"a portal submission took {seconds:.1f} s"
        assert "nous enverrons" in response.content.decode()
        home, seconds = _timed(lambda: client.get("/fr/"))
        assert home.status_code == 200
        assert seconds < QUICK, f"the home page took {seconds:.1f} s"
    assert len(stalled_smtp.accepted) == 0  # no request even opened a connection

    queued = OutboxMessage.objects.filter(kind=VERIFICATION_MAIL_KIND)
    assert sorted(queued.values_list("recipient_index", flat=True)) == sorted(
        blind_index(a) for a in addresses
    )
    assert set(queued.values_list("state", flat=True)) == {OutboxState.QUEUED}

    # The worker's first try: each message waits EMAIL_TIMEOUT, then waits its turn again.
    start = timezone.now()
    counts, seconds = _timed(lambda: outbox_deliver_due(now=start))
    assert counts == {OutboxState.QUEUED: 6}
    assert 6 * 0.5 <= seconds < 6 * 0.5 + 5
    row = queued.first()
    assert row.attempts == 1
    assert row.last_error
    assert "example.org" not in row.last_error
    assert row.next_attempt_at == start + datetime.timedelta(seconds=60)
    # Back-off: nothing is due before the wait is over, and the second wait is longer.
    assert outbox_deliver_due(now=start + datetime.timedelta(seconds=59)) == {}
    second = start + datetime.timedelta(seconds=60)
    assert outbox_deliver_due(now=second) == {OutboxState.QUEUED: 6}
    assert queued.first().next_attempt_at == second + datetime.timedelta(seconds=120)
    assert unverified_requests_undelivered() == []
    third = second + datetime.timedelta(seconds=120)
    assert outbox_deliver_due(now=third) == {OutboxState.FAILED: 6}
    assert set(queued.values_list("state", flat=True)) == {OutboxState.FAILED}
    assert set(queued.values_list("attempts", flat=True)) == {3}

    # Not silently lost: each unconfirmed form is on the Privacy Officer's list.
    undelivered = unverified_requests_undelivered()
    assert sorted(v.payload["email"] for v in undelivered) == sorted(addresses)
    login_with_mfa(client, privacy_officer)
    listing = client.get(reverse("privacy_requests:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "n’a pas pu être livré" in html or "could not be delivered" in html
    for address in addresses:
        assert address in html
    assert AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        actor_id=privacy_officer.pk,
        object_type="privacy.privacyrequestverification",
    ).count() == len(addresses)


def test_the_outbox_delivers_to_a_real_smtp_server_in_the_recipients_language(
    client, portal, smtp_inbox, django_capture_on_commit_callbacks
):
    page = portal_page("en")
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_post(client, page, portal_post_data(page, email="reader@example.org"))
    assert response.status_code == 200
    assert "we will send a link" in response.content.decode()
    (message,) = smtp_inbox.wait(1)
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "Confirm your privacy request"
    row = OutboxMessage.objects.get(kind=VERIFICATION_MAIL_KIND)
    assert row.state == OutboxState.SENT
    assert row.language == "en"
    # Once sent, the site keeps no copy of what it said, nor to whom (policy F).
    assert row.content is None
    assert row.recipients is None


def test_django_and_wagtail_mail_goes_through_the_outbox(client, site_home):
    staff_user(username="editrice", verified=False)
    response = client.post(
        reverse("wagtailadmin_password_reset"), {"email": "editrice@example.org"}
    )
    assert response.status_code == 302
    row = OutboxMessage.objects.get(recipient_index=blind_index("editrice@example.org"))
    assert row.state == OutboxState.SENT
    assert [m.to for m in mail.outbox] == [["editrice@example.org"]]


def test_the_outbox_keeps_addresses_and_text_encrypted_at_rest(settings):
    settings.TASKS = DB_TASKS  # not delivered yet: the row still holds everything
    message_enqueue(
        message=EmailMessage(
            subject="Rendez-vous Quixotl", body="Bonjour Zéphyrine", to=["zephyrine@example.org"]
        ),
        kind="test",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM outbox_outboxmessage")
        raw = repr(cursor.fetchall())
    assert "zephyrine" not in raw
    assert "Quixotl" not in raw
    assert "Zéphyrine" not in raw
    row = OutboxMessage.objects.get()
    assert row.recipients == ["zephyrine@example.org"]
    assert row.content["body"] == "Bonjour Zéphyrine"


def test_attachments_survive_the_outbox():
    message = EmailMessage(subject="Inscription", body="Voir le fichier.", to=["a@example.org"])
    message.attach("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("plan.pdf", b"%PDF-\x00\xff", "application/pdf")
    message.send()
    (sent,) = mail.outbox
    assert [a[0] for a in sent.attachments] == ["session.ics", "plan.pdf"]
    assert sent.attachments[1][1] == b"%PDF-\x00\xff"


def test_the_retention_job_deletes_old_rows_and_the_mail_folder_files(settings, tmp_path):
    old = timezone.now() - datetime.timedelta(days=OUTBOX_RECORD_DAYS + 1)
    settings.TASKS = DB_TASKS
    stale = message_enqueue(
        message=EmailMessage(subject="s", body="b", to=["ancien@example.org"]), created_at=old
    )
    OutboxMessage.objects.filter(pk=stale.pk).update(state=OutboxState.FAILED)
    fresh = message_enqueue(message=EmailMessage(subject="s", body="b", to=["neuf@example.org"]))
    assert outbox_purge(now=timezone.now(), batch_size=10) == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [fresh.pk]

    # The embedded default writes each delivered message to a folder, in clear.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert outbox_deliver_due() == {OutboxState.SENT: 1}
    (written,) = tmp_path.iterdir()
    assert "neuf@example.org" in written.read_text()
    from csce.common.registry import personal_data_registry

    folder = personal_data_registry.get("mail_folder")
    assert [r.object_id for r in folder.find(email="NEUF@example.org")] == [written.name]
    assert mail_folder_purge(now=timezone.now(), batch_size=10) == 0
    later = timezone.now() + datetime.timedelta(days=OUTBOX_RECORD_DAYS + 1)
    assert mail_folder_purge(now=later, batch_size=10) == 1
    assert list(tmp_path.iterdir()) == []


def test_one_verification_e_mail_per_address_and_hour(settings):
    settings.TASKS = DB_TASKS
    now = timezone.now()
    create = {
        "kind": "access",
        "name": "",
        "details": "",
        "language": "fr",
        "page_url": "/fr/droits/",
    }
    privacy_request_verification_create(email="Lea@example.org", now=now, **create)
    with pytest.raises(VerificationRecentlySent):
        privacy_request_verification_create(
            email="lea@example.org", now=now + datetime.timedelta(minutes=59), **create
        )
    privacy_request_verification_create(email="autre@example.org", now=now, **create)
    privacy_request_verification_create(
        email="lea@example.org", now=now + datetime.timedelta(minutes=61), **create
    )
    assert PrivacyRequestVerification.objects.count() == 3


def test_a_second_portal_form_within_the_hour_sends_nothing_and_reveals_nothing(client, portal):
    page = portal_page("fr")
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    first = portal_post(client, page, portal_post_data(page, email="lea@example.org"))
    again = portal_post(client, page, portal_post_data(page, email="lea@example.org"))
    assert again.status_code == first.status_code == 200
    assert strip(again.content.decode()) == strip(first.content.decode())
    assert "un lien par heure au plus" in again.content.decode()
    assert len(mail.outbox) == 1
    assert PrivacyRequestVerification.objects.count() == 1


def test_staff_who_run_the_site_see_failures_masked_and_send_again(client, site_home, settings):
    from csce.accounts.roles import TECHNICAL_ADMIN

    settings.TASKS = DB_TASKS
    row = message_enqueue(message=EmailMessage(subject="s", body="b", to=["secret@example.org"]))
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=OutboxState.FAILED, attempts=6, last_error="TimeoutError"
    )
    admin = staff_user(username="tech", role=TECHNICAL_ADMIN, email="", verified=False)
    login_with_mfa(client, admin)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("outbox_admin") in dashboard
    listing = client.get(reverse("outbox_admin"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "secret@example.org" not in html
    assert "s…@e….org" in html
    assert "TimeoutError" in html
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.post(reverse("outbox_admin"), {"message": row.pk}).status_code == 302
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert [m.to for m in mail.outbox] == [["secret@example.org"]]
