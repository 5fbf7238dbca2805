"""The SQL of migration 0013 (PostgreSQL): a narrow copy of the product table for counting search matches (issue
20); importable by tests and later migrations.

A search counts its matches up to 1,001 ("1.000+"). The GIN index finds them in no order and with no row: each
match's row is read for its visibility and the public filter — about a thousand random pages of the product table,
whose rows are wide (description, story, two vectors: 1.6 KB) and which does not stay in memory (335 MB at 200,000
products against PostgreSQL's default 128 MB of shared buffers; the bench machine's OS page cache is reclaimed
within a minute). After another database's run the count took 5.3 ms (p50) and 10 ms (p95); from this table, rows
of ~200 bytes with every column a search filter reads (39 MB) and GIN indexes on expressions of its text, 1.9 / 3.8.

`catalog_searchrow` holds one row per product, kept by statement-level triggers (transition tables: one statement
per import's INSERT or COPY, not one per row; no foreign key, so that the product table can still be truncated
alone), removed with the product.
The expressions are those of the product table's vectors (migration 0012), so counts are the same. SQLite counts
from its FTS5 tables, which hold no rows.
"""

COLUMNS = (
    "status", "stars", "certificate_status", "certified_on", "province_id", "commune_id", "legacy_province_id",
    "group_id", "category_id", "producer_kind", "has_ecommerce", "in_retail", "exported", "name_folded",
    "search_document",
)  # fmt: skip
_LIST = ", ".join(COLUMNS)

FORWARD = [
    # SET search_path: pg_restore runs with an empty one, and this body calls a function of the schema.
    """CREATE FUNCTION ocop_search_vector(doc text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT
    AS $$ SELECT ocop_with_prefixes(strip(to_tsvector('simple', doc))) $$""",
    """CREATE TABLE catalog_searchrow (
        id bigint PRIMARY KEY,
        status varchar(15) NOT NULL, stars smallint, certificate_status varchar(10) NOT NULL, certified_on date,
        province_id bigint, commune_id bigint, legacy_province_id bigint, group_id bigint, category_id bigint,
        producer_kind varchar(20) NOT NULL, has_ecommerce boolean NOT NULL, in_retail boolean NOT NULL,
        exported boolean NOT NULL, name_folded varchar(255) NOT NULL, search_document text NOT NULL
    )""",
    f"INSERT INTO catalog_searchrow (id, {_LIST}) SELECT id, {_LIST} FROM catalog_product",
    """CREATE INDEX catalog_searchrow_all_idx ON catalog_searchrow
        USING GIN (ocop_search_vector(name_folded || ' ' || search_document))""",
    "CREATE INDEX catalog_searchrow_name_idx ON catalog_searchrow USING GIN (ocop_search_vector(name_folded))",
    f"""CREATE FUNCTION catalog_searchrow_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_searchrow (id, {_LIST}) SELECT id, {_LIST} FROM ocop_new_rows;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION catalog_searchrow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE catalog_searchrow s SET ({_LIST}) = ({", ".join(f"n.{c}" for c in COLUMNS)})
        FROM ocop_new_rows n WHERE s.id = n.id
        AND ({", ".join(f"s.{c}" for c in COLUMNS)}) IS DISTINCT FROM ({", ".join(f"n.{c}" for c in COLUMNS)});
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION catalog_searchrow_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE catalog_searchrow;
        ELSE
            DELETE FROM catalog_searchrow s USING ocop_old_rows o WHERE s.id = o.id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_searchrow_delete AFTER DELETE ON catalog_product
        REFERENCING OLD TABLE AS ocop_old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchrow_removed()""",
    """CREATE TRIGGER catalog_searchrow_truncate AFTER TRUNCATE ON catalog_product
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchrow_removed()""",
    """CREATE TRIGGER catalog_searchrow_insert AFTER INSERT ON catalog_product
        REFERENCING NEW TABLE AS ocop_new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchrow_added()""",
    """CREATE TRIGGER catalog_searchrow_update AFTER UPDATE ON catalog_product
        REFERENCING NEW TABLE AS ocop_new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchrow_changed()""",
    "ANALYZE catalog_searchrow",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchrow_truncate ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_searchrow_delete ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_searchrow_removed()",
    "DROP TRIGGER IF EXISTS catalog_searchrow_update ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_searchrow_insert ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_searchrow_changed()",
    "DROP FUNCTION IF EXISTS catalog_searchrow_added()",
    "DROP TABLE IF EXISTS catalog_searchrow",
    "DROP FUNCTION IF EXISTS ocop_search_vector(text)",
]
