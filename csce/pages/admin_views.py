"""The translation editor's own actions for those who may not publish (policy C, P2):
save the translation as a draft, submit it for approval (``services.py``); and
wagtail-localize's "Stop synced translation", which keeps what was typed."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import stop_translation

from .services import translation_draft_save, translation_submit


def _translation_for_editor(request: HttpRequest, translation_id: int) -> tuple[Translation, Page]:
    translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
    try:
        page = translation.get_target_instance()
    except Page.DoesNotExist:
        page = None
    if not isinstance(page, Page) or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return translation, page


def _back(page: Page) -> HttpResponse:
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


@require_POST
def translation_draft_view(request: HttpRequest, translation_id: int) -> HttpResponse:
    translation, page = _translation_for_editor(request, translation_id)
    try:
        page = translation_draft_save(translation=translation, user=request.user)
    except ValidationError:
        messages.error(request, _("The translation could not be saved: see the errors below."))
        return _back(page)
    messages.success(
        request,
        _("Draft of “%(title)s” saved in %(language)s.")
        % {"title": page.draft_title, "language": translation.target_locale.get_display_name()},
    )
    return _back(page)


@require_POST
def translation_submit_view(request: HttpRequest, translation_id: int) -> HttpResponse:
    translation, page = _translation_for_editor(request, translation_id)
    try:
        state = translation_submit(translation=translation, user=request.user)
    except ValidationError:
        messages.error(request, _("The translation could not be submitted: see the errors below."))
        return _back(page)
    page.refresh_from_db()
    if state is None:
        messages.success(
            request,
            _("Draft of “%(title)s” saved; no approval is needed for this page.")
            % {"title": page.draft_title},
        )
    else:
        messages.success(
            request,
            _("“%(title)s” submitted for approval (%(workflow)s).")
            % {"title": page.draft_title, "workflow": state.workflow.name},
        )
    return _back(page)


@require_POST
def translation_stop_view(request: HttpRequest, translation_id: int) -> HttpResponse:
    """wagtail-localize's "Stop synced translation" (« Arrêter la synchronisation »), at its
    own address, after saving the translation as a draft of the page (policy P2): the
    editor keeps each typed segment apart from the page until it is saved, so stopping
    would otherwise leave the page without what was typed since the last save. The page's
    live version stays as approved (policy C). If the draft cannot be saved, the
    translation stays synchronised."""
    translation = get_object_or_404(Translation, pk=translation_id)
    if translation.enabled:
        try:
            page = translation.get_target_instance()
        except ObjectDoesNotExist:
            page = None
        if isinstance(page, Page):
            if not page.permissions_for_user(request.user).can_edit():
                raise PermissionDenied
            try:
                translation_draft_save(translation=translation, user=request.user)
            except ValidationError:
                messages.error(
                    request,
                    _(
                        "The translation could not be saved, so it is still synchronised: "
                        "see the errors below."
                    ),
                )
                return _back(page)
    return stop_translation(request, translation_id)
