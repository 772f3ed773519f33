"""The moderation queue in the admin (policy U, R): reports and waiting comments together,
oldest first, with the answer's due time and "Overdue" in words; no visitor's text, so
no read to log; counts in a bounded number of queries; the menu item and the dashboard
panel for the moderators only (need to know, policy F)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in
from csce.audit.models import AccessAction, AccessLogEntry
from csce.moderation.factories import comment_create, report_create
from csce.moderation.models import Comment, CommentState, ConcernReport, ReportState

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation_admin:queue")


@pytest.fixture
def article(site_home):
    return site_home


@pytest.fixture
def moderator(client, staff_user_make):
    user = staff_user_make(role=roles.CONTENT, first_name="Modé", last_name="Ratrice")
    staff_sign_in(client, user)
    return user


def _aged(item, *, days: int):
    """Received ``days`` ago, due a business day later (an item of that age)."""
    created = timezone.now() - datetime.timedelta(days=days)
    type(item).objects.filter(pk=item.pk).update(
        created_at=created, due_at=created + datetime.timedelta(days=1)
    )
    item.refresh_from_db()
    return item


def test_reports_and_waiting_comments_together_oldest_first(client, moderator, article):
    old_comment = _aged(comment_create(page=article, text="Texte ancien"), days=5)
    report = _aged(report_create(description="Description du signalement"), days=3)
    new_comment = comment_create(page=article, text="Texte récent")
    comment_create(page=article, state=CommentState.APPROVED)
    report_create(state=ReportState.CLOSED, closed_at=timezone.now())

    response = client.get(QUEUE)
    assert response.status_code == 200
    assert (
        response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    )
    html = response.content.decode()
    links = [
        reverse("moderation_admin:comment", args=[old_comment.pk]),
        reverse("moderation_admin:report", args=[report.pk]),
        reverse("moderation_admin:comment", args=[new_comment.pk]),
    ]
    assert all(link in html for link in links)
    assert [html.index(link) for link in links] == sorted(html.index(link) for link in links)
    # Only what waits: the approved comment and the closed report are not listed.
    assert html.count("/admin/moderation/comments/") == 2
    assert html.count("/admin/moderation/reports/") == 1
    # Overdue in words, for the two old items only (not colour alone).
    assert html.count("En retard") == 2
    assert "Harcèlement — Une page de ce site" in html
    assert article.title in html
    # No visitor's text or name: not a read.
    for text in ("Texte ancien", "Texte récent", "Description du signalement", "Élise"):
        assert text not in html
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).exists()


def test_the_filters_show_decided_and_all(client, moderator, article):
    waiting = comment_create(page=article)
    approved = comment_create(page=article, state=CommentState.APPROVED)
    closed = report_create(state=ReportState.CLOSED, closed_at=timezone.now())
    decided = client.get(QUEUE, {"status": "decided"}).content.decode()
    assert reverse("moderation_admin:comment", args=[approved.pk]) in decided
    assert reverse("moderation_admin:report", args=[closed.pk]) in decided
    assert reverse("moderation_admin:comment", args=[waiting.pk]) not in decided
    every = client.get(QUEUE, {"status": "all"}).content.decode()
    for url in (
        reverse("moderation_admin:comment", args=[waiting.pk]),
        reverse("moderation_admin:comment", args=[approved.pk]),
        reverse("moderation_admin:report", args=[closed.pk]),
    ):
        assert url in every
    # An unknown filter is the default, never a 500.
    assert client.get(QUEUE, {"status": "<script>", "p": "x"}).status_code == 200


def test_the_queue_costs_the_same_queries_for_two_items_or_forty(client, moderator, article):
    comment_create(page=article)
    report_create()
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    for _index in range(20):
        comment_create(page=article)
        report_create()
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "role", [roles.PROGRAM_STAFF, roles.COMMUNICATIONS, roles.PRIVACY_OFFICER, roles.ED]
)
def test_other_roles_get_a_403_in_words(client, staff_user_make, article, role):
    comment = comment_create(page=article)
    report = report_create()
    staff_sign_in(client, staff_user_make(role=role))
    for url in (
        QUEUE,
        reverse("moderation_admin:comment", args=[comment.pk]),
        reverse("moderation_admin:report", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "modération" in response.content.decode()
    response = client.post(
        reverse("moderation_admin:comment", args=[comment.pk]),
        {"action": "approve", "reason": "within_rules"},
    )
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).state == CommentState.PENDING
    assert ConcernReport.objects.get(pk=report.pk).state == ReportState.OPEN


def test_the_menu_says_how_many_wait_to_moderators_only(client, staff_user_make, article):
    comment_create(page=article)
    report_create()
    staff_sign_in(client, staff_user_make(role=roles.CONTENT))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # The menu is the sidebar's JSON: « é » escaped.
    assert '"label": "Mod\\u00e9ration (2 en attente)"' in html
    staff_sign_in(client, staff_user_make(role=roles.COMMUNICATIONS))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mod\\u00e9ration" not in html
    assert QUEUE not in html


def test_the_dashboard_panel_counts_waiting_and_overdue(client, staff_user_make, article):
    _aged(comment_create(page=article), days=4)
    report_create()
    comment_create(page=article, state=CommentState.REJECTED)
    staff_sign_in(client, staff_user_make(role=roles.AED))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('id="moderation-queue-heading"') :]
    assert "2 commentaires ou signalements en attente" in panel
    assert "1 en retard sur l’heure de réponse" in panel
    assert QUEUE in panel
    assert "Élise" not in html
    staff_sign_in(client, staff_user_make(role=roles.PROGRAM_STAFF))
    assert (
        'id="moderation-queue-heading"'
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
