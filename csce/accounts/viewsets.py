"""Wagtail's users viewset with the staff profile fields (policy S)."""

from __future__ import annotations

from wagtail.users.views.users import UserViewSet

from .forms import StaffUserCreationForm, StaffUserEditForm


class StaffUserViewSet(UserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"

    def get_form_class(self, for_update: bool = False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
