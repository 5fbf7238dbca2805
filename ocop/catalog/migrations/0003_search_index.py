"""Full-text search index on products: SQLite FTS5 or a PostgreSQL tsvector column, by database."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalog_product_fts USING fts5(
        name_folded, search_document,
        content='catalog_product', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER catalog_product_fts_ai AFTER INSERT ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(rowid, name_folded, search_document)
        VALUES (new.id, new.name_folded, new.search_document);
    END""",
    """CREATE TRIGGER catalog_product_fts_ad AFTER DELETE ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, name_folded, search_document)
        VALUES ('delete', old.id, old.name_folded, old.search_document);
    END""",
    """CREATE TRIGGER catalog_product_fts_au AFTER UPDATE OF name_folded, search_document ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, name_folded, search_document)
        VALUES ('delete', old.id, old.name_folded, old.search_document);
        INSERT INTO catalog_product_fts(rowid, name_folded, search_document)
        VALUES (new.id, new.name_folded, new.search_document);
    END""",
    "INSERT INTO catalog_product_fts(catalog_product_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE catalog_product_vocab USING fts5vocab(catalog_product_fts, 'row')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalog_product_vocab",
    "DROP TRIGGER IF EXISTS catalog_product_fts_au",
    "DROP TRIGGER IF EXISTS catalog_product_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_product_fts_ai",
    "DROP TABLE IF EXISTS catalog_product_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name_folded), 'A') || setweight(to_tsvector('simple', search_document), 'B')
    ) STORED""",
    "CREATE INDEX catalog_product_search_idx ON catalog_product USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_search_idx",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_product_commune_product_exported_product_group_and_more")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
