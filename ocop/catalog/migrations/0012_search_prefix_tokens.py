"""PostgreSQL: prefix and rank band tokens in the search vectors (issue 20).

A word still being typed is matched as a prefix. PostgreSQL's GIN index gathers every entry a prefix stands for into
a bitmap before intersecting it with the other words: "th:*" stands for 61% of the catalog, and "que th" took 14 ms
of index scan at 200,000 products ("hoa binh:*" 11 ms) — the tail of the search selector's p95. Each word now also
carries its first one to five letters as tokens of their own ('~t', '~th', '~tha', '~than', '~thanh' for "thanh"),
and a last word of up to five letters is looked up as one such token: one posting list, which the GIN index
intersects with the others by skipping (3–4 ms). Longer prefixes stand for a few words each and stay `:*`.

The whole-document vector loses its positions and weights (no phrase or weight is asked of it; the prefix tokens
would otherwise make the row 1.6× wider); the name vector keeps positions, its prefix tokens at their word's
position, so "tuong ba" is still the phrase 'tuong' <-> '~ba'.

The GIN index finds matches in no order: the best page of a tier visited every match's row for its rank. The vectors
now also carry the product's rank band ('#b13' for a valid 5-star certificate), and a tier reads its matches band by
band, best first. SQLite is unchanged (its FTS5 tables have prefix indexes, and rowids in rank order).
"""

from django.db import migrations

from ocop.catalog.migrations._vendor import on_postgresql

# The vector with, for each lexeme, its prefixes of 1–5 letters as '~' lexemes at the lexeme's positions. Built as
# one text (concatenating tsvectors would shift the right one's positions); lexemes with a quote or a backslash
# (never a folded word) give no prefix rather than a literal to escape. STRICT: NULL in, NULL out.
FUNCTION = r"""
CREATE FUNCTION ocop_with_prefixes(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT (v::text || COALESCE((
    SELECT string_agg(
        ' ''~' || left(u.lexeme, n) || ''''
        || CASE WHEN cardinality(u.positions) > 0 THEN ':' || array_to_string(u.positions, ',') ELSE '' END, ''
    )
    FROM unnest(v) AS u, generate_series(1, 5) AS n
    WHERE length(u.lexeme) >= n AND u.lexeme !~ '[''\\]'
), ''))::tsvector
$$
"""

OLD_SEARCH = (
    "setweight(to_tsvector('simple', name_folded), 'A') || setweight(to_tsvector('simple', search_document), 'B')"
)
OLD_NAME = "to_tsvector('simple', name_folded)"
# The product's rank band — a valid certificate (8) plus stars, the high part of search_rank — as a '#b' token
# without position: a tier reads its matches band by band, best first (ocop.catalog.search.RANK_BANDS).
BAND = "array_to_tsvector(ARRAY['#b' || ((CASE WHEN certificate_status = 'valid' THEN 8 ELSE 0 END) + COALESCE(stars, 0))])"
SEARCH = f"ocop_with_prefixes(strip(to_tsvector('simple', name_folded || ' ' || search_document))) || {BAND}"
NAME = f"ocop_with_prefixes(to_tsvector('simple', name_folded)) || {BAND}"


def _vectors(search: str, name: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS catalog_product_search_idx",
        "DROP INDEX IF EXISTS catalog_product_name_vector_idx",
        "ALTER TABLE catalog_product DROP COLUMN search_vector, DROP COLUMN name_vector",
        f"ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({search}) STORED, "
        f"ADD COLUMN name_vector tsvector GENERATED ALWAYS AS ({name}) STORED",
        "CREATE INDEX catalog_product_search_idx ON catalog_product USING GIN (search_vector)",
        "CREATE INDEX catalog_product_name_vector_idx ON catalog_product USING GIN (name_vector)",
    ]


FORWARD = [FUNCTION, *_vectors(SEARCH, NAME)]
BACKWARD = [*_vectors(OLD_SEARCH, OLD_NAME), "DROP FUNCTION ocop_with_prefixes(tsvector)"]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_product_related_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
