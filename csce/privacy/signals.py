"""Keep the privacy notice true to the live system (policy P3, V).

Any change that may alter a generated section (a page published, unpublished, moved or
deleted — forms and the rights portal are pages —, a processor, an inbox group, a
page's view restriction) starts a new notice generation, and after the commit the
sections are compared with the latest version of each language. Publishing the notice
page records its version. The senders are Wagtail and Django (pages, groups, view
restrictions) and Wagtail's snippet views for processors, whose bulk delete goes through
a queryset that only the signal sees; a recorded version bumps the caches itself.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from csce.pages.cache import site_generation_bump

from .models.records import Processor
from .notice import notice_generation_bump
from .notice_versions import notice_page_model, notice_page_published, notice_versions_check


def _inputs_changed() -> None:
    # Now, for this transaction's own reads; again on commit, so that a request that read
    # the old rows meanwhile cannot keep them cached under the new generation.
    notice_generation_bump()
    transaction.on_commit(notice_generation_bump)
    # robust: a failed check is logged and must not fail the publish (the daily job retries).
    transaction.on_commit(lambda: notice_versions_check(first=False), robust=True)


@receiver(page_published)
def _page_published(sender, instance, revision=None, **kwargs) -> None:
    if isinstance(instance, notice_page_model()):
        page_id = instance.pk
        transaction.on_commit(
            lambda: notice_page_published(page=Page(pk=page_id), revision=revision), robust=True
        )
    _inputs_changed()


@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    _inputs_changed()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _inputs_changed()


@receiver(post_save, sender=Processor)
@receiver(post_delete, sender=Processor)
# A page protected by a password adds the visitors' session cookie to the notice.
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
def _register_changed(sender, **kwargs) -> None:
    _inputs_changed()
    # The notice page is kept whole for anonymous visitors (decisions/0004).
    transaction.on_commit(site_generation_bump)
