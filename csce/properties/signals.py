"""Keep the public pages true to the registry (policy P1): a property saved or deleted
starts a new pages generation, now and again after the commit, so a request that read
the old rows meanwhile cannot keep them cached under the new generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from csce.pages.cache import site_generation_bump

from .models import OnlineProperty


@receiver(post_save, sender=OnlineProperty)
@receiver(post_delete, sender=OnlineProperty)
def _property_changed(sender, **kwargs) -> None:
    site_generation_bump()
    transaction.on_commit(site_generation_bump)
