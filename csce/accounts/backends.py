"""Sign-in refuses accounts whose end date has passed (policy S, M).

Checked by the backend itself, not by a ``user_logged_in`` receiver, so an ended account
can neither sign in nor keep an open session: ``get_user`` asks the same question at
every request.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from .selectors import account_has_ended


class StaffModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not account_has_ended(user=user)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request.

    The admin's sign-in form always passes its request, so every web sign-in is counted
    and can be locked. A call without a request (a script, ``Client.login`` in tests) has
    no address to count: axes would refuse it outright; it goes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
