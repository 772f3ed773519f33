"""Forms of the second-factor screens (policy M)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .mfa import normalise_code

INVALID_CODE = _("This code is not valid or has already been used.")
THROTTLED = _("Too many attempts. Wait a moment, then try again.")


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean(self, value):
        return normalise_code(super().clean(value) or "")


class VerifyForm(forms.Form):
    code = CodeField(
        label=_("Verification code"),
        help_text=_(
            "The six-digit code shown by your authenticator app, or one of your recovery codes."
        ),
    )


class TotpEnrolForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this authenticator"),
        max_length=64,
        required=False,
        help_text=_("To tell your factors apart, for example “Phone”."),
    )
    code = CodeField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows now for this account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = CodeField(
        label=_("Verification code"),
        required=False,
        help_text=_(
            "The six-digit code shown by your authenticator app, or one of your recovery codes."
        ),
    )

    def __init__(self, *args, user, passkey_used: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.passkey_used = passkey_used

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="password")
        return password
