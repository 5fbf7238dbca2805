"""The SQL of migration 0009 (the search index ordered by rank), importable by later migrations that must make it
again (on SQLite a table rebuild drops triggers: re-run SQLITE_BACKWARD then SQLITE_FORWARD after one).

The rank of a product is one integer, larger first: a valid certificate, then stars, then the certificate's day
(days since 2000-01-01). SQLite keeps it in the full-text index's rowid (rank × 2³² + product id), so a query
driven from FTS5 with `ORDER BY rowid DESC LIMIT n` walks matches best first and stops after n; PostgreSQL keeps
it in a generated column with a B-tree index the planner walks the same way, and a name-only tsvector for the
name tiers. `ocop.catalog.search` reads both.
"""

ID_BITS = 4294967296  # 2**32: the product id lives in the low 32 bits of an FTS rowid


def _sqlite_rank(row: str) -> str:
    return (
        f"((CASE WHEN {row}.certificate_status = 'valid' THEN 8 ELSE 0 END + COALESCE({row}.stars, 0)) * 65536"
        f" + COALESCE(CAST(julianday({row}.certified_on) - 2451544.5 AS INTEGER), 0))"
    )


def _sqlite_rowid(row: str) -> str:
    return f"({_sqlite_rank(row)} * {ID_BITS} + {row}.id)"


def _sqlite_index(table: str, columns: list[str], update_of: str) -> list[str]:
    """A contentless FTS5 table over `columns` of catalog_product, rowids rank-ordered, kept by triggers."""
    cols = ", ".join(columns)
    new_values = ", ".join(f"new.{c}" for c in columns)
    old_values = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE {table} USING fts5({cols}, content='',
            tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON catalog_product BEGIN
            INSERT INTO {table}(rowid, {cols}) VALUES ({_sqlite_rowid("new")}, {new_values});
        END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON catalog_product BEGIN
            INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', {_sqlite_rowid("old")}, {old_values});
        END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE OF {update_of} ON catalog_product BEGIN
            INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', {_sqlite_rowid("old")}, {old_values});
            INSERT INTO {table}(rowid, {cols}) VALUES ({_sqlite_rowid("new")}, {new_values});
        END""",
        f"""INSERT INTO {table}(rowid, {cols})
            SELECT {_sqlite_rowid("p")}, {", ".join(f"p.{c}" for c in columns)} FROM catalog_product p""",
    ]


_RANKED = "certificate_status, stars, certified_on"
# The whole document (name, producer, place) for "all the words anywhere", and the name alone for the name tiers:
# frequent producer and place words do not weigh on a name search.
SQLITE_FORWARD = [
    *_sqlite_index("catalog_product_fts", ["name_folded", "search_document"],
                   f"name_folded, search_document, {_RANKED}"),
    *_sqlite_index("catalog_product_name_fts", ["name_folded"], f"name_folded, {_RANKED}"),
    "CREATE VIRTUAL TABLE catalog_product_vocab USING fts5vocab(catalog_product_fts, 'row')",
]  # fmt: skip
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalog_product_vocab",
    *(
        f"DROP TRIGGER IF EXISTS {table}_{event}"
        for table in ("catalog_product_fts", "catalog_product_name_fts")
        for event in ("au", "ad", "ai")
    ),
    "DROP TABLE IF EXISTS catalog_product_name_fts",
    "DROP TABLE IF EXISTS catalog_product_fts",
]
SQLITE_TRIGGERS = tuple(
    f"{table}_{event}" for table in ("catalog_product_fts", "catalog_product_name_fts") for event in ("ai", "ad", "au")
)

POSTGRES_FORWARD = [
    """ALTER TABLE catalog_product ADD COLUMN search_rank bigint GENERATED ALWAYS AS (
        (CASE WHEN certificate_status = 'valid' THEN 8 ELSE 0 END + COALESCE(stars, 0)) * 65536
        + COALESCE(certified_on - DATE '2000-01-01', 0)
    ) STORED""",
    "CREATE INDEX catalog_product_search_rank_idx ON catalog_product (search_rank DESC, id DESC)",
    """ALTER TABLE catalog_product ADD COLUMN name_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', name_folded)
    ) STORED""",
    "CREATE INDEX catalog_product_name_vector_idx ON catalog_product USING GIN (name_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_name_vector_idx",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS name_vector",
    "DROP INDEX IF EXISTS catalog_product_search_rank_idx",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_rank",
]
