"""The public newsletter forms (policy P7, F, M; CASL s.10(1)).

Only what sending the newsletter needs (policy P7): an address, an optional first name,
a language and topics, and a separate consent box, never ticked in advance, whose label
is the versioned consent wording. Every value is bounded and checked, so that no input can
fail the page, and every refusal is told in the visitor's language.
"""

from __future__ import annotations

import unicodedata

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from django import forms
from django.utils.translation import gettext_lazy as _

from csce.common.altcha import CHALLENGE_FIELD
from csce.common.spam import HONEYPOT_FIELD, STARTED_FIELD, guard_form_fields

from .models import LANGUAGES
from .services import consent_wording_for, language_or_default, topics_offered

EMAIL_MAX = 254
FIRST_NAME_MAX = 80


def _has_control_characters(value: str) -> bool:
    """Null bytes, control and format characters, lone surrogates: never in a name or an
    address, often in what a robot sends."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in value)


def email_domain_disposable(email: str) -> bool:
    """Whether the address's domain, or a domain above it, is a known throwaway one."""
    domain = email.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    parts = domain.split(".")
    return any(".".join(parts[i:]) in DISPOSABLE_DOMAINS for i in range(len(parts) - 1))


def _topic_choices(language: str) -> list[tuple[str, str]]:
    return [(str(t["pk"]), t["en"] if language == "en" else t["fr"]) for t in topics_offered()]


class _LanguageTopicsMixin:
    def _language_topics_fields(self, language: str) -> None:
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the newsletter"),
            choices=LANGUAGES,
            initial=language,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["topics"] = forms.MultipleChoiceField(
            label=_("Topics"),
            choices=_topic_choices(language),
            required=False,
            help_text=_("Choose none to receive everything the centre sends."),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("This topic is no longer offered: please choose again.")
            },
        )

    def clean_language(self) -> str:
        return language_or_default(self.cleaned_data.get("language") or self.page_language)

    def clean_topics(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("topics") or []]


class SubscriptionForm(_LanguageTopicsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the form name@example.com."),
            "max_length": _("This address is too long."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    first_name = forms.CharField(
        label=_("Your first name (optional)"),
        max_length=FIRST_NAME_MAX,
        required=False,
        help_text=_("Only to greet you in the newsletter."),
        error_messages={"max_length": _("Please shorten your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )

    def __init__(self, *args, language: str, centre=None, **kwargs):
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)
        self.page_language = language_or_default(language)
        self._language_topics_fields(self.page_language)
        self.fields["consent"] = forms.BooleanField(
            # CASL s.10(1): the purpose, who asks, how to withdraw; policy P7: unticked.
            label=consent_wording_for(language=self.page_language, centre=centre),
            required=True,
            error_messages={
                "required": _("Tick this box to subscribe: we send nothing without it.")
            },
        )
        self.fields.update(guard_form_fields())
        self.fields["email"].widget.attrs["required"] = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if _has_control_characters(email):
            raise forms.ValidationError(
                _("Enter an e-mail address in the form name@example.com."), code="invalid"
            )
        if email_domain_disposable(email):
            raise forms.ValidationError(
                _(
                    "This address comes from a temporary mailbox service. Please use an "
                    "address you keep, so that the newsletter reaches you."
                ),
                code="disposable",
            )
        return email

    def clean_first_name(self) -> str:
        name = (self.cleaned_data.get("first_name") or "").strip()
        if _has_control_characters(name):
            raise forms.ValidationError(
                _("Please use only letters, spaces and punctuation in your first name."),
                code="invalid",
            )
        return name

    def guard_names(self) -> tuple[str, ...]:
        return (HONEYPOT_FIELD, STARTED_FIELD, CHALLENGE_FIELD)


class PreferencesForm(_LanguageTopicsMixin, forms.Form):
    def __init__(self, *args, language: str, **kwargs):
        kwargs.setdefault("auto_id", "preferences-%s")
        super().__init__(*args, **kwargs)
        self.page_language = language_or_default(language)
        self._language_topics_fields(self.page_language)
