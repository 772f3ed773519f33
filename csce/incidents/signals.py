"""What the incidents app does when another app's data changes (policy O): a property
saved in the online-property registry links the incidents whose free text names it."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Incident
from .services import incidents_link_to_registry


@receiver(post_save, sender=Incident._meta.get_field("online_property").related_model)
def _property_saved(sender, **kwargs) -> None:
    # After the commit, robust: the property's save never fails because of the register.
    transaction.on_commit(incidents_link_to_registry, robust=True)
