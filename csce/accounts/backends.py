"""Sign-in refuses accounts whose end date has passed (policy S, M).

Checked by the backend itself, not by a ``user_logged_in`` receiver, so an ended account
can neither sign in nor keep an open session: ``get_user`` asks the same question at
every request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .selectors import account_has_ended


class StaffModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not account_has_ended(user=user)
