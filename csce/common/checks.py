"""System checks that keep the personal-data registry and the retention cap honest (policy M).

``manage.py check`` (and so every deployment and test run) fails when a source keeps data
longer than policy M's cap without a law that requires it, when a source has no retention
rule, or when a model with encrypted personal fields belongs to no registered source.
Each check takes its inputs as keyword arguments so tests pass a fake registry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.conf import settings
from django.core import checks
from django.db import models

from . import policy
from .fields import EncryptedFieldMixin
from .registry import PersonalDataSource, personal_data_registry

# Settings (in seconds) that say how long personal data is kept somewhere: the staff
# invitation (an e-mail address), the forms' rate limit (a keyed hash of an address).
RETENTION_SECONDS_SETTINGS = ("STAFF_INVITATION_SECONDS", "FORM_RATE_WINDOW_SECONDS")


@checks.register(checks.Tags.security)
def retention_within_cap_check(
    app_configs=None,
    *,
    sources: Iterable[PersonalDataSource] | None = None,
    cap_days: int | None = None,
    configured: dict[str, float] | None = None,
    **kwargs,
) -> list[checks.CheckMessage]:
    """Policy M: every source and retention setting within the cap, unless a law says more."""
    sources = personal_data_registry if sources is None else sources
    cap_days = policy.RETENTION_CAP_DAYS if cap_days is None else cap_days
    if configured is None:
        configured = {
            name: getattr(settings, name)
            for name in RETENTION_SECONDS_SETTINGS
            if hasattr(settings, name)
        }
    errors = []
    for source in sources:
        if source.retention_days is None:
            errors.append(
                checks.Error(
                    f"The personal-data source {source.key!r} has no retention rule.",
                    hint="Set retention_days on its PersonalDataSource (policy M).",
                    id="common.E001",
                )
            )
        elif source.retention_days > cap_days and not source.legal_hold:
            errors.append(
                checks.Error(
                    f"The personal-data source {source.key!r} keeps data "
                    f"{source.retention_days} days, more than the {cap_days}-day cap.",
                    hint="Shorten its retention, or name the law that requires it in legal_hold.",
                    id="common.E002",
                )
            )
    for name, seconds in configured.items():
        if math.ceil(seconds / 86400) > cap_days:
            errors.append(
                checks.Error(
                    f"The setting {name} keeps personal data longer than the {cap_days}-day cap.",
                    hint="Policy M: lower it.",
                    id="common.E003",
                )
            )
    return errors


def _encrypted_models() -> list[type[models.Model]]:
    return [
        model
        for model in django_apps.get_models()
        if any(isinstance(field, EncryptedFieldMixin) for field in model._meta.get_fields())
    ]


@checks.register(checks.Tags.security)
def encrypted_models_registered_check(
    app_configs=None,
    *,
    sources: Iterable[PersonalDataSource] | None = None,
    encrypted_models: Iterable[type[models.Model]] | None = None,
    **kwargs,
) -> list[checks.CheckMessage]:
    """Policy M, P10: encrypted fields hold personal data, so a source must purge and find it."""
    sources = personal_data_registry if sources is None else sources
    encrypted_models = _encrypted_models() if encrypted_models is None else encrypted_models
    declared = {label.lower() for source in sources for label in source.models}
    return [
        checks.Error(
            f"{model._meta.label} has encrypted fields but belongs to no personal-data source.",
            hint="Name it in the models of its app's PersonalDataSource (registry.py).",
            obj=model,
            id="common.E004",
        )
        for model in encrypted_models
        if model._meta.label_lower not in declared
    ]


@checks.register(checks.Tags.security, deploy=True)
def email_provider_check(
    app_configs=None, *, provider: str | None = None, api_key: str | None = None, **kwargs
) -> list[checks.CheckMessage]:
    """Policy F: a configured e-mail provider needs its key, and its place in the processors
    register (read from the database at delivery, so here only a reminder at deployment)."""
    provider = getattr(settings, "EMAIL_PROVIDER", "") if provider is None else provider
    api_key = getattr(settings, "EMAIL_PROVIDER_API_KEY", "") if api_key is None else api_key
    if not provider:
        return []
    found = []
    if not api_key and provider != "amazon_ses":
        found.append(
            checks.Error(
                f"EMAIL_PROVIDER={provider!r} is set without EMAIL_PROVIDER_API_KEY.",
                hint="Set the provider's API key, or empty EMAIL_PROVIDER to send by SMTP.",
                id="common.E005",
            )
        )
    found.append(
        checks.Warning(
            f"E-mail goes through the provider {provider!r}: nothing is sent until the "
            "processors register declares an active processor of kind 'E-mail delivery'.",
            hint="The Privacy Officer adds it in Privacy → Processors (docs/operations.md).",
            id="common.W005",
        )
    )
    return found
