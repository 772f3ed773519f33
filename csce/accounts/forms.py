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

from .models import PersonType, StaffProfile
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

    Superuser status is break-glass only (issue 3): it is granted from the terminal
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


class StaffUserCreationForm(StaffProfileFieldsMixin, UserCreationForm):
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


class StaffUserEditForm(StaffProfileFieldsMixin, UserEditForm):
    pass
