"""The sections of the privacy notice generated from the live system (policy P3).

Policy P3: the notice says what is collected, why, who sees it and for how long; F: the
processors, and that data is never sold; P4–P5: what is collected automatically; P9–P10:
rights and the Privacy Officer. Everything here comes from the personal-data registry,
the cookie registry and this app's own models, so the notice cannot drift from what the
system does. No other domain app is imported: apps meet through the registries.

The sections are cached per language under a generation that any change of their inputs
advances (``signals.py``), and under a fingerprint of what code declares (registries,
settings), so a deployment that changes a declaration is seen at once.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from csce.common.cookies import STAFF, VISITORS, cookie_registry
from csce.common.guards import generation_bump, generation_read
from csce.common.notice_rules import privacy_officer_email_is_placeholder
from csce.common.registry import personal_data_registry

from .models.records import PrivacyNoticeVersion, Processor, ProcessorCategory

GENERATION = "privacy-notice"
TIMEOUT = 60 * 60 * 24

# The generated sections, in the order the notice shows them; a version's summary names
# the ones that changed.
SECTION_KEYS = ("forms", "automatic", "cookies", "processors", "rights")
SECTION_NAMES = {
    "forms": _("the information we keep from forms and services"),
    "automatic": _("the information collected automatically"),
    "cookies": _("the cookies"),
    "processors": _("the third parties who receive information"),
    "rights": _("your rights and how to exercise them"),
}


@dataclass(frozen=True)
class NoticeLine:
    title: str
    collected: str
    purpose: str
    recipients: str
    retention: str
    url: str = ""
    retention_days: int | None = None


@dataclass(frozen=True)
class NoticeSource:
    key: str
    label: str
    purpose: str
    retention: str
    lines: tuple[NoticeLine, ...]


@dataclass(frozen=True)
class NoticeCookie:
    name: str
    purpose: str
    lifetime: str


@dataclass(frozen=True)
class NoticeProcessor:
    name: str
    category: str
    data_received: str
    purpose: str
    location: str
    agreement_date: datetime.date | None


@dataclass(frozen=True)
class NoticeSections:
    """Plain strings in one language: cached, compared and hashed as they are shown."""

    language: str
    sources: tuple[NoticeSource, ...]
    automatic: tuple[NoticeSource, ...]
    never_stored: tuple[str, ...]
    visitor_cookies: tuple[NoticeCookie, ...]
    staff_cookies: tuple[NoticeCookie, ...]
    processors: tuple[NoticeProcessor, ...]
    never_sold: str
    rights: tuple[str, ...]
    rights_url: str
    officer_email: str

    def _parts(self) -> dict[str, object]:
        return {
            "forms": self.sources,
            "automatic": (self.automatic, self.never_stored),
            "cookies": (self.visitor_cookies, self.staff_cookies),
            "processors": (self.processors, self.never_sold),
            "rights": (self.rights, self.rights_url, self.officer_email),
        }

    def section_hashes(self) -> dict[str, str]:
        return {key: _digest(value) for key, value in self._parts().items()}

    @property
    def sections_hash(self) -> str:
        return _digest(self.section_hashes())


def _digest(value: object) -> str:
    def plain(item):
        if dataclasses.is_dataclass(item):
            return dataclasses.asdict(item)
        return str(item)

    text = json.dumps(value, default=plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _line(entry) -> NoticeLine:
    # url and retention_days are optional in the NoticeEntry contract (forms give them).
    days = getattr(entry, "retention_days", None)
    return NoticeLine(
        title=str(entry.title),
        collected=str(entry.collected),
        purpose=str(entry.purpose),
        recipients=str(entry.recipients),
        retention=str(entry.retention),
        url=str(getattr(entry, "url", "") or ""),
        retention_days=int(days) if days is not None else None,
    )


def _source(source) -> NoticeSource:
    lines = tuple(_line(entry) for entry in source.notice()) if source.notice else ()
    return NoticeSource(
        key=source.key,
        label=str(source.label),
        purpose=str(source.purpose),
        retention=str(source.retention),
        lines=lines,
    )


def _cookies(audience: str) -> tuple[NoticeCookie, ...]:
    return tuple(
        NoticeCookie(name=c.name, purpose=str(c.purpose), lifetime=str(c.lifetime))
        for c in cookie_registry.for_audience(audience)
    )


def _processors(language: str) -> tuple[NoticeProcessor, ...]:
    """Active processors in ``language``; one not yet translated shows in French rather
    than not at all (policy F: every third party is listed)."""
    chosen: dict[object, Processor] = {}
    rows = Processor.objects.select_related("locale").order_by("category", "name", "pk")
    for processor in rows:
        current = chosen.get(processor.translation_key)
        if current is None or (
            processor.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[processor.translation_key] = processor
    return tuple(
        NoticeProcessor(
            name=p.name,
            category=str(p.get_category_display()),
            data_received=p.data_received,
            purpose=p.purpose,
            location=p.location,
            agreement_date=p.agreement_date,
        )
        for p in sorted(chosen.values(), key=lambda p: (p.category, p.name.lower()))
        if p.active
    )


def email_processor_declared() -> bool:
    """Policy F: an active e-mail delivery processor is in the register, so the notice
    names it; until then the site hands nothing to an e-mail provider (the outbox and the
    newsletter ask through ``common.registry.email_processor_declared``)."""
    return Processor.objects.filter(category=ProcessorCategory.EMAIL, active=True).exists()


def _rights_url(language: str) -> str:
    """The live privacy-rights portal page of ``language``, when the site has one."""
    try:
        model = apps.get_model("privacy", "PrivacyRightsPage")
    except LookupError:
        return ""
    page = (
        model.objects.live().public().filter(locale__language_code=language).order_by("path")
    ).first()
    return (page.get_url() or "") if page is not None else ""


def _never_stored() -> tuple[str, ...]:
    return (
        # csce/common/management/commands/serve.py runs gunicorn without an access log.
        gettext(
            "Your full IP address is never stored: our web server keeps no log of visits, "
            "the limit on sending forms keeps only a keyed hash of the address, which "
            "cannot be turned back into it, and the website statistics keep only a code "
            "made with its first part and a key that is destroyed every night."
        ),
        gettext(
            "We use no advertising, social media or third-party tracking tool, and our pages "
            "load nothing from another site."
        ),
    )


def _rights() -> tuple[str, ...]:
    return (
        gettext("See the personal information we hold about you."),
        gettext("Have it corrected."),
        gettext(
            "Have it deleted, or withdraw your consent, unless the law requires us to keep it."
        ),
        gettext("Complain to us, or to the Information and Privacy Commissioner of Ontario."),
    )


def notice_sections_build(*, language: str) -> NoticeSections:
    """The generated sections of ``language``, read now from the live system."""
    with translation.override(language):
        sources, automatic = [], []
        for source in personal_data_registry:
            (automatic if source.automatic else sources).append(_source(source))
        return NoticeSections(
            language=language,
            sources=tuple(sources),
            automatic=tuple(automatic),
            never_stored=_never_stored(),
            visitor_cookies=_cookies(VISITORS),
            staff_cookies=_cookies(STAFF),
            processors=_processors(language),
            never_sold=gettext(
                "We never sell your personal information, to anyone. We share it only when "
                "our work requires it, with the third parties listed here."
            ),
            rights=_rights(),
            rights_url=_rights_url(language),
            # Never the placeholder address, should a notice be live with it (policy P10).
            officer_email=(
                "" if privacy_officer_email_is_placeholder() else settings.PRIVACY_OFFICER_EMAIL
            ),
        )


def notice_generation() -> int:
    # In the database: a cache that forgets it cannot bring back an older notice.
    return generation_read(name=GENERATION)


def notice_generation_bump() -> None:
    generation_bump(name=GENERATION)


def _fingerprint(language: str) -> str:
    """What code and settings declare: a deployment that changes it changes the key."""
    with translation.override(language):
        declared = [
            settings.PRIVACY_OFFICER_EMAIL,
            [
                (s.key, str(s.label), str(s.purpose), str(s.retention))
                for s in personal_data_registry
            ],
            [(c.name, c.audience, str(c.purpose), str(c.lifetime)) for c in cookie_registry],
        ]
    return _digest(declared)[:16]


def _key(name: str, language: str) -> str:
    return f"privacy:notice:{name}:{language}:{notice_generation()}:{_fingerprint(language)}"


def notice_sections(*, language: str) -> NoticeSections:
    """The generated sections of ``language``, from the cache when they are current."""
    key = _key("sections", language)
    sections = cache.get(key)
    if sections is None:
        sections = notice_sections_build(language=language)
        cache.set(key, sections, TIMEOUT)
    return sections


def notice_version_latest(*, language: str) -> PrivacyNoticeVersion | None:
    return (
        PrivacyNoticeVersion.objects.filter(language=language)
        .order_by("-number")
        .defer("html")
        .first()
    )


def notice_version_in_force(*, language: str) -> dict | None:
    """Number and date of the version visitors of ``language`` read now (cached)."""
    key = _key("in_force", language)
    found = cache.get(key)
    if found is None:
        version = notice_version_latest(language=language)
        found = (
            {"number": version.number, "published_at": version.published_at}
            if version is not None
            else {}
        )
        cache.set(key, found, TIMEOUT)
    return found or None


def notice_version_number(*, language: str) -> int | None:
    """The provider for csce.common.registry.notice_version_in_force (consent records)."""
    found = notice_version_in_force(language=language)
    return found["number"] if found else None


def notice_versions_list(*, language: str):
    return (
        PrivacyNoticeVersion.objects.filter(language=language)
        .order_by("-number")
        .only("number", "published_at", "summary", "automatic", "language")
    )


def notice_versions_around(
    *, language: str, number: int
) -> tuple[PrivacyNoticeVersion | None, PrivacyNoticeVersion | None]:
    """Version ``number`` and the one that replaced it (for its end date), in one query."""
    found = {
        v.number: v
        for v in PrivacyNoticeVersion.objects.filter(
            language=language, number__in=[number, number + 1]
        )
    }
    return found.get(number), found.get(number + 1)
