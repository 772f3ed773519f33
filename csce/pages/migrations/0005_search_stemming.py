"""SQLite's full-text table stems words and ignores accents (docs/search.md).

Wagtail creates ``wagtailsearch_indexentry_fts`` with FTS5's default tokenizer, which
matches words exactly: "vaccins" would not find "vaccination". The table is made again
with FTS5's own porter stemmer over unicode61 without diacritics, and refilled from the
index entries; Wagtail's triggers, on the entries' table, keep filling it. PostgreSQL
stems through csce.pages.search_backend instead, so the migration does nothing there.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry_fts"
COLUMNS = "autocomplete, body, title"


def _fts_table_exists(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [TABLE])
        return cursor.fetchone() is not None


def _recreate(schema_editor, tokenize: str | None) -> None:
    if schema_editor.connection.vendor != "sqlite" or not _fts_table_exists(schema_editor):
        return
    options = f", tokenize = '{tokenize}'" if tokenize else ""
    schema_editor.execute(f"DROP TABLE {TABLE}")
    schema_editor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLUMNS}{options})")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (rowid, title, body, autocomplete) "  # noqa: S608
        "SELECT id, title, body, autocomplete FROM wagtailsearch_indexentry"
    )


def stemming_on(apps, schema_editor):
    _recreate(schema_editor, "porter unicode61 remove_diacritics 2")


def stemming_off(apps, schema_editor):
    _recreate(schema_editor, None)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_site_alerts"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stemming_on, stemming_off, elidable=False)]
