"""Wagtail's database search backend, made to stem both of the site's languages.

On PostgreSQL every indexed text is turned into French *and* English lexemes, and a
query matches either stemming, so "vaccins", "vaccines" and "vaccination" meet on
"vaccin" whatever the page's language (policy P2: French first, both served alike).
On SQLite the full-text table uses FTS5's own porter tokenizer with accents removed
(pages migration ``0005_search_stemming``); the backend there is Wagtail's unchanged.
See docs/search.md.
"""

from __future__ import annotations

import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.postgres import postgres
from modelsearch.query import PlainText


def unaccented(text: str) -> str:
    """``text`` without its accents ("Santé" gives "Sante")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


# The stemmers of the site's languages, French first (policy P2).
LANGUAGE_CONFIGS = ("french", "english")


class BilingualObjectIndexer(postgres.ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        if for_autocomplete:
            return super().as_vector(texts, for_autocomplete=True)
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        if not texts:
            return postgres.EMPTY_VECTOR
        # The text without accents too, so "sante" finds "santé" (PostgreSQL's stemmers keep
        # accents, and its unaccent extension needs a superuser to install).
        variants = [(text, weight) for text, weight in texts]
        variants += [
            (unaccented(text), weight) for text, weight in texts if unaccented(text) != text
        ]
        return postgres.ADD(
            [
                SearchVector(Value(text, output_field=TextField()), weight=weight, config=config)
                for text, weight in variants
                for config in LANGUAGE_CONFIGS
            ]
        )


class BilingualPostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        """The parent's method with the bilingual indexer (it names its indexer class
        inline): one upsert of every object's vectors and plain texts."""
        if not model.get_search_fields():
            return
        indexers = [BilingualObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        entry = postgres.IndexEntry
        content_type_pk = postgres.get_content_type_pk(model)
        compiler = postgres.InsertQuery(entry).get_compiler(connection=self.write_connection)
        rows = []
        params: list = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            columns = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(entry._meta.get_field(name), getattr(indexer, name))
                sql, value_params = value.as_sql(compiler, self.write_connection)
                columns.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {columns[0]}, {columns[1]}, {columns[2]}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {entry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0,
                    autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,
                    title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
                """,
                params,
            )
        self._refresh_title_norms()


class BilingualQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText) or config is not None:
            return super().build_tsquery_content(query, config=config, invert=invert)
        combined = None
        for language_config in LANGUAGE_CONFIGS:
            built = super().build_tsquery_content(query, config=language_config, invert=invert)
            if built is None:
                return None
            combined = built if combined is None else combined | built
        return combined


class BilingualPostgresSearchBackend(postgres.PostgresSearchBackend):
    index_class = BilingualPostgresIndex
    query_compiler_class = BilingualQueryCompiler


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return BilingualPostgresSearchBackend(params)
    return database_backend(params)
