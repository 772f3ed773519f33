"""Each moderator's action through the admin's HTTP interface, as a content
creator/administrator (policy U, R, X): the item's state, its history row, and the access
log's entry with the action's and the reason's codes, never the note nor what the visitor
wrote; a reason "other" without a note refused with what was typed kept; a decision that
no longer applies refused in words; the same decision twice harmless."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in
from csce.audit.models import AccessAction, AccessLogEntry
from csce.incidents.alerts import ALERT_MAIL_KIND
from csce.incidents.models import Incident
from csce.moderation import services
from csce.moderation.factories import comment_create, report_create
from csce.moderation.models import (
    Comment,
    CommentState,
    ConcernReport,
    ModerationAction,
    ReportState,
    SenderBlock,
    Subject,
)
from csce.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOTE = "Note interne de la modératrice"
TEXT = "Un texte de visiteur très reconnaissable"


@pytest.fixture
def moderator(client, staff_user_make):
    user = staff_user_make(role=roles.CONTENT, first_name="Modé", last_name="Ratrice")
    staff_sign_in(client, user)
    return user


@pytest.fixture
def comment(site_home):
    return comment_create(page=site_home, text=TEXT, email="visiteur@example.org")


@pytest.fixture
def report():
    return report_create(description=TEXT, contact="signale@example.org")


def _comment_url(comment) -> str:
    return reverse("moderation_admin:comment", args=[comment.pk])


def _report_url(report) -> str:
    return reverse("moderation_admin:report", args=[report.pk])


def _post(client, url, action, reason, note="", **extra):
    return client.post(url, {"action": action, "reason": reason, "note": note, **extra})


def _logged(object_type: str, object_id) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            action=AccessAction.CONTENT_ACTION, object_type=object_type, object_id=str(object_id)
        ).order_by("pk")
    )


def _assert_logged(moderator, object_type, object_id, kind, reason):
    (entry,) = _logged(object_type, object_id)
    assert entry.actor_id == moderator.pk
    assert entry.details == {"moderation": kind, "reason": reason}
    assert NOTE not in str(entry.details)
    assert TEXT not in str(entry.details)


def _history(comment) -> list[tuple[str, str]]:
    return list(
        ModerationAction.objects.filter(comment_id_kept=comment.pk).values_list("kind", "reason")
    )


def test_opening_a_comment_shows_it_and_logs_one_read(client, moderator, comment):
    response = client.get(_comment_url(comment))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert TEXT in html
    assert "visiteur@example.org" in html
    reads = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        actor_id=moderator.pk,
        object_type=services.COMMENT_TYPE,
        object_id=str(comment.pk),
    )
    assert reads.count() == 1
    assert reads.get().details == {"reason": "moderation"}


@pytest.mark.parametrize(
    ("action", "reason", "state"),
    [
        ("approve", "within_rules", CommentState.APPROVED),
        ("reject", "harassment", CommentState.REJECTED),
    ],
)
def test_approving_or_rejecting_a_waiting_comment(
    client, moderator, comment, action, reason, state
):
    response = _post(client, _comment_url(comment), action, reason, NOTE)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == state
    assert comment.moderated_by == moderator
    assert comment.closed_at is not None
    assert _history(comment) == [(action, reason)]
    assert ModerationAction.objects.get(comment_id_kept=comment.pk).note == NOTE
    _assert_logged(moderator, services.COMMENT_TYPE, comment.pk, action, reason)
    page = client.get(response["Location"]).content.decode()
    assert "Commentaire approuvé" in page or "Commentaire refusé" in page
    # The history says who, when, what and why, with the note.
    assert "Modé Ratrice" in page
    assert NOTE in page


def test_hiding_an_approved_comment_then_approving_it_again(client, moderator, site_home):
    comment = comment_create(page=site_home, state=CommentState.APPROVED)
    assert _post(client, _comment_url(comment), "hide", "off_topic").status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert _post(client, _comment_url(comment), "approve", "within_rules").status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.APPROVED
    assert _history(comment) == [("hide", "off_topic"), ("approve", "within_rules")]


def test_editing_a_comment_marks_it_edited_by_a_moderator(client, moderator, comment):
    page = client.get(_comment_url(comment)).content.decode()
    # The text area is filled with the comment as it is.
    assert f">\n{TEXT}</textarea>" in page or f">{TEXT}</textarea>" in page
    response = _post(
        client, _comment_url(comment), "edit", "personal_information", text="Texte corrigé."
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Texte corrigé."
    assert comment.edited_at is not None
    # An edit is not a decision: the comment still waits, its clock still runs.
    assert comment.state == CommentState.PENDING
    assert comment.closed_at is None
    assert _history(comment) == [("edit", "personal_information")]
    _assert_logged(moderator, services.COMMENT_TYPE, comment.pk, "edit", "personal_information")
    assert "Modifié par la modération" in client.get(_comment_url(comment)).content.decode()


def test_deleting_a_comment_keeps_its_history(client, moderator, comment):
    refused = _post(client, _comment_url(comment), "delete", "spam")
    assert refused.status_code == 400  # the confirmation box was not ticked
    assert Comment.objects.filter(pk=comment.pk).exists()
    response = _post(client, _comment_url(comment), "delete", "spam", confirm="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation_admin:queue")
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert _history(comment) == [("delete", "spam")]
    _assert_logged(moderator, services.COMMENT_TYPE, comment.pk, "delete", "spam")
    assert client.get(_comment_url(comment), follow=True).status_code == 404


def test_other_without_a_note_is_refused_with_what_was_typed(client, moderator, comment):
    response = _post(client, _comment_url(comment), "edit", "other", text="Mon texte tapé à garder")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Expliquez le motif «\u00a0Autre\u00a0» dans la note." in html
    assert "Mon texte tapé à garder</textarea>" in html
    assert '<option value="other" selected>' in html
    comment.refresh_from_db()
    assert comment.text == TEXT
    assert not ModerationAction.objects.exists()
    assert not _logged(services.COMMENT_TYPE, comment.pk)
    # The page shown again is a read of the comment, once for the request.
    assert (
        AccessLogEntry.objects.filter(
            action=AccessAction.PERSONAL_DATA_READ, object_id=str(comment.pk)
        ).count()
        == 1
    )
    # With a note, the same action goes through.
    assert (
        _post(client, _comment_url(comment), "edit", "other", NOTE, text="Corrigé").status_code
        == 302
    )


def test_a_missing_or_unknown_reason_is_refused(client, moderator, comment):
    for reason in ("", "pas-un-motif"):
        assert _post(client, _comment_url(comment), "approve", reason).status_code == 400
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING


def test_approving_a_rejected_comment_is_refused_in_words(client, moderator, site_home):
    comment = comment_create(page=site_home, state=CommentState.REJECTED)
    response = _post(client, _comment_url(comment), "approve", "within_rules")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Seul un commentaire en attente de modération ou masqué peut être approuvé\u202f; "
        "celui-ci est «\u00a0Refusé\u00a0»."
    ) in html
    comment.refresh_from_db()
    assert comment.state == CommentState.REJECTED
    assert not ModerationAction.objects.exists()


def test_two_moderators_approving_at_once_approve_once(client, moderator, comment):
    """The second approval (a page opened before the first) changes nothing, says so, and
    writes no second history row or log entry."""
    assert _post(client, _comment_url(comment), "approve", "within_rules").status_code == 302
    again = _post(client, _comment_url(comment), "approve", "within_rules")
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert "Rien n’a changé\u00a0: le commentaire était déjà «\u00a0Approuvé\u00a0»." in page
    assert _history(comment) == [("approve", "within_rules")]
    assert len(_logged(services.COMMENT_TYPE, comment.pk)) == 1


def test_blocking_a_comment_s_sender(client, moderator, comment, site_home):
    response = _post(client, _comment_url(comment), "block", "harassment", days="7")
    assert response.status_code == 302
    blocks = SenderBlock.objects.order_by("kind")
    assert [b.kind for b in blocks] == ["email", "network"]
    assert all(b.reason == "harassment" for b in blocks)
    assert _history(comment) == [("block", "harassment")]
    _assert_logged(moderator, services.COMMENT_TYPE, comment.pk, "block", "harassment")
    assert "bloqué jusqu’au" in client.get(response["Location"]).content.decode()
    with pytest.raises(services.SenderBlocked):
        comment_create(page=site_home)
    with pytest.raises(services.SenderBlocked):
        report_create()
    # A block of any other length than the policy's is refused.
    assert _post(client, _comment_url(comment), "block", "spam", days="3").status_code == 400


def test_a_report_is_read_closed_and_reopened(client, moderator, report):
    html = client.get(_report_url(report)).content.decode()
    assert TEXT in html
    assert "signale@example.org" in html
    assert _post(client, _report_url(report), "close", "handled").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.CLOSED
    assert _post(client, _report_url(report), "reopen", "other", NOTE).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.OPEN
    assert report.due_at > timezone.now()
    assert list(report.actions.values_list("kind", "reason")) == [
        ("close", "handled"),
        ("reopen", "other"),
    ]
    entries = _logged(services.REPORT_TYPE, report.pk)
    assert [e.details for e in entries] == [
        {"moderation": "close", "reason": "handled"},
        {"moderation": "reopen", "reason": "other"},
    ]


def test_escalating_a_report_opens_one_incident_with_its_alerts(
    client, moderator, report, staff_user_make
):
    staff_user_make(role=roles.PRIVACY_OFFICER, email="agente@example.org")
    response = _post(client, _report_url(report), "escalate", "security", kind="security")
    assert response.status_code == 302
    report.refresh_from_db()
    incident = Incident.objects.get()
    assert report.incident_reference == incident.reference
    assert report.state == ReportState.CLOSED
    assert incident.reported_by == moderator
    assert TEXT in incident.description
    assert OutboxMessage.objects.filter(kind=ALERT_MAIL_KIND).exists()
    alerts = OutboxMessage.objects.filter(kind=ALERT_MAIL_KIND).count()
    _assert_logged(moderator, services.REPORT_TYPE, report.pk, "escalate", "security")
    page = client.get(response["Location"]).content.decode()
    assert incident.reference in page
    # A content creator does not keep the register: the reference, no link to it.
    assert reverse("incidents:detail", args=[incident.pk]) not in page
    # Once only: a second escalation (an out-of-date page) opens nothing more.
    again = _post(client, _report_url(report), "escalate", "security", kind="security")
    assert again.status_code == 302
    assert Incident.objects.count() == 1
    assert OutboxMessage.objects.filter(kind=ALERT_MAIL_KIND).count() == alerts
    # The AED, who keeps the register, is given the link.
    staff_sign_in(client, staff_user_make(role=roles.AED))
    page = client.get(_report_url(report)).content.decode()
    assert reverse("incidents:detail", args=[incident.pk]) in page


def test_a_report_about_a_comment_links_to_it(client, moderator, site_home):
    comment = comment_create(page=site_home, state=CommentState.APPROVED)
    report = report_create(subject=Subject.COMMENT, comment=comment, url="")
    html = client.get(_report_url(report)).content.decode()
    assert _comment_url(comment) in html
    assert _report_url(report) in client.get(_comment_url(comment)).content.decode()


def test_a_blocked_sender_posts_again_once_the_block_expires(client, moderator, report):
    assert _post(client, _report_url(report), "block", "spam", days="1").status_code == 302
    with pytest.raises(services.SenderBlocked):
        report_create()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert report_create().state == ReportState.OPEN


@pytest.mark.parametrize("role", [roles.PROGRAM_STAFF, roles.COMMUNICATIONS])
def test_other_roles_cannot_act(client, staff_user_make, comment, report, role):
    staff_sign_in(client, staff_user_make(role=role))
    assert _post(client, _comment_url(comment), "approve", "within_rules").status_code == 403
    assert _post(client, _report_url(report), "close", "handled").status_code == 403
    assert (
        _post(client, _report_url(report), "escalate", "security", kind="security").status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
    assert ConcernReport.objects.get(pk=report.pk).state == ReportState.OPEN
    assert not Incident.objects.exists()
    assert not ModerationAction.objects.exists()


def test_writes_need_a_post_and_a_csrf_token(moderator, comment):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    staff_sign_in(strict, moderator)
    response = strict.post(_comment_url(comment), {"action": "approve", "reason": "within_rules"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
    # A GET with the action's parameters only shows the page.
    strict.get(_comment_url(comment), {"action": "approve", "reason": "within_rules"})
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
