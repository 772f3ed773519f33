"""The admin's sign-in form and the staff user forms (person type and end date)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.widgets import AdminDateInput
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.models import UserProfile

from csce.common.roles import role_description, role_label

from .models import PersonType, StaffProfile
from .role_requests import (
    group_needs_approval,
    role_approver_is,
    role_change_refused_record,
    role_request_create,
    roles_removed_notify,
)
from .selectors import account_has_ended


class StaffLoginForm(LoginForm):
    """Wagtail's sign-in form, which says plainly when an account's end date has passed.

    It says so only to someone who typed the right password: to anyone else the answer
    is the usual one, which reveals nothing about the account.
    """

    error_messages = {
        **LoginForm.error_messages,
        "account_ended": _(
            "This account's end date has passed, so it can no longer sign in. If your "
            "contract, internship or volunteering has been extended, ask the technical "
            "administrator to update your end date."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            self._ended_account_check()
            raise

    def _ended_account_check(self) -> None:
        User = get_user_model()
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if (
            user is not None
            and user.is_active
            and account_has_ended(user=user)
            and user.check_password(password)
        ):
            raise ValidationError(self.error_messages["account_ended"], code="account_ended")


class StaffProfileFieldsMixin(forms.Form):
    """Person type and end date on Wagtail's user forms; no superuser checkbox.

    Superuser status is break-glass only (policy M, S): it is granted from the terminal
    (``createsuperuser``), never from a form a compromised account could reach.
    """

    person_type = forms.ChoiceField(
        label=_("Person type"), choices=PersonType.choices, initial=PersonType.EMPLOYEE
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=AdminDateInput,
        help_text=StaffProfile._meta.get_field("end_date").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)
        profile = StaffProfile.objects.filter(user_id=self.instance.pk).first()
        if profile is not None:
            self.initial.setdefault("person_type", profile.person_type)
            self.initial.setdefault("end_date", profile.end_date)

    def clean(self):
        cleaned = super().clean()
        profile = StaffProfile(
            person_type=cleaned.get("person_type") or PersonType.EMPLOYEE,
            end_date=cleaned.get("end_date"),
        )
        try:
            profile.clean()
        except ValidationError as error:
            self.add_error(None, error)  # lands on end_date
        return cleaned

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            self.profile_save(user)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_profile():
                save_m2m()
                self.profile_save(user)

            self.save_m2m = save_m2m_and_profile
        return user

    def profile_save(self, user) -> StaffProfile:
        profile, _created = StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "person_type": self.cleaned_data["person_type"],
                "end_date": self.cleaned_data.get("end_date"),
            },
        )
        return profile


def role_choice_label(group) -> str:
    description = role_description(group)
    return f"{role_label(group)} — {description}" if description else role_label(group)


class RoleGrantFormMixin(forms.Form):
    """The roles on Wagtail's user forms: given by two people, never by oneself (R, F).

    A role that opens personal data is not added here: it becomes a request that the AED
    or the Executive Director approves (csce/accounts/role_requests.py). Changing one's
    own roles is refused next to the roles, and the attempt is logged.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.roles_requested: list = []
        self.roles_removed: list = []
        if "groups" in self.fields:
            # Policy P2: each role by its name and what it does, in the reader's language.
            self.fields["groups"].label_from_instance = role_choice_label

    def clean(self):
        cleaned = super().clean()
        self._approver_account_check(cleaned)
        if "groups" not in self.fields or "groups" not in cleaned:
            return cleaned
        before = set(self.instance.groups.all()) if self.instance.pk else set()
        after = set(cleaned["groups"])
        if self.for_user is not None and self.instance.pk == self.for_user.pk:
            if before != after:
                self.add_error(
                    "groups",
                    _(
                        "You cannot change your own roles. Another administrator asks for "
                        "them; the AED or the Executive Director approves roles that open "
                        "personal data (policy R)."
                    ),
                )
                role_change_refused_record(
                    actor=self.for_user, user=self.instance, groups=after ^ before
                )
            return cleaned
        self.roles_requested = sorted(
            (group for group in after - before if group_needs_approval(group=group)),
            key=lambda group: group.pk,
        )
        self.roles_removed = sorted(before - after, key=lambda group: group.pk)
        # Saved without the requested roles: they are added only once approved.
        cleaned["groups"] = [group for group in after if group not in self.roles_requested]
        return cleaned

    def _approver_account_check(self, cleaned) -> None:
        """Whoever could set an approver's e-mail address or password could sign in as
        them and approve their own requests: only the approver changes those."""
        if self.for_user is None or not self.instance.pk or self.instance.pk == self.for_user.pk:
            return
        if not role_approver_is(user=self.instance):
            return
        message = _(
            "Only the owner of this account changes its e-mail address or password: it "
            "approves roles (policy R)."
        )
        if "email" in self.changed_data:
            self.add_error("email", message)
        if cleaned.get("password1"):
            self.add_error("password1" if "password1" in self.fields else None, message)

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            self.role_changes_record(user)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_requests():
                save_m2m()
                self.role_changes_record(user)

            self.save_m2m = save_m2m_and_requests
        return user

    def role_changes_record(self, user) -> None:
        for group in self.roles_requested:
            role_request_create(user=user, group=group, requested_by=self.for_user)
        if self.roles_removed:
            roles_removed_notify(user=user, groups=self.roles_removed, actor=self.for_user)


class StaffUserCreationForm(RoleGrantFormMixin, StaffProfileFieldsMixin, UserCreationForm):
    """No password here (policy M): the person chooses theirs through the invitation, in
    the language chosen for their e-mail and admin."""

    language = forms.ChoiceField(
        label=_("Language of the invitation and the administration"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def save(self, commit: bool = True):
        self.instance.set_unusable_password()
        return super().save(commit=commit)

    def profile_save(self, user) -> StaffProfile:
        wagtail_profile = UserProfile.get_for_user(user)
        wagtail_profile.preferred_language = self.cleaned_data["language"]
        wagtail_profile.save(update_fields=["preferred_language"])
        return super().profile_save(user)


class StaffUserEditForm(RoleGrantFormMixin, StaffProfileFieldsMixin, UserEditForm):
    pass
