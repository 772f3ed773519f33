"""The public forms of user conduct: a report of a concern and a comment on a news article
(policy U, F, M).

Every value is bounded and checked so that no input can fail a page, and every refusal is
told in the visitor's language. Free text is normalised (NFC), loses invisible format
characters that can disguise it (bidirectional overrides, zero-width spaces), and is
refused when it carries null bytes or other control characters. A comment is cleared of
any markup (nh3) and stored as plain text; it is escaped again wherever it is shown.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.spam import guard_form_fields

from .models import Category, Subject

NAME_MAX = 80
EMAIL_MAX = 254
URL_MAX = 500
DESCRIPTION_MAX = 4000
COMMENT_MAX = 2000
# The largest id a comment can have: larger numbers are not ids.
ID_MAX = 2**53

# Joiners shape emoji and some scripts: kept. Every other format character goes.
_KEPT_FORMAT = {"\u200c", "\u200d"}
_LINE_BREAKS = {"\n", "\r", "\t"}
_LINK = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _control_characters(value: str, *, multiline: bool) -> bool:
    """Null bytes and other control characters, lone surrogates, private-use and
    unassigned code points: never in what a person types, often in what a robot sends."""
    allowed = _LINE_BREAKS if multiline else set()
    return any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in allowed for ch in value
    )


def text_normalised(value: str) -> str:
    """NFC, without invisible format characters, with Unix line breaks and at most one
    blank line in a row, trimmed."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf" or ch in _KEPT_FORMAT)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _BLANK_LINES.sub("\n\n", value).strip()


def markup_removed(value: str) -> str:
    """Plain text: every tag goes (with the content of script and style elements),
    entities are read back as the characters they stand for."""
    return html.unescape(nh3.clean(value, tags=set()))


def link_count(value: str) -> int:
    """How many web addresses a text holds (http, https and www. ones)."""
    return len(_LINK.findall(value))


def site_path(value: str, *, host: str) -> str:
    """The path of a page of this website, from a path or a full address of ours; ""
    for anything else (another site, a scheme-relative or script address)."""
    value = (value or "").strip()
    if not value or len(value) > URL_MAX or _control_characters(value, multiline=False):
        return ""
    if "\\" in value:
        return ""
    parts = urlsplit(value)
    foreign = parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower()
    if (parts.scheme or parts.netloc) and foreign:
        return ""
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return ""
    # Never the query string: it may carry someone's personal link.
    return path


_CONTROL_MESSAGE = _(
    "This text holds invisible control characters. Please type it again, or paste it as plain text."
)


def _free_text(value: str, *, multiline: bool = True) -> str:
    if _control_characters(value, multiline=multiline):
        raise forms.ValidationError(_CONTROL_MESSAGE, code="control")
    return text_normalised(value)


