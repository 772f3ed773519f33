"""The e-mail provider an operator may choose instead of SMTP (policy F), as django-anymail
settings (docs/decisions/0021-email-provider-through-anymail.md).

``EMAIL_PROVIDER`` names an anymail ESP; its credentials come from the few variables of
csce/env.py (``EMAIL_PROVIDER_API_KEY``, ``EMAIL_PROVIDER_SECRET``,
``EMAIL_PROVIDER_SENDER_DOMAIN``, ``EMAIL_PROVIDER_REGION``). Each ESP calls its key
differently; this table says which anymail setting each variable fills. Whatever the
provider, nothing is handed to it until the processors register declares it (the
outbox's and the newsletter's delivery ask ``common.registry.email_processor_declared``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ProviderSettings:
    """Where each variable goes in anymail's ``ANYMAIL`` dict for one ESP."""

    key: str = "API_KEY"  # the anymail name of the API key, prefixed by the ESP's
    second_credential: str = ""  # when the ESP has one
    sender_domain: str = ""  # the sending domain, when the ESP needs it


# The ESPs anymail ships a backend for, with the names of their settings.
PROVIDERS: dict[str, ProviderSettings] = {
    "amazon_ses": ProviderSettings(key=""),  # boto3 credentials: CLIENT_PARAMS below
    "brevo": ProviderSettings(),
    "mailersend": ProviderSettings(key="API_TOKEN"),
    "mailgun": ProviderSettings(sender_domain="SENDER_DOMAIN"),
    "mailjet": ProviderSettings(second_credential="SECRET_KEY"),
    "mandrill": ProviderSettings(),
    "postmark": ProviderSettings(key="SERVER_TOKEN"),
    "resend": ProviderSettings(),
    "sendgrid": ProviderSettings(),
    "sparkpost": ProviderSettings(),
}


def anymail_settings(
    *, provider: str, api_key: str, secret: str = "", sender_domain: str = "", region: str = ""
) -> tuple[str, dict[str, object]]:
    """(the delivery backend's dotted path, the ``ANYMAIL`` dict) for ``provider``.

    An unknown name stops the start with the list of known ones: a typing mistake must not
    fall back silently to another way of sending."""
    name = provider.strip().lower()
    if name not in PROVIDERS:
        raise ImproperlyConfigured(
            f"EMAIL_PROVIDER={provider!r} is not a known provider; use one of "
            f"{', '.join(sorted(PROVIDERS))}, or leave it empty for SMTP."
        )
    spec = PROVIDERS[name]
    prefix = name.upper()
    values: dict[str, object] = {}
    if name == "amazon_ses":
        params = {"region_name": region} if region else {}
        if api_key:
            params |= {"aws_access_key_id": api_key, "aws_secret_access_key": secret}
        values["AMAZON_SES_CLIENT_PARAMS"] = params
    else:
        values[f"{prefix}_{spec.key}"] = api_key
        if spec.second_credential:
            values[f"{prefix}_{spec.second_credential}"] = secret
        if spec.sender_domain and sender_domain:
            values[f"{prefix}_{spec.sender_domain}"] = sender_domain
    return f"anymail.backends.{name}.EmailBackend", values
