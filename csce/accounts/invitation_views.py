"""The page an invited staff member opens to set their own password (policy M)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from csce.common.staff import staff_display_name

from .invitations import staff_invitation_accept, staff_invitation_for_token, staff_invite


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


INVITE_PERMISSION = "auth.add_user"


def invitation_resend_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A new link for an account whose owner never chose a password (the last expired).

    Only for such accounts: a password once chosen is changed by its owner (reset link),
    never through a link an administrator can have sent to an address they just typed.
    """
    if not request.user.has_perm(INVITE_PERMISSION):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    if user.has_usable_password():
        raise PermissionDenied
    if request.method == "POST":
        staff_invite(user=user, invited_by=request.user)
        messages.success(
            request,
            _("A new invitation was sent to %(name)s.") % {"name": staff_display_name(user)},
        )
        return redirect(reverse("wagtailusers_users:index"))
    return TemplateResponse(
        request,
        "accounts/invitation_resend.html",
        {"invited": user, "name": staff_display_name(user)},
    )
