"""Reads of public pages: site search across both languages."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Locale, Page
from wagtail.search.models import IndexEntry
from wagtail.search.query import Or, PlainText

from . import cache
from .cache import live_public

WORDS = re.compile(r"\w+")
# Bounded cost of a suggestion: the words of a query looked at, the vocabulary's size.
SUGGESTION_MAX_WORDS = 6
VOCABULARY_MAX_WORDS = 20_000
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")


def _folded(word: str) -> str:
    """Lower case without accents: "Santé" and "sante" are the same word to a visitor."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plural_x_forms(word: str) -> list[str]:
    """The other number of a French noun whose plural takes an x ("journal", "journaux";
    "bateau", "bateaux"), which SQLite's porter stemmer does not know (docs/search.md)."""
    if len(word) < 4:
        return []
    if word.endswith("aux"):
        return [word[:-3] + "al", word[:-3] + "ail"]
    if word.endswith("al"):
        return [word[:-2] + "aux"]
    if word.endswith(("eaux", "eux")):
        return [word[:-1]]
    if word.endswith(("eau", "eu")):
        return [word + "x"]
    return []


def _search_query(words: list[str]):
    """All the words, each also in its other number when its plural takes an x."""
    terms = []
    for word in words:
        folded = _folded(word)
        forms = _plural_x_forms(folded)
        if folded != word.lower():
            forms.append(folded)  # "atéliers" also as "ateliers", the form pages index
        terms.append(Or([PlainText(w) for w in [word, *forms]]) if forms else PlainText(word))
    if all(isinstance(term, PlainText) for term in terms):
        return " ".join(words)
    query = terms[0]
    for term in terms[1:]:
        query &= term
    return query


def page_search(*, query: str, language: str, limit: int = 20) -> list[Page]:
    """Live public pages matching ``query`` in either language, shown in ``language``.

    A page found through its French text is shown as its English translation to an
    English visitor (and the other way round); pages with no translation in the
    visitor's language are shown as they are. Each page appears once.
    """
    # Words only: quotes and operators mean syntax to the full-text engines, not to visitors.
    query = " ".join(WORDS.findall(query))
    if not query:
        return []
    words = query.split()
    hits = list(
        live_public(Page.objects.filter(depth__gt=1)).search(_search_query(words), operator="and")[
            : limit * 2
        ]
    )
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist:
        return hits[:limit]
    keys = [hit.translation_key for hit in hits if hit.locale_id != locale.pk]
    translated = {
        page.translation_key: page
        for page in live_public(Page.objects.filter(translation_key__in=keys, locale=locale))
    }
    results: list[Page] = []
    seen: set = set()
    for hit in hits:
        page = hit if hit.locale_id == locale.pk else translated.get(hit.translation_key, hit)
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        results.append(page)
        if len(results) == limit:
            break
    return results


def search_vocabulary() -> dict[str, str]:
    """The words of live public pages, folded to their written form ("sante": "santé").

    Read from the search index, so it holds what search can find; cached for the content
    generation, which publishing starts anew. Words of private or unpublished pages stay
    out: a suggestion must not reveal them.
    """
    key = cache.cache_key("search-vocabulary")
    vocabulary = django_cache.get(key)
    if vocabulary is not None:
        return vocabulary
    page_ids = live_public(Page.objects.filter(depth__gt=1)).annotate(
        object_id=Cast("pk", TextField())
    )
    fields = ("title_text", "body_text") if connection.vendor == "postgresql" else ("title", "body")
    entries = IndexEntry.objects.filter(
        content_type_id__in=get_descendants_content_types_pks(Page),
        object_id__in=page_ids.values("object_id"),
    ).values_list(*fields)
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for texts in entries:
        for text in texts:
            for word in VOCABULARY_WORD.findall(text or ""):
                folded = _folded(word)
                counts[folded] += 1
                written.setdefault(folded, word.lower())
    vocabulary = {folded: written[folded] for folded, _ in counts.most_common(VOCABULARY_MAX_WORDS)}
    django_cache.set(key, vocabulary, cache.TIMEOUT)
    return vocabulary


def search_suggestion(*, query: str) -> str | None:
    """The query with its misspelt words replaced by the closest words of the site, or
    None when no word changes ("vacination" gives "vaccination")."""
    words = WORDS.findall(query)[:SUGGESTION_MAX_WORDS]
    if not words:
        return None
    vocabulary = search_vocabulary()
    suggested = []
    for word in words:
        folded = _folded(word)
        if folded in vocabulary or len(folded) < 4:
            suggested.append(word)
            continue
        near = [w for w in vocabulary if abs(len(w) - len(folded)) <= 2]
        match = difflib.get_close_matches(folded, near, n=1, cutoff=0.8)
        suggested.append(vocabulary[match[0]] if match else word)
    if [w.lower() for w in suggested] == [w.lower() for w in words]:
        return None
    return " ".join(suggested)
