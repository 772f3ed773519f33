"""Wagtail's users viewset with the staff profile fields (policy S), guarded roles (R) and
invitations (M)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.users.views import groups
from wagtail.users.views.users import CreateView, EditView, UserViewSet

from csce.common.roles import role_description
from csce.common.roles import role_label as group_label

from .forms import StaffUserCreationForm, StaffUserEditForm
from .invitations import staff_invite
from .role_requests import role_label


class RoleRequestsMessageMixin:
    """The form learns who edits (own roles are refused) and says which roles wait."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        instance = super().save_instance()
        requested = getattr(self.form, "roles_requested", [])
        if requested:
            messages.info(
                self.request,
                _(
                    "Awaiting the approval of the AED or the Executive Director: %(roles)s. "
                    "The role is given once approved."
                )
                % {"roles": ", ".join(role_label(group) for group in requested)},
            )
        return instance


class StaffUserCreateView(RoleRequestsMessageMixin, CreateView):
    """Policy M: the new account has no password; its owner is e-mailed a one-time link."""

    success_message = gettext_lazy(
        "User '%(object)s' created. An invitation to choose a password was sent."
    )

    def save_instance(self):
        user = super().save_instance()
        staff_invite(user=user, invited_by=self.request.user)
        return user


class StaffUserEditView(RoleRequestsMessageMixin, EditView):
    pass


class StaffUserViewSet(UserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"
    add_view_class = StaffUserCreateView
    edit_view_class = StaffUserEditView

    def get_form_class(self, for_update: bool = False):
        return StaffUserEditForm if for_update else StaffUserCreationForm


class StaffGroupIndexView(groups.IndexView):
    """Policy P2: each role by its label in the reader's language, not its identifier,
    with what it does."""

    columns = [
        TitleColumn(
            "name",
            accessor=group_label,
            label=gettext_lazy("Name"),
            sort_key="name",
            url_name="wagtailusers_groups:edit",
        ),
        Column("description", accessor=role_description, label=gettext_lazy("Description")),
    ]


class StaffGroupViewSet(groups.GroupViewSet):
    index_view_class = StaffGroupIndexView
