"""Telling the register's keepers that an incident was reported (policy R, P8).

Policy R: staff report security incidents and policy violations to the Executive Director
or the Assistant Executive Director; the Privacy Officer keeps the breach register with
them. Each is told at once, by an e-mail that holds the reference, the kind and a link to
the register, never what happened (policy F: the e-mail leaves the site; the register is
where the text is read, through the access log).

The messages are written to the outbox in the reporter's transaction: the report and its
alerts exist together, and a mail server that is down delays them, never loses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from csce.common.guards import guard_key, rate_counter_hit
from csce.common.links import public_url
from csce.common.notice_rules import privacy_officer_email_is_placeholder
from csce.common.roles import AED, ED, PRIVACY_OFFICER, role_label
from csce.common.staff import staff_display_name, staff_language
from csce.common.typography import datetime_display
from csce.outbox.services import message_enqueue

from .models import Incident

# The roles told of every report, in the order the confirmation page names them.
ALERTED_ROLES = (ED, AED, PRIVACY_OFFICER)
ALERT_MAIL_KIND = "incident_alert"
# Policy M: a flood of reports from one account (a script, a stolen session) must not
# flood the keepers' mailboxes. Past this many in an hour the reports are still kept,
# and seen on the keepers' dashboard; only their e-mails are held.
ALERTS_PER_REPORTER_PER_HOUR = 10


@dataclass(frozen=True)
class AlertRecipient:
    """One address told of a report: a staff member in their admin language, or the
    Privacy Officer's address (settings.PRIVACY_OFFICER_EMAIL) in the site's language."""

    email: str
    language: str
    user: object | None = None
    roles: tuple[str, ...] = field(default=())


def incident_alert_recipients() -> list[AlertRecipient]:
    """Active members of the ED, AED and Privacy Officer groups with an address, then the
    Privacy Officer's address if it is a real one: each address once (a member whose
    address is the officer's own is told once, in their language).

    A reporter who holds one of these roles is told too, once like everyone: the e-mail
    is the register's link, and it shows the others were told."""
    members = (
        get_user_model()
        .objects.filter(groups__name__in=ALERTED_ROLES, is_active=True)
        .exclude(email="")
        .prefetch_related("groups")
        .distinct()
        .order_by("pk")
    )
    recipients: list[AlertRecipient] = []
    seen: set[str] = set()
    for member in members:
        address = member.email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        held = {group.name for group in member.groups.all()}
        recipients.append(
            AlertRecipient(
                email=member.email.strip(),
                language=staff_language(member),
                user=member,
                roles=tuple(role for role in ALERTED_ROLES if role in held),
            )
        )
    officer = (settings.PRIVACY_OFFICER_EMAIL or "").strip()
    if not privacy_officer_email_is_placeholder() and officer.lower() not in seen:
        recipients.append(AlertRecipient(email=officer, language=settings.LANGUAGE_CODE))
    return recipients


def incident_register_url(incident: Incident) -> str:
    """The incident's page in the register, on the public address; the register's list
    while the incident has no page of its own."""
    try:
        path = reverse("incidents:detail", kwargs={"pk": incident.pk})
    except NoReverseMatch:
        path = reverse("incidents:index")
    return public_url(path)


def incident_alert_compose(*, incident: Incident, language: str) -> tuple[str, str]:
    """The subject and body in ``language``: the reference, the kind, when it was reported
    and the link; no description, no property, no name (policy F)."""
    with translation.override(language):
        context = {
            "reference": incident.reference,
            "kind": incident.get_kind_display(),
            "reported": datetime_display(incident.reported_at, language),
            "link": incident_register_url(incident),
        }
        subject = render_to_string("incidents/email/alert_subject.txt", context)
        body = render_to_string("incidents/email/alert_body.txt", context)
    return " ".join(subject.split()), body


def incident_alert_send(*, incident: Incident) -> list[AlertRecipient]:
    """One e-mail per recipient into the outbox, in the caller's transaction; returns who
    was told."""
    recipients = incident_alert_recipients()
    for recipient in recipients:
        subject, body = incident_alert_compose(incident=incident, language=recipient.language)
        message_enqueue(
            message=EmailMessage(subject=subject, body=body, to=[recipient.email]),
            kind=ALERT_MAIL_KIND,
            reference=incident.reference,
            language=recipient.language,
        )
    return recipients


def alerted_display(*, user_ids: list[int], officer_address: bool) -> list[str]:
    """Who was told, for the reporter: each staff member's name and roles, then the
    Privacy Officer's address, in the active language."""
    users = (
        get_user_model().objects.filter(pk__in=user_ids).prefetch_related("groups").order_by("pk")
    )
    told = []
    for user in users:
        held = {group.name for group in user.groups.all()}
        roles = ", ".join(role_label(role) for role in ALERTED_ROLES if role in held)
        told.append(f"{staff_display_name(user)} ({roles})" if roles else staff_display_name(user))
    if officer_address:
        told.append(
            translation.gettext("The Privacy Officer's address (%(address)s)")
            % {"address": settings.PRIVACY_OFFICER_EMAIL}
        )
    return told


def incident_alerts_allowed(*, reporter) -> bool:
    """Whether this reporter's report may still e-mail the keepers this hour (counted in
    the database: a cache that forgets cannot reopen it)."""
    if reporter is None:
        return True
    count = rate_counter_hit(
        key=guard_key("incident-alerts", str(reporter.pk)), window_seconds=3600
    )
    return count <= ALERTS_PER_REPORTER_PER_HOUR
