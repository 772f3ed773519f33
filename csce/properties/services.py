"""Writes to the online-property registry (policy O, R, M).

Adding or removing an administrator and recording an access review go through here, and
each is written to the property's history (Wagtail's log, actions registered in
wagtail_hooks.py) with its author, so the AED can show who had access, when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from csce.common import policy
from csce.common.roles import AED

from .models import OnlineProperty, PropertyAdministrator

ADMINISTRATOR_ADDED = "properties.administrator_added"
ADMINISTRATOR_REMOVED = "properties.administrator_removed"
ACCESS_REVIEWED = "properties.access_reviewed"


def staff_display(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def property_default_owner():
    """The AED (policy O: the AED manages the properties): the first active member of the
    AED group, or None when nobody holds the role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=AED)
        .order_by("date_joined", "pk")
        .first()
    )


def property_next_review(*, reviewed_on: datetime.date) -> datetime.date:
    return reviewed_on + datetime.timedelta(days=policy.PROPERTY_ACCESS_REVIEW_DAYS)


def property_schedule_first_review(*, online_property: OnlineProperty, today=None) -> None:
    """A new property's first review is due a quarter after it enters the registry (its
    administrators were named then), unless a review is already scheduled."""
    if online_property.next_review_due is None:
        today = today or timezone.localdate()
        online_property.next_review_due = property_next_review(reviewed_on=today)


def property_administrators_set(
    *, online_property: OnlineProperty, users: Iterable, actor, now=None
) -> tuple[list, list]:
    """Make ``users`` the property's administrators: each addition and each removal is
    logged in the property's history. Returns (added, removed)."""
    now = now or timezone.now()
    wanted = {user.pk: user for user in users}
    with transaction.atomic():
        current = {
            link.user_id: link
            for link in PropertyAdministrator.objects.select_for_update()
            .filter(online_property=online_property)
            .select_related("user")
        }
        added = [wanted[pk] for pk in wanted if pk not in current]
        removed = [current[pk].user for pk in current if pk not in wanted]
        for user in added:
            PropertyAdministrator.objects.create(
                online_property=online_property, user=user, added_by=actor, added_at=now
            )
            log(
                instance=online_property,
                action=ADMINISTRATOR_ADDED,
                user=actor,
                data={"user_id": user.pk, "name": staff_display(user)},
            )
        if removed:
            PropertyAdministrator.objects.filter(
                online_property=online_property, user__in=removed
            ).delete()
        for user in removed:
            log(
                instance=online_property,
                action=ADMINISTRATOR_REMOVED,
                user=actor,
                data={"user_id": user.pk, "name": staff_display(user)},
            )
    return added, removed


def property_access_review_record(
    *, online_property: OnlineProperty, actor, mfa_confirmed: bool = False, now=None
) -> OnlineProperty:
    """The AED confirms who administers the property today (policy R, M): the review's
    date is set, the next falls a quarter later, and the history keeps who was confirmed.
    Ticking that MFA was checked confirms it on the same day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = OnlineProperty.objects.select_for_update().get(pk=online_property.pk)
        administrators = list(
            locked.administrator_links.select_related("user").order_by("added_at", "pk")
        )
        locked.last_review_on = today
        locked.next_review_due = property_next_review(reviewed_on=today)
        fields = ["last_review_on", "next_review_due", "updated_at"]
        if mfa_confirmed:
            locked.mfa_enabled = True
            locked.mfa_confirmed_on = today
            fields += ["mfa_enabled", "mfa_confirmed_on"]
        locked.save(update_fields=fields)
        log(
            instance=locked,
            action=ACCESS_REVIEWED,
            user=actor,
            data={
                "administrators": [
                    {"user_id": link.user_id, "name": staff_display(link.user)}
                    for link in administrators
                ],
                "mfa_confirmed": mfa_confirmed,
                "next_review_due": locked.next_review_due.isoformat(),
            },
        )
    return locked
