"""A scheduled publication the media gate refused: its owner and the AED are told, once
(policy C, P2).

``publish_scheduled`` runs at every scheduler tick and retries a refused revision each
time (it goes live at the first tick after its media are fixed); the notice goes out the
first time only. "Told" is a log entry in the page's history, keyed by the revision, so
staff also see it there; it and the e-mails are written in one transaction, so a failure
writes neither and the next tick tries again. A new schedule (a new revision) that is
refused is told again.

Adversaries and faults: a tick on two nodes at once (the scheduler's lease runs one at a
time; the log entry is checked inside the transaction); the owner disabled or without an
address (the AED is still told); no AED with an address (the log entry still records the
refusal, the page's edit screen lists the problems). The e-mail carries no personal
value: the page's and the media's titles, the reasons and links to the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision

from csce.accounts.selectors import aed_members
from csce.common.staff import staff_language

from .selectors import page_media_problems

SCHEDULED_REFUSED_ACTION = "csce_media.scheduled_refused"


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _recipients(page: Page) -> list:
    """The page's content owner (when active, with an address) and each AED, once each."""
    people = {}
    owner = page.owner
    if owner is not None and owner.is_active and owner.email:
        people[owner.pk] = owner
    for aed in aed_members():
        people.setdefault(aed.pk, aed)
    return list(people.values())


def scheduled_refusal_told(*, revision: Revision) -> bool:
    return PageLogEntry.objects.filter(
        page_id=revision.object_id,
        action=SCHEDULED_REFUSED_ACTION,
        data__revision_id=revision.pk,
    ).exists()


@transaction.atomic
def scheduled_refusal_notify(*, revision: Revision) -> bool:
    """Tell the page's owner and the AED that ``revision`` was not published at its time,
    unless they were told already; returns whether this refusal is new."""
    if scheduled_refusal_told(revision=revision):
        return False
    # The page as it is now (the AED may have changed its owner since the revision).
    page = Page.objects.select_related("owner").get(pk=revision.object_id)
    content = revision.as_object()
    go_live_at = revision.approved_go_live_at
    log(
        instance=page,
        action=SCHEDULED_REFUSED_ACTION,
        revision=revision,
        data={"revision_id": revision.pk},
    )
    edit_url = _admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    for recipient in _recipients(page):
        with translation.override(staff_language(recipient)):
            # The reasons in the recipient's language, as the gate sees them today.
            problems = page_media_problems(page=content, today=timezone.localdate())
            context = {
                "title": content.get_admin_display_title(),
                "go_live": date_format(timezone.localtime(go_live_at), "DATETIME_FORMAT")
                if go_live_at
                else "",
                "problems": [
                    {"message": str(problem.message), "url": _admin_url(problem.edit_url)}
                    for problem in problems
                ],
                "edit_url": edit_url,
                "is_owner": recipient.pk == page.owner_id,
                "minutes": settings.SCHEDULER_INTERVAL_MINUTES,
            }
            subject = render_to_string("media/email/scheduled_refused_subject.txt", context)
            body = render_to_string("media/email/scheduled_refused.txt", context)
        # The site's EMAIL_BACKEND writes it to the outbox, in this transaction (media
        # sits below the outbox in docs/architecture.md's layers, so it does not import it).
        # One line, keeping French typography's no-break spaces (str.split() drops them).
        subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
        EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    return True
