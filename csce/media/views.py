"""The media rights report (Reports menu, policy C): media whose rights expired or expire
within ``policy.MEDIA_EXPIRY_WARNING_DAYS``, and media without credit or licence that a
page uses, each with the pages that use it, for replacement.

Titles of media and pages only: no personal value, so reading it is not logged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from csce.common import policy
from csce.common.admin_views import need_to_know

from .selectors import media_expiring, media_uncredited_q, pages_using


def media_report_allowed(user) -> bool:
    """Whoever adds or changes images or documents (AED, content creators)."""
    return any(
        policy_registry.get_by_type(model).user_has_any_permission(user, ["add", "change"])
        for model in (get_image_model(), get_document_model())
    )


def _rows(*, model, media, edit_url_name: str, today) -> list[dict]:
    media = list(media)
    using = pages_using(model=model, ids=[m.pk for m in media])
    rows = []
    for item in media:
        rights = getattr(item, "rights", None)
        expires_on = rights.expires_on if rights else None
        rows.append(
            {
                "media": item,
                "edit_url": reverse(edit_url_name, args=[item.pk]),
                "expires_on": expires_on,
                "expired": bool(expires_on and expires_on < today),
                "days_left": (expires_on - today).days if expires_on else None,
                "pages": using.get(item.pk, []),
            }
        )
    return rows


@need_to_know(reason=_("This report is open to the staff members who manage images and documents."))
def media_report_view(request: HttpRequest) -> HttpResponse:
    if not media_report_allowed(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    image_model, document_model = get_image_model(), get_document_model()
    sections = []
    for model, edit_url_name in (
        (image_model, "wagtailimages:edit"),
        (document_model, "wagtaildocs:edit"),
    ):
        expiring = _rows(
            model=model,
            media=media_expiring(model=model, today=today),
            edit_url_name=edit_url_name,
            today=today,
        )
        uncredited = [
            row
            for row in _rows(
                model=model,
                media=model.objects.filter(media_uncredited_q())
                .select_related("rights")
                .order_by("title", "pk"),
                edit_url_name=edit_url_name,
                today=today,
            )
            if row["pages"]
        ]
        sections.append(
            {
                "model": model,
                "is_image": model is image_model,
                "expiring": expiring,
                "uncredited": uncredited,
            }
        )
    return TemplateResponse(
        request,
        "media/report.html",
        {
            "sections": sections,
            "today": today,
            "warning_days": policy.MEDIA_EXPIRY_WARNING_DAYS,
        },
    )
