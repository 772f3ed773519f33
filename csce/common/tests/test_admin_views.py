"""The staff-screen toolkit every domain app builds on (policy F: need to know)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from django.views import View

from csce.accounts.factories import staff_user
from csce.common.admin_views import (
    DueColumn,
    NoStoreMixin,
    PermissionRequiredMixin,
    forbidden,
    need_to_know,
)
from csce.submissions.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return staff_user(username="toolkit", is_staff=True, verified=False)


def _get(user):
    request = RequestFactory().get("/admin/somewhere/")
    request.user = user
    return request


def test_the_forbidden_page_is_a_403_that_says_why_in_the_staff_members_language(staff):
    with translation.override("fr"):
        response = forbidden(_get(staff), reason="Réservé à la personne responsable.")
        response.render()
    body = response.content.decode()
    assert response.status_code == 403
    assert "Réservé à la personne responsable." in body
    assert "Accès refusé" in body
    assert "no-store" in response["Cache-Control"]


def test_need_to_know_turns_a_refusal_into_the_403_page_bare_or_with_a_reason(staff):
    @need_to_know
    def bare(request):
        raise PermissionDenied

    @need_to_know(reason="Only the inbox.")
    def explained(request):
        raise PermissionDenied

    @need_to_know
    def allowed(request):
        return HttpResponse("ok")

    assert bare(_get(staff)).status_code == 403
    response = explained(_get(staff))
    response.render()
    assert "Only the inbox." in response.content.decode()
    assert allowed(_get(staff)).content == b"ok"


class _Screen(PermissionRequiredMixin, NoStoreMixin, View):
    permission = "auth.view_group"
    forbidden_reason = "Groups are for administrators."

    def get(self, request):
        return HttpResponse("the screen")


def test_the_permission_mixin_refuses_without_the_permission_and_opens_with_it(staff):
    refused = _Screen.as_view()(_get(staff))
    assert refused.status_code == 403
    assert _Screen.as_view()(_get(AnonymousUser())).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_group"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per instance
    opened = _Screen.as_view()(_get(staff))
    assert opened.status_code == 200
    assert "no-store" in opened["Cache-Control"]


def _Case(**fields):
    # A real case model, unsaved: an inquiry, whose clock runs until answered or closed.
    return Submission(**fields)


def test_a_case_is_overdue_once_its_due_moment_passes_and_never_once_closed():
    now = timezone.now()
    case = _Case(due_at=now - datetime.timedelta(hours=1))
    assert case.case_is_overdue(now=now)
    assert case.case_days_left(now=now) in (0, -1)
    case.closed_at = now
    case.status = SubmissionStatus.CLOSED
    assert not case.case_is_overdue(now=now)
    assert not _Case(due_at=None).case_is_overdue(now=now)
    assert _Case(due_at=None).case_days_left(now=now) is None
    in_three_days = _Case(due_at=now + datetime.timedelta(days=3))
    assert in_three_days.case_days_left(now=now) == 3


def _cell(case) -> str:
    column = DueColumn("due_at", label="Due")
    context = column.get_cell_context_data(case, {"row": None, "table": None})
    with translation.override("fr"):
        return render_to_string(column.cell_template_name, context)


def test_the_due_column_says_overdue_and_days_left_in_words():
    now = timezone.now()
    late = _cell(_Case(due_at=now - datetime.timedelta(days=2)))
    assert "En retard" in late
    assert "restant" not in late
    soon = _cell(_Case(due_at=now + datetime.timedelta(days=5)))
    assert "En retard" not in soon
    assert "jours restants" in soon
    closed = _cell(
        _Case(
            due_at=now - datetime.timedelta(days=2), closed_at=now, status=SubmissionStatus.CLOSED
        )
    )
    assert "En retard" not in closed
    answered = _cell(_Case(due_at=now - datetime.timedelta(days=2), answered_at=now))
    assert "En retard" not in answered
    assert "restant" not in answered
