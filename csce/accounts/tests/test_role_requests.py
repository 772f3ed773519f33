"""Roles that open personal data are given by a second person, never by oneself (policy R, F).

Every test goes through the admin's HTTP interface, signed in with a second factor, as
the technical administrator who edits accounts and the AED or Executive Director who
approve.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in
from csce.accounts.models import RoleRequest, RoleRequestStatus
from csce.accounts.testing import user_edit_data
from csce.audit.models import AccessAction, AccessLogEntry

# A program page's inbox is what a role request is about.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.policy_enforced,
    pytest.mark.usefixtures("program"),
]

# The admin refuses by redirecting to the dashboard ("no permission"): docs/access-matrix.md.
REFUSED = 302
PERSONAL_DATA_ROLES = [roles.COMMUNICATIONS, roles.PRIVACY_OFFICER, roles.PROGRAM_STAFF]


def _group_ids(*names: str) -> list[int]:
    return [Group.objects.get(name=name).pk for name in names]


def _roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _edit(client, user, *, groups: list[str], **extra):
    data = user_edit_data(user, group_ids=_group_ids(*groups), **extra)
    return client.post(reverse("wagtailusers_users:edit", args=[user.pk]), data)


def _personal_data_urls() -> list[str]:
    from csce.submissions.models import ProgramPage

    program = ProgramPage.objects.filter(inbox__name=roles.PROGRAM_STAFF).first()
    return [
        reverse("privacy_requests:index"),
        reverse("submissions_admin:export", args=[program.pk]),
    ]


def _statuses(client) -> list[int]:
    return [client.get(url).status_code for url in _personal_data_urls()]


def _log(action, **filters) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=action, **filters).order_by("pk"))


@pytest.fixture
def program(site_home):
    """A program whose registrations go to the Program staff inbox, under a services index."""
    from csce.pages.factories import page_add
    from csce.pages.models import ServiceIndexPage
    from csce.submissions.factories import program_page_create

    return program_page_create(parent=page_add(ServiceIndexPage, parent=site_home))


@pytest.fixture
def aed(staff_user_make):
    return staff_user_make(role=roles.AED, username="dga", first_name="Dga")


@pytest.fixture
def technician(client, staff_user_make):
    user = staff_user_make(role=roles.TECHNICAL_ADMIN, username="technicien")
    staff_sign_in(client, user)
    return user


def test_the_technical_administrator_cannot_give_themselves_the_personal_data_roles(
    client, technician, aed, mailoutbox
):
    assert _statuses(client) == [403, 403]
    response = _edit(
        client, technician, groups=[roles.TECHNICAL_ADMIN, *PERSONAL_DATA_ROLES], is_active=None
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous ne pouvez pas modifier vos propres rôles" in html  # French, the default
    assert _roles_of(technician) == {roles.TECHNICAL_ADMIN}
    assert not RoleRequest.objects.filter(user=technician).exists()
    assert _statuses(client) == [403, 403]
    (refused,) = _log(AccessAction.ROLE_CHANGE_REFUSED, object_id=str(technician.pk))
    assert refused.actor_id == technician.pk
    assert refused.details["groups"] == sorted(_group_ids(*PERSONAL_DATA_ROLES))
    assert not _log(AccessAction.ROLE_CHANGED, object_id=str(technician.pk), actor_id=technician.pk)
    assert {message.to[0] for message in mailoutbox} == {aed.email}
    assert len(mailoutbox) == len(PERSONAL_DATA_ROLES)


def test_nor_can_they_remove_their_own_role(client, technician):
    response = _edit(client, technician, groups=[], is_active=None)
    assert response.status_code == 200
    assert _roles_of(technician) == {roles.TECHNICAL_ADMIN}


def test_nor_can_they_make_themselves_superuser(client, technician):
    response = _edit(
        client, technician, groups=[roles.TECHNICAL_ADMIN], is_active=None, is_superuser="on"
    )
    assert response.status_code == 302
    technician.refresh_from_db()
    assert not technician.is_superuser
    assert _statuses(client) == [403, 403]


def test_the_bulk_assign_role_action_cannot_grant_a_personal_data_role(
    client, technician, staff_user_make
):
    other = staff_user_make(username="collegue")
    url = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
    for target in (technician, other):
        response = client.post(
            f"{url}?id={target.pk}",
            {"role": Group.objects.get(name=roles.PRIVACY_OFFICER).pk},
            follow=True,
        )
        assert "sont attribués sur l’écran de modification" in response.content.decode()
        assert roles.PRIVACY_OFFICER not in _roles_of(target)
    assert _statuses(client) == [403, 403]


def test_a_grant_to_another_account_waits_for_a_second_person_then_takes_effect(
    client, technician, aed, staff_user_make, mailoutbox
):
    grantee = staff_user_make(username="agente", role=roles.CONTENT)
    response = _edit(client, grantee, groups=[roles.CONTENT, roles.PRIVACY_OFFICER])
    assert response.status_code == 302
    assert _roles_of(grantee) == {roles.CONTENT}
    request = RoleRequest.objects.get(user=grantee, status=RoleRequestStatus.PENDING)
    assert request.group.name == roles.PRIVACY_OFFICER
    assert request.requested_by == technician
    (asked,) = _log(AccessAction.ROLE_REQUESTED, object_id=str(grantee.pk))
    assert asked.actor_id == technician.pk
    assert asked.details == {"group": request.group_id, "request": request.pk}
    assert [m.to for m in mailoutbox] == [[aed.email]]
    assert "Responsable de la protection de la vie privée" in mailoutbox[0].subject

    decide = reverse("accounts_role_request_decide", args=[request.pk, "approve"])
    # Not the requester, not the grantee: both are refused and nothing is given.
    assert client.post(decide).status_code == REFUSED
    staff_sign_in(client, grantee)
    assert _statuses(client) == [403, 403]
    assert client.post(decide).status_code == REFUSED
    assert _roles_of(grantee) == {roles.CONTENT}

    staff_sign_in(client, aed)
    listing = client.get(reverse("accounts_role_requests"))
    assert listing.status_code == 200
    assert "Approuver" in listing.content.decode()
    assert client.post(decide).status_code == 302
    assert _roles_of(grantee) == {roles.CONTENT, roles.PRIVACY_OFFICER}
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RoleRequestStatus.APPROVED, aed)
    (approved,) = _log(AccessAction.ROLE_REQUEST_APPROVED, object_id=str(grantee.pk))
    assert approved.actor_id == aed.pk
    (added,) = _log(AccessAction.ROLE_CHANGED, object_id=str(grantee.pk), actor_id=aed.pk)
    assert added.details == {"added": [request.group_id]}
    assert len(mailoutbox) == 2

    staff_sign_in(client, grantee)
    assert client.get(reverse("privacy_requests:index")).status_code == 200


def test_the_aed_cannot_approve_a_role_for_their_own_account(client, staff_user_make, aed):
    technician = staff_user_make(role=roles.TECHNICAL_ADMIN)
    request = RoleRequest.objects.create(
        user=aed, group=Group.objects.get(name=roles.PRIVACY_OFFICER), requested_by=technician
    )
    staff_sign_in(client, aed)
    decide = reverse("accounts_role_request_decide", args=[request.pk, "approve"])
    response = client.post(decide, follow=True)
    assert "Une deuxième personne décide" in response.content.decode()
    assert roles.PRIVACY_OFFICER not in _roles_of(aed)
    assert RoleRequest.objects.get(pk=request.pk).status == RoleRequestStatus.PENDING


def test_the_executive_director_refuses_and_nothing_is_given(
    client, technician, aed, staff_user_make, mailoutbox
):
    director = staff_user_make(role=roles.ED, username="dg")
    grantee = staff_user_make(username="agent")
    _edit(client, grantee, groups=[roles.PROGRAM_STAFF])
    request = RoleRequest.objects.get(user=grantee)
    staff_sign_in(client, director)
    decide = reverse("accounts_role_request_decide", args=[request.pk, "refuse"])
    assert client.post(decide).status_code == 302
    assert _roles_of(grantee) == set()
    (refused,) = _log(AccessAction.ROLE_REQUEST_REFUSED, object_id=str(grantee.pk))
    assert refused.actor_id == director.pk
    assert len(mailoutbox) == 2  # the request, then the refusal
    # Decided once: approving afterwards gives nothing.
    approve = reverse("accounts_role_request_decide", args=[request.pk, "approve"])
    client.post(approve)
    assert _roles_of(grantee) == set()


def test_a_superuser_may_look_at_the_requests_but_not_decide(client, staff_user_make):
    superuser = staff_user_make(superuser=True)
    grantee = staff_user_make()
    request = RoleRequest.objects.create(
        user=grantee, group=Group.objects.get(name=roles.PRIVACY_OFFICER), requested_by=None
    )
    staff_sign_in(client, superuser)
    assert client.get(reverse("accounts_role_requests")).status_code == 200
    decide = reverse("accounts_role_request_decide", args=[request.pk, "approve"])
    assert client.post(decide).status_code == REFUSED
    assert _roles_of(grantee) == set()


def test_the_content_role_moderates_so_it_needs_approval(client, technician, staff_user_make):
    """Content creators moderate comments and reports of a concern (policy U, R): they
    read what visitors wrote, so their role is given by a second person (policy F)."""
    grantee = staff_user_make(username="moderatrice")
    assert _edit(client, grantee, groups=[roles.CONTENT]).status_code == 302
    assert _roles_of(grantee) == set()
    assert RoleRequest.objects.get(user=grantee).group.name == roles.CONTENT


def test_a_role_that_opens_no_personal_data_is_given_at_once(
    client, technician, aed, staff_user_make, mailoutbox
):
    """A role of ``ROLES_WITHOUT_APPROVAL`` that holds no permission opening personal
    data: here the content role without moderation (as in a deployment that does not
    moderate), which keeps only its pages, media and redirects."""
    from django.contrib.auth.models import Permission

    content = Group.objects.get(name=roles.CONTENT)
    content.permissions.remove(*Permission.objects.filter(content_type__app_label="moderation"))
    grantee = staff_user_make(username="redacteur")
    assert _edit(client, grantee, groups=[roles.CONTENT]).status_code == 302
    assert _roles_of(grantee) == {roles.CONTENT}
    assert not RoleRequest.objects.exists()
    (added,) = _log(AccessAction.ROLE_CHANGED, object_id=str(grantee.pk), actor_id=technician.pk)
    assert added.details == {"added": _group_ids(roles.CONTENT)}


def test_a_role_that_is_an_inbox_needs_approval_even_if_freely_given_otherwise(
    client, technician, staff_user_make
):
    from csce.submissions.models import ProgramPage

    content = Group.objects.get(name=roles.CONTENT)
    ProgramPage.objects.filter(pk=ProgramPage.objects.first().pk).update(inbox=content)
    grantee = staff_user_make(username="redactrice")
    _edit(client, grantee, groups=[roles.CONTENT])
    assert _roles_of(grantee) == set()
    assert RoleRequest.objects.get(user=grantee).group == content


def test_removing_a_role_takes_effect_at_once_is_logged_and_told_to_the_aed(
    client, technician, aed, staff_user_make, mailoutbox
):
    member = staff_user_make(username="ancien", role=roles.PRIVACY_OFFICER)
    assert _edit(client, member, groups=[]).status_code == 302
    assert _roles_of(member) == set()
    (removed,) = _log(AccessAction.ROLE_CHANGED, object_id=str(member.pk), actor_id=technician.pk)
    assert removed.details == {"removed": _group_ids(roles.PRIVACY_OFFICER)}
    assert [m.to for m in mailoutbox] == [[aed.email]]


def test_a_new_account_created_with_a_personal_data_role_gets_it_only_once_approved(
    client, technician
):
    data = {
        "username": "nouvelle",
        "email": "nouvelle@example.org",
        "first_name": "Nouvelle",
        "last_name": "Agente",
        "language": "fr",
        "person_type": "employee",
        "groups": _group_ids(roles.PRIVACY_OFFICER),
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302
    request = RoleRequest.objects.get(user__username="nouvelle")
    assert request.group.name == roles.PRIVACY_OFFICER
    assert _roles_of(request.user) == set()


def test_the_technical_administrator_cannot_take_over_an_approvers_account(client, technician, aed):
    # With the AED's address or password, they could approve their own requests.
    response = _edit(client, aed, groups=[roles.AED], email="technicien@example.org")
    assert response.status_code == 200
    assert "Seule la personne titulaire de ce compte" in response.content.decode()
    aed.refresh_from_db()
    assert aed.email == "dga@example.org"
    # Nor can they set the AED's password: no account's edit screen offers one (accounts
    # are opened by invitation and passwords are chosen by their owners, policy M).
    page = client.get(reverse("wagtailusers_users:edit", args=[aed.pk])).content.decode()
    assert 'name="password1"' not in page
    assert aed.check_password("une phrase de passe assez longue")
