"""The site's EMAIL_BACKEND: every message, the site's own and Django's or Wagtail's
(password resets), is written to the outbox and leaves with the task worker."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from .services import messages_enqueue


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        return len(messages_enqueue(messages=list(email_messages)))
