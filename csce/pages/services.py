"""Translations through the approval workflow (policy C, P2).

Wagtail Localize's translation editor only publishes; a content creator, who may not
publish, saves the translation as a draft of the target page and submits it to the same
workflow as the source page, which the AED approves. The target page's slug is
translated with it: from the translated title, unless the translator gave one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import StringTranslation, Translation


def translation_slug_fill(*, translation: Translation, user=None) -> str | None:
    """Translate the slug segment from the translated title when the translator left it
    untranslated; the slug they typed stays. Returns the slug filled in, if any."""
    segments = translation.source.stringsegment_set.select_related("string", "context")
    by_path = {
        segment.context.path: segment
        for segment in segments.filter(context__path__in=["title", "slug"])
    }
    slug_segment, title_segment = by_path.get("slug"), by_path.get("title")
    if slug_segment is None or title_segment is None:
        return None
    translated = {
        row.translation_of_id: row
        for row in StringTranslation.objects.filter(
            locale=translation.target_locale,
            translation_of__in=[slug_segment.string, title_segment.string],
            context__in=[slug_segment.context, title_segment.context],
            has_error=False,
        )
    }
    slug_row = translated.get(slug_segment.string_id)
    if slug_row is not None and slug_row.context_id == slug_segment.context_id:
        return None
    title_row = translated.get(title_segment.string_id)
    if title_row is None or title_row.context_id != title_segment.context_id:
        return None
    slug = slugify(title_row.data)
    if not slug or slug == slug_segment.string.data:
        return None
    StringTranslation.objects.update_or_create(
        translation_of=slug_segment.string,
        locale=translation.target_locale,
        context=slug_segment.context,
        defaults={
            "data": slug,
            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            "last_translated_by": user,
        },
    )
    return slug


def _target_unique_slug(page: Page) -> None:
    """Unique among the target page's siblings (Wagtail Localize checks it too, but only
    when it saves; a sibling added since would otherwise clash)."""
    slug = find_available_slug(page.get_parent(), page.slug, ignore_page_id=page.pk)
    if slug != page.slug:
        page.slug = slug
        page.save(update_fields=["slug"], clean=False)


@transaction.atomic
def translation_draft_save(*, translation: Translation, user) -> Page:
    """The translation as a new draft revision of the target page (created if need be);
    a live target page stays as published until the new revision is approved."""
    was_live = None
    try:
        existing = translation.get_target_instance()
        was_live = existing.specific if existing.live else None
    except Page.DoesNotExist:
        pass
    translation_slug_fill(translation=translation, user=user)
    translation.save_target(user=user, publish=False)
    page = translation.get_target_instance().specific
    if was_live is not None and page.live_revision_id:
        # Wagtail Localize writes the translation on the page row itself; the live page
        # must keep what was approved (policy C), so the row goes back to the live
        # revision and the translation waits in the latest one.
        live = page.live_revision.as_object()
        # Wagtail keeps these from the row, but not which revision is live.
        live.live_revision_id = page.live_revision_id
        live.last_published_at = page.last_published_at
        live.latest_revision_id = page.latest_revision_id
        live.draft_title = page.title
        live.has_unpublished_changes = True
        live.save(clean=False)
        page = live
    else:
        _target_unique_slug(page)
    return page


@transaction.atomic
def translation_submit(*, translation: Translation, user) -> WorkflowState | None:
    """Save the translation as a draft and submit the target page to its workflow (the
    source page's: it is set on each home page). Resubmits after changes were requested;
    a page already in moderation takes the new revision where it is."""
    page = translation_draft_save(translation=translation, user=user)
    workflow = page.get_workflow()
    if workflow is None:
        return None
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return state
    return workflow.start(page, user)
