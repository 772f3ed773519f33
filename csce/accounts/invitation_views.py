"""The page an invited staff member opens to set their own password (policy M)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .invitations import staff_invitation_accept, staff_invitation_for_token


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = staff_invitation_for_token(token=token)
    if invitation is None:
        # Used, expired, replaced or for a disabled account: the same answer for all.
        return TemplateResponse(
            request,
            "accounts/invitation_invalid.html",
            {"title": _("This invitation link no longer works")},
            status=410,  # not 404: the locale middleware would redirect a 404
        )
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if staff_invitation_accept(
            invitation=invitation, password=form.cleaned_data["new_password1"]
        ):
            messages.success(
                request,
                _(
                    "Your password is set. Sign in with it; you will then add a second "
                    "factor (an authenticator app or a passkey)."
                ),
            )
            return redirect(reverse("wagtailadmin_login"))
        return TemplateResponse(
            request,
            "accounts/invitation_invalid.html",
            {"title": _("This invitation link no longer works")},
            status=410,  # not 404: the locale middleware would redirect a 404
        )
    return TemplateResponse(
        request,
        "accounts/invitation_accept.html",
        {
            "title": _("Choose your password"),
            "form": form,
            "username": invitation.user.get_username(),
        },
    )
