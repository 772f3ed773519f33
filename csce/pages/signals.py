"""Start a new cache generation whenever what every page shows may have changed.

Wagtail's and Django's own signals (pages, sites, view restrictions), and the deletion
of a site alert; the centre's settings and the alerts start it themselves when saved
(``CentreSettings.save``, ``SiteAlert.save``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .cache import site_generation_bump
from .models import SiteAlert


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    site_generation_bump()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_delete, sender=SiteAlert)
# Shares name an image's rendition and its description (csce/pages/sharing.py).
@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
def _centre_changed(sender, **kwargs) -> None:
    site_generation_bump()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        site_generation_bump()
