"""Wagtail's users viewset with the staff profile fields (policy S) and invitations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.users.views.users import CreateView, UserViewSet

from .forms import StaffUserCreationForm, StaffUserEditForm
from .invitations import staff_invite


class StaffUserCreateView(CreateView):
    """Policy M: the new account has no password; its owner is e-mailed a one-time link."""

    success_message = _("User '%(object)s' created. An invitation to choose a password was sent.")

    def save_instance(self):
        user = super().save_instance()
        staff_invite(user=user, invited_by=self.request.user)
        return user


class StaffUserViewSet(UserViewSet):
    add_view_class = StaffUserCreateView
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"

    def get_form_class(self, for_update: bool = False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
