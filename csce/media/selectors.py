"""Which images and documents a page uses, and what stops it from being published
(policy C: copyright and consent; policy P2: accessible, so every image has a text
alternative unless it is decorative).

What a page uses is read the way Wagtail's ReferenceIndex reads it (every foreign key,
StreamField block and rich-text link, child objects included), from the very version being
published: a revision's content, not the index's rows of the version that is live. The
report and the indicator, which look at what is live, read the index's rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, ReferenceIndex

from csce.common import policy
from csce.common.policy import interpolate_lazy

from .models import LICENCES_WITH_REFERENCE

UNCREDITED = "uncredited"
EXPIRED = "expired"
NO_ALT_TEXT = "no-alt-text"


@dataclass(frozen=True)
class MediaProblem:
    """One reason a page cannot be published: which media, what is wrong, where to fix it.
    The message names the media by its title (never a personal value)."""

    kind: str
    kind_label: str | Promise
    title: str
    edit_url: str
    message: str | Promise = field(compare=False)


def _extract_references(obj) -> Iterator[tuple[int, str, str, str]]:
    # The ReferenceIndex's own reader, so what counts as "used" is what Wagtail's usage
    # screens show; it runs on the unsaved object a revision holds.
    return ReferenceIndex._extract_references_from_object(obj)


def page_media_ids(*, page: Page) -> tuple[set[int], set[int]]:
    """The ids of the images and of the documents the page (as given) uses."""
    image_ct = ContentType.objects.get_for_model(get_image_model())
    document_ct = ContentType.objects.get_for_model(get_document_model())
    images: set[int] = set()
    documents: set[int] = set()
    for content_type_id, object_id, _model_path, _content_path in _extract_references(page):
        if not str(object_id).isdigit():
            continue
        if content_type_id == image_ct.id:
            images.add(int(object_id))
        elif content_type_id == document_ct.id:
            documents.add(int(object_id))
    return images, documents


def _image_block_values(block: blocks.Block, value) -> Iterator:
    """Every ImageBlock value inside a block's value, however deeply nested."""
    if value is None:
        return
    if isinstance(block, ImageBlock):
        yield value
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _image_block_values(child.block, child.value)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _image_block_values(block.child_block, item)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _image_block_values(child_block, value.get(name))


def page_image_blocks(*, page: Page) -> list:
    """The images placed through ImageBlock in the page's StreamFields, each carrying its
    ``contextual_alt_text`` and ``decorative`` as the editor set them."""
    found = []
    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            value = getattr(page, model_field.name, None)
            if value is not None:
                found.extend(_image_block_values(model_field.stream_block, value))
    return found


def _has_text(value: str | None) -> bool:
    return bool((value or "").strip())


def media_uncredited_q(prefix: str = "rights") -> Q:
    """Media without a rights record, or whose record lacks a credit, a licence, or the
    reference a licence or a written permission needs: not credited (fail closed)."""
    return (
        Q(**{f"{prefix}__isnull": True})
        | Q(**{f"{prefix}__credit": ""})
        | Q(**{f"{prefix}__licence": ""})
        | Q(
            **{
                f"{prefix}__licence__in": LICENCES_WITH_REFERENCE,
                f"{prefix}__licence_reference": "",
            }
        )
    )


def media_expired_q(*, today: datetime.date, prefix: str = "rights") -> Q:
    return Q(**{f"{prefix}__expires_on__lt": today})


def _rights_problems(media, *, today: datetime.date, is_image: bool) -> list[MediaProblem]:
    rights = getattr(media, "rights", None)
    if is_image:
        edit_url = reverse("wagtailimages:edit", args=[media.pk])
    else:
        edit_url = reverse("wagtaildocs:edit", args=[media.pk])
    values = {"title": media.title}
    problems = []
    if rights is None or not rights.is_credited:
        message = (
            _("The image “%(title)s” has no credit or no licence.")
            if is_image
            else _("The document “%(title)s” has no credit or no licence.")
        )
        problems.append(
            MediaProblem(
                UNCREDITED,
                _("No credit or licence"),
                media.title,
                edit_url,
                interpolate_lazy(message, values),
            )
        )
    if rights is not None and rights.is_expired(today=today):
        message = (
            _("The rights to the image “%(title)s” expired on %(date)s.")
            if is_image
            else _("The rights to the document “%(title)s” expired on %(date)s.")
        )
        problems.append(
            MediaProblem(
                EXPIRED,
                _("Rights expired"),
                media.title,
                edit_url,
                interpolate_lazy(message, {**values, "date": rights.expires_on.isoformat()}),
            )
        )
    return problems


