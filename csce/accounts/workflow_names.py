"""The approval workflow's name in each reader's language (policy P2, R).

Wagtail stores a workflow's and a task's name in a plain text column and shows it as is,
in the admin's lists, the page status panel, the dashboard and the notification e-mails.
The site's own workflow stores a stable English identifier (``roles.WORKFLOW_NAME``); the
``name`` attribute of ``Workflow`` and ``Task`` reads it in the active language (Wagtail
renders each e-mail in its recipient's). Writing a translated name back (the workflow's
edit form shows it) stores the identifier again, so the database never holds a French or
English label in its place.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .roles import WORKFLOW_NAME

# Identifier (as stored) -> its label. The identifier is the English label.
TRANSLATED_NAMES = {WORKFLOW_NAME: _("Assistant Executive Director approval")}


def name_label(stored: str) -> str:
    """The name to show, in the active language."""
    label = TRANSLATED_NAMES.get(stored)
    return str(label) if label is not None else stored


def name_identifier(value):
    """The name to store: a label of one of the site's names in any language is stored
    as its identifier; any other name as typed."""
    if not isinstance(value, str) or value in TRANSLATED_NAMES:
        return value
    for identifier, label in TRANSLATED_NAMES.items():
        for language, _name in settings.LANGUAGES:
            with override(language):
                if value == str(label):
                    return identifier
    return value


class TranslatedNameAttribute(DeferredAttribute):
    """``name`` reads as its label, is set and saved as its identifier."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None:
            return value
        return name_label(value)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = name_identifier(value)


def _stored_value(field):
    def pre_save(model_instance, add):
        return model_instance.__dict__.get(field.attname)

    return pre_save


def workflow_names_translate() -> None:
    """Install the translated ``name`` on Wagtail's Workflow and Task (app ready)."""
    from wagtail.models import Task, Workflow

    for model in (Workflow, Task):
        field = model._meta.get_field("name")
        if isinstance(model.__dict__.get("name"), TranslatedNameAttribute):
            continue
        model.name = TranslatedNameAttribute(field)
        field.pre_save = _stored_value(field)