def optional_email_field(*, help_text) -> forms.EmailField:
    """The optional address of both forms; ``help_text`` says what it is used for."""
    return forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=EMAIL_MAX,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter an e-mail address in the form name@example.com."),
            "max_length": _("This address is too long."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ReportForm(forms.Form):
    """What is wrong, where, and optionally how to reach the person who reports it."""

    subject = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Subject.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what your report is about."),
            "invalid_choice": _("Choose what your report is about."),
        },
    )
    url = forms.CharField(
        label=_("Its address"),
        required=False,
        max_length=URL_MAX,
        help_text=_(
            "For a page or a comment of this website, its address is filled in for you. "
            "For a social media post or account, paste its address (https://…)."
        ),
        error_messages={"max_length": _("This address is too long.")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    comment = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    category = forms.ChoiceField(
        label=_("What kind of problem is it?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of problem."),
            "invalid_choice": _("Choose the kind of problem."),
        },
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=DESCRIPTION_MAX,
        help_text=_(
            "What did you see, and where? Please do not include health information about "
            "yourself or anyone else."
        ),
        error_messages={
            "required": _("Describe the problem in a few words."),
            "max_length": _("Please shorten your description."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact = optional_email_field(
        help_text=_(
            "Only to acknowledge your report and, if needed, to ask you a question. "
            "Leave it empty to report anonymously."
        )
    )

    def __init__(self, *args, host: str, **kwargs):
        kwargs.setdefault("auto_id", "report-%s")
        super().__init__(*args, **kwargs)
        self.host = host
        self.fields.update(guard_form_fields())
        for name in ("description",):
            self.fields[name].widget.attrs["required"] = True

    def clean_url(self) -> str:
        value = self.cleaned_data.get("url") or ""
        if _control_characters(value, multiline=False):
            raise forms.ValidationError(_CONTROL_MESSAGE, code="control")
        return value.strip()

    def clean_description(self) -> str:
        value = _free_text(self.cleaned_data.get("description") or "")
        if not value:
            raise forms.ValidationError(_("Describe the problem in a few words."), code="required")
        return value

    def clean_contact(self) -> str:
        value = self.cleaned_data.get("contact") or ""
        if _control_characters(value, multiline=False):
            raise forms.ValidationError(
                _("Enter an e-mail address in the form name@example.com."), code="invalid"
            )
        return value

    def clean(self):
        data = super().clean()
        subject = data.get("subject")
        url = data.get("url") or ""
        if subject == Subject.SOCIAL:
            if not _https_url(url):
                self.add_error(
                    "url",
                    forms.ValidationError(
                        _("Paste the address of the post or account, beginning with https://."),
                        code="social",
                    ),
                )
        elif subject in (Subject.PAGE, Subject.COMMENT):
            path = site_path(url, host=self.host)
            needed = subject == Subject.PAGE or not data.get("comment")
            if not path and (url or needed):
                self.add_error(
                    "url",
                    forms.ValidationError(
                        _(
                            "Enter the address of a page of this website, for example "
                            "/fr/nouvelles/."
                        ),
                        code="page",
                    ),
                )
            else:
                data["url"] = path
        return data


def _https_url(value: str) -> bool:
    if not value or len(value) > URL_MAX:
        return False
    try:
        URLValidator(schemes=["https"])(value)
    except forms.ValidationError:
        return False
    return True


class CommentForm(forms.Form):
    """A comment on a news article: a name and a text, and an address only if the person
    wants to find or erase their comment later (policy P7: no more than needed)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("Shown with your comment. A first name or a pseudonym is enough."),
        error_messages={
            "required": _("Enter the name to show with your comment."),
            "max_length": _("Please shorten your name."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        error_messages={
            "required": _("Write your comment."),
            "max_length": _("Please shorten your comment."),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = optional_email_field(
        help_text=_(
            "Never shown and never used to write to you: only so that you can find or "
            "erase your comment later through our privacy requests."
        )
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        self.fields.update(guard_form_fields())
        for name in ("name", "text"):
            self.fields[name].widget.attrs["required"] = True

    def clean_name(self) -> str:
        value = markup_removed(_free_text(self.cleaned_data.get("name") or "", multiline=False))
        value = " ".join(value.split())
        if not value:
            raise forms.ValidationError(
                _("Enter the name to show with your comment."), code="required"
            )
        if link_count(value):
            raise forms.ValidationError(_("A name cannot hold a web address."), code="link")
        return value[:NAME_MAX]

    def clean_text(self) -> str:
        value = text_normalised(markup_removed(_free_text(self.cleaned_data.get("text") or "")))
        if not value:
            raise forms.ValidationError(_("Write your comment."), code="required")
        links = link_count(value)
        if links > policy.COMMENT_MAX_LINKS:
            raise forms.ValidationError(
                _(
                    "A comment may hold at most %(limit)s web addresses; this one holds "
                    "%(count)s. Please remove some."
                ),
                code="links",
                params={"limit": policy.COMMENT_MAX_LINKS, "count": links},
            )
        return value[:COMMENT_MAX]

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email") or ""
        if _control_characters(value, multiline=False):
            raise forms.ValidationError(
                _("Enter an e-mail address in the form name@example.com."), code="invalid"
            )
        return value
