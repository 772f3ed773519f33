"""The compliance view's "media rights" indicator (policy C, R).

Red while a live page uses an image or a document that is not credited or whose rights
expired; amber while a live page uses one whose rights expire within
``policy.MEDIA_EXPIRY_WARNING_DAYS``; green otherwise. Counts only, read from the
ReferenceIndex's rows of what is live.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading

from .selectors import media_expired_q, media_uncredited_q


def media_live_use(*, queries: list) -> tuple[int, int]:
    """How many of the matching media a live page uses, and how many live pages use them."""
    page_type = ContentType.objects.get_for_model(Page)
    uses: set[tuple[int, str, int]] = set()
    for model, query in queries:
        ids = [str(pk) for pk in model.objects.filter(query).values_list("pk", flat=True)]
        if not ids:
            continue
        media_type = ContentType.objects.get_for_model(model)
        rows = ReferenceIndex.objects.filter(
            to_content_type=media_type, to_object_id__in=ids, base_content_type=page_type
        ).values_list("to_object_id", "object_id")
        uses.update((media_type.id, to_id, int(page_id)) for to_id, page_id in rows)
    live = set(
        Page.objects.filter(pk__in={page_id for *_m, page_id in uses}, live=True).values_list(
            "pk", flat=True
        )
    )
    media_used = {(type_id, to_id) for type_id, to_id, page_id in uses if page_id in live}
    page_ids = {page_id for *_m, page_id in uses if page_id in live}
    return len(media_used), len(page_ids)


def media_rights_read(*, now: datetime.datetime) -> Reading:
    today = timezone.localdate(now)
    models = (get_image_model(), get_document_model())
    action_url = reverse("media_expiry_report")
    action_label = gettext("Open the media rights report")

    bad_media, bad_pages = media_live_use(
        queries=[(m, media_uncredited_q() | media_expired_q(today=today)) for m in models]
    )
    if bad_media:
        return Reading(
            RED,
            ngettext(
                "%(pages)d live page uses media without credit and licence or whose rights "
                "expired (%(media)d media).",
                "%(pages)d live pages use media without credit and licence or whose rights "
                "expired (%(media)d media).",
                bad_pages,
            )
            % {"pages": bad_pages, "media": bad_media},
            action_url,
            action_label,
        )
    horizon = today + datetime.timedelta(days=policy.MEDIA_EXPIRY_WARNING_DAYS)
    soon_media, _pages = media_live_use(
        queries=[(m, media_expired_q(today=horizon + datetime.timedelta(days=1))) for m in models]
    )
    if soon_media:
        return Reading(
            AMBER,
            ngettext(
                "The rights to %(media)d media used on live pages expire within %(days)d days.",
                "The rights to %(media)d media used on live pages expire within %(days)d days.",
                soon_media,
            )
            % {"media": soon_media, "days": policy.MEDIA_EXPIRY_WARNING_DAYS},
            action_url,
            action_label,
        )
    return Reading(
        GREEN,
        gettext("Every live page uses credited media whose rights are in force."),
        action_url,
        action_label,
    )


MEDIA_RIGHTS_INDICATOR = Indicator(
    key="media_rights",
    label=_("Media rights"),
    clauses=("C", "P2"),
    read=media_rights_read,
    order=600,
)