def page_media_problems(*, page: Page, today: datetime.date) -> list[MediaProblem]:
    """Every reason the page, as given (a revision's content), cannot be published:
    uncredited or expired media (policy C), images without a text alternative (P2)."""
    image_ids, document_ids = page_media_ids(page=page)
    problems: list[MediaProblem] = []
    images = {
        image.pk: image
        for image in get_image_model().objects.filter(pk__in=image_ids).select_related("rights")
    }
    for image in sorted(images.values(), key=lambda i: (i.title, i.pk)):
        problems.extend(_rights_problems(image, today=today, is_image=True))
    for document in (
        get_document_model()
        .objects.filter(pk__in=document_ids)
        .select_related("rights")
        .order_by("title", "pk")
    ):
        problems.extend(_rights_problems(document, today=today, is_image=False))

    # Policy P2: an image has a text alternative, from its block or, by default, from the
    # image's own description; only an image marked decorative goes without.
    placed = page_image_blocks(page=page)
    in_blocks = {image.pk for image in placed}
    missing_alt: dict[int, object] = {}
    for image in placed:
        if image.decorative or _has_text(image.contextual_alt_text):
            continue
        described = images.get(image.pk)
        if described is not None and _has_text(described.description):
            continue
        missing_alt[image.pk] = image
    # Used elsewhere (a field, a chooser block): its description is its only alternative.
    for pk in image_ids - in_blocks:
        if pk in images and not _has_text(images[pk].description):
            missing_alt[pk] = images[pk]
    for image in sorted(missing_alt.values(), key=lambda i: (i.title, i.pk)):
        problems.append(
            MediaProblem(
                NO_ALT_TEXT,
                _("No alternative text"),
                image.title,
                reverse("wagtailimages:edit", args=[image.pk]),
                interpolate_lazy(
                    _(
                        "The image “%(title)s” has no alternative text: write one in "
                        "the page, or a description on the image, or mark it decorative."
                    ),
                    {"title": image.title},
                ),
            )
        )
    return problems


def _page_content_type_id() -> int:
    return ContentType.objects.get_for_model(Page).id


def pages_using(*, model, ids: Iterable[int], live_only: bool = False) -> dict[int, list[Page]]:
    """For each media id, the pages whose saved content uses it (the index's rows)."""
    ids = [str(pk) for pk in ids]
    if not ids:
        return {}
    rows = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id__in=ids,
        base_content_type_id=_page_content_type_id(),
    ).values_list("to_object_id", "object_id")
    by_media: dict[int, set[int]] = {}
    for to_id, page_id in rows:
        by_media.setdefault(int(to_id), set()).add(int(page_id))
    all_page_ids = set().union(*by_media.values()) if by_media else set()
    pages = Page.objects.filter(pk__in=all_page_ids)
    if live_only:
        pages = pages.filter(live=True)
    pages_by_id = {page.pk: page for page in pages.order_by("title", "pk")}
    return {
        media_id: sorted(
            (pages_by_id[pid] for pid in page_ids if pid in pages_by_id),
            key=lambda p: (p.title, p.pk),
        )
        for media_id, page_ids in by_media.items()
    }


def media_expiring(*, model, today: datetime.date) -> QuerySet:
    """Media whose rights expired, or expire within the warning window, soonest first."""
    horizon = today + datetime.timedelta(days=policy.MEDIA_EXPIRY_WARNING_DAYS)
    return (
        model.objects.filter(rights__expires_on__lte=horizon)
        .select_related("rights")
        .order_by("rights__expires_on", "title", "pk")
    )
