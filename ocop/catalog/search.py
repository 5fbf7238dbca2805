"""Product search: one selector over SQLite FTS5 or PostgreSQL full text, with the same results on both.

Text is matched on folded words (đ→d, no marks), every word as a prefix, so "banh chung", "bánh chưng"
and "BANH CHUNG" find "Bánh chưng Tranh Khúc" and "mien do" finds "Miến dong". Ranking: exact-accent
name matches (when the query has accents), then name matches, then stars, then recency. When few
products match, unknown words are corrected against the index's vocabulary ("mat ongg" → "mat ong").
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ocop.catalog.models import CertificateStatus, Product, SearchWord
from ocop.catalog.versioning import catalog_version
from ocop.core.text import nfc, vn_fold, vn_tone_key

MAX_WORDS = 8
FEW_RESULTS = 3
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ParsedQuery:
    """A search query split into folded words, and tone-keyed words when it carries accents."""

    text: str
    words: tuple[str, ...]
    tone_words: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.words


def parse_query(text: str) -> ParsedQuery:
    """Normalise a raw query; at most MAX_WORDS words count (longer queries are cut, not refused)."""
    text = nfc(text)[:200]
    words = tuple(_TOKEN.findall(vn_fold(text)))[:MAX_WORDS]
    has_marks = any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)) or "đ" in text.lower()
    tone_words = tuple(w for w in re.findall(r"\w+", vn_tone_key(text)) if not w.isascii())[:MAX_WORDS]
    return ParsedQuery(text=text, words=words, tone_words=tone_words if has_marks else ())


ID_BITS = 1 << 32  # SQLite's index keeps the product id in the low 32 bits of a rowid (rank above it)
ID_MASK = ID_BITS - 1
_RANK_EPOCH = dt.date(2000, 1, 1)


def index_rank(product: Product) -> int:
    """The rank the index keeps for a product (migration 0009's SQL, in Python): a valid certificate, then
    stars, then the certificate's day. Rows inserted in this order reach SQLite's FTS5 index with ascending
    rowids, which it appends; out of order, it writes a segment per row (2× the insert time of an import)."""
    valid = 8 if product.certificate_status == CertificateStatus.VALID else 0
    days = (product.certified_on - _RANK_EPOCH).days if product.certified_on else 0
    return (valid + (product.stars or 0)) * 65536 + days


def _fts_terms(words: tuple[str, ...]) -> str:
    return " AND ".join([f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'])


PREFIX_TOKEN_MAX = 5  # PostgreSQL's vectors hold each word's first 1–5 letters as '~' tokens (migration 0012)


def _ts_terms(words: tuple[str, ...], joiner: str) -> str:
    """A tsquery literal (words are [a-z0-9]+: nothing to escape): whole words, and the last one as a prefix — a
    short one as its prefix token (one posting list), a longer one as `:*` (the few words it begins)."""
    last = words[-1]
    prefix = f"'~{last}'" if len(last) <= PREFIX_TOKEN_MAX else f"'{last}':*"
    return joiner.join([*(f"'{word}'" for word in words[:-1]), prefix])


def _condition(query: ParsedQuery, scope: str) -> tuple[str, str, list[str]]:
    """The index (SQLite's FTS5 table; "" on PostgreSQL) and SQL condition for one scope of the search.

    Scopes: "all" (name, producer, place), "names" (all the words in the name), "phrase" (the words together in the
    name), "name" (all the words in the name but not together), "elsewhere" (all the words, not all in the name).
    Every word is whole except the last, which may still be being typed (a prefix). Words are [a-z0-9]+
    (parse_query), so no syntax can leak in. The name scopes read a name-only index (a tsvector, an FTS5 table), so
    frequent producer and place words cost them nothing.
    """
    words = query.words
    if connection.vendor == "postgresql":
        every, phrase = _ts_terms(words, " & "), _ts_terms(words, " <-> ")
        sql, param = {
            "all": ("catalog_product.search_vector @@ %s::tsquery", every),
            "names": ("catalog_product.name_vector @@ %s::tsquery", every),
            "phrase": ("catalog_product.name_vector @@ %s::tsquery", phrase),
            "name": ("catalog_product.name_vector @@ %s::tsquery", f"{every} & !({phrase})"),
            "elsewhere": (
                "catalog_product.search_vector @@ %s::tsquery"
                " AND NOT catalog_product.name_vector @@ %s::tsquery", every,
            ),
        }[scope]  # fmt: skip
        return "", sql, [param] * sql.count("%s")
    every = _fts_terms(words)
    phrase = '"' + " ".join(words) + '"*'
    table, match = {
        "all": ("catalog_product_fts", every),
        "names": ("catalog_product_name_fts", every),
        "phrase": ("catalog_product_name_fts", phrase),
        "name": ("catalog_product_name_fts", f"({every}) NOT ({phrase})"),
        "elsewhere": ("catalog_product_fts", f"({every}) NOT (name_folded : ({every}))"),
    }[scope]
    return table, f"{table} MATCH %s", [match]


def _accent_condition(tone_words: tuple[str, ...]) -> tuple[str, list[str]]:
    """The name holds every accented word as typed (tone marks in their canonical place)."""
    sql, params = [], []
    for word in tone_words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql.append("(catalog_product.name_tone LIKE %s ESCAPE '\\' OR catalog_product.name_tone LIKE %s ESCAPE '\\')")
        params += [f"{escaped}%", f"% {escaped}%"]
    return " AND ".join(sql), params


def _where(products: QuerySet[Product]) -> tuple[str, list[Any]]:
    """The WHERE clause of a queryset over the product table alone (filters never join)."""
    query = products.query
    if sum(1 for count in query.alias_refcount.values() if count) > 1:  # a filter by an object leaves a 0-count alias
        raise ValueError("search filters must not join other tables")
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    table = connection.ops.quote_name(Product._meta.db_table)
    return (sql.replace(f"{table}.", "catalog_product.") or "1 = 1"), list(params)


# PostgreSQL's vectors carry the product's rank band — a valid certificate (8) plus stars — as a '#b' token
# (migration 0012): the rank's high part, so bands read best first give matches in rank order. Rare bands go
# together (a valid certificate below 3 stars; expired or revoked below 3 stars).
RANK_BANDS = ("'#b13'", "'#b12'", " | ".join(f"'#b{band}'" for band in (11, 10, 9, 8, 5, 4, 3, 2, 1, 0)))


@dataclass(frozen=True)
class Tier:
    """One relevance tier: products matching a scope of the index (and, for accented queries, the accents or
    not), read best first by rank so that a page reads only as many rows as it shows."""

    condition: str
    params: list[Any]
    index: str = ""  # SQLite's FTS5 table the tier is driven from
    vector: str = ""  # PostgreSQL: the column whose GIN index the tier is found by (it holds the rank bands)
    dense: bool = True  # PostgreSQL, frequent words: read the matches band by band
    counted: str = ""  # PostgreSQL: the condition over the narrow table matches are counted in (migration 0013)

    def _select(self, columns: str, tail: str) -> str:
        if not self.index:
            return f"SELECT {columns} FROM catalog_product WHERE {self.condition} {tail}"  # noqa: S608 (bound values)
        # Driven from FTS5: its rowids are rank-ordered, so ORDER BY rowid DESC LIMIT n stops after n matches.
        return (
            f"SELECT {columns} FROM {self.index} CROSS JOIN catalog_product"  # noqa: S608 (bound values)
            f" ON catalog_product.id = ({self.index}.rowid & {ID_MASK}) WHERE {self.condition} {tail}"
        )

    def ids(self, limit: int | None) -> list[int]:
        if self.index:
            order = f"ORDER BY {self.index}.rowid DESC"
        elif limit is not None and self.dense:
            return self._banded(limit)
        else:
            order = "ORDER BY catalog_product.search_rank + 0 DESC, catalog_product.id + 0 DESC"
        tail = order + (" LIMIT %s" if limit is not None else "")
        with connection.cursor() as cursor:
            cursor.execute(self._select("catalog_product.id", tail), [*self.params, *([limit] if limit else [])])
            return [row[0] for row in cursor.fetchall()]

    def _banded(self, limit: int) -> list[int]:
        """PostgreSQL: the first `limit` matches, band after band. The GIN index finds matches in no order, so the
        best n cost a visit to every match's row for its rank ("tuong ba": 2,891 rows, 7–28 ms); one band's
        matches are a few percent of them (70 rows for the 5-star band, 1 ms), and the next band is read only if
        the page is not full yet (UNION ALL: its branches run in order, each when the one before is spent)."""
        branch = (
            f"(SELECT catalog_product.id FROM catalog_product WHERE {self.condition} "  # noqa: S608 (bound values)
            f"AND catalog_product.{self.vector} @@ %s::tsquery "
            "ORDER BY catalog_product.search_rank + 0 DESC, catalog_product.id + 0 DESC LIMIT %s)"
        )
        sql = f"SELECT id FROM ({' UNION ALL '.join([branch] * len(RANK_BANDS))}) AS banded LIMIT %s"  # noqa: S608
        params = [value for band in RANK_BANDS for value in (*self.params, band, limit)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def count(self, cap: int) -> int:
        sql = (
            f"SELECT 1 FROM catalog_searchrow AS catalog_product WHERE {self.counted} LIMIT %s"  # noqa: S608
            if self.counted
            else self._select("1", "LIMIT %s")
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matches", [*self.params, cap + 1])  # noqa: S608
            return cursor.fetchone()[0]


def text_tier(products: QuerySet[Product], query: ParsedQuery, scope: str = "all") -> Tier:
    """The products of `products` (filters over the product table) whose index holds the query in `scope`."""
    where, where_params = _where(products)
    index, match, match_params = _condition(query, scope)
    vector = "" if index else "name_vector" if scope in ("names", "phrase", "name") else "search_vector"
    counted = f"{_COUNTED[scope]} @@ %s::tsquery AND {where}" if not index and scope in _COUNTED else ""
    return Tier(f"{match} AND {where}", [*match_params, *where_params], index, vector, counted=counted)


# PostgreSQL: the narrow table's indexed expressions for the scopes that are counted (migration 0013), the same
# lexemes as the product table's vectors (without the rank bands, which counting needs not).
_COUNTED = {
    "all": "ocop_search_vector(catalog_product.name_folded || ' ' || catalog_product.search_document)",
    "names": "ocop_search_vector(catalog_product.name_folded)",
}


def text_filter(products: QuerySet[Product], query: ParsedQuery) -> QuerySet[Product]:
    """Keep the products whose indexed text holds every word of the query (the last as a prefix), as a queryset
    (for the orders other than relevance, and the facets)."""
    if query.is_empty:
        return products
    index, match, params = _condition(query, "all")
    if not index:
        return products.extra(where=[match], params=params)  # noqa: S610 - the query is a bound parameter
    ids = RawSQL(f"SELECT rowid & {ID_MASK} FROM {index} WHERE {match}", params)  # noqa: S608, S611
    return products.filter(pk__in=ids)


NAMES_DENSE = 200  # PostgreSQL: name matches from which the name tiers are read band by band


def relevance_tiers(products: QuerySet[Product], query: ParsedQuery, *, dense: bool = True) -> list[Tier]:
    """Matches in the order people expect, as consecutive tiers each read by rank (a valid certificate, stars,
    the newest certificate): the words together in the name, then all the words in the name, then the rest
    (producer, place). When the query carries accents, exact-accent names come first within the name tiers.

    `dense`: the query matches more products than a page can count (RESULT_CAP); only then does PostgreSQL read
    tiers band by band (a bitmap scan per band, whose pages are asked for ahead; walking the rank index instead read
    one page after another: 16 ms for a producer's name with the pages not in memory). Each band costs a scan of
    the GIN index, worth it only for the tiers with many matches: the name tiers are read so when the name matches
    are many, at once when there are few, and not at all when there are none (a producer's or a place's name)."""
    tiers = [text_tier(products, query, scope) for scope in ("phrase", "name")]
    if query.tone_words:
        accent, accent_params = _accent_condition(query.tone_words)
        tiers = [
            replace(tier, condition=f"{tier.condition} AND {negate}({accent})", params=[*tier.params, *accent_params])
            for tier in tiers
            for negate in ("", "NOT ")
        ]
    names_dense = dense
    if dense and connection.vendor == "postgresql":
        in_names = text_tier(products, query, "names").count(NAMES_DENSE)
        tiers = tiers if in_names else []
        names_dense = in_names > NAMES_DENSE
    tiers = [replace(tier, dense=names_dense) for tier in tiers]
    return [*tiers, replace(text_tier(products, query, "elsewhere"), dense=dense)]


_memo: dict[str, tuple[float, dict[str, int]]] = {}
VOCABULARY_TTL = 600


def _vocabulary() -> dict[str, int]:
    """Every indexed word with the number of products holding it.

    Kept in the process for ten minutes and in the shared cache until products change: reading it
    costs a scan of the index (ts_stat on PostgreSQL), and it only serves the typo fallback.
    """
    key = f"catalog:vocabulary:{connection.vendor}:{connection.settings_dict['NAME']}:{catalog_version()}"
    memo = _memo.get(key)
    if memo is not None and memo[0] > time.monotonic():
        return memo[1]
    vocabulary = cache.get(key)
    if vocabulary is None:
        if connection.vendor == "postgresql":
            vocabulary = dict(SearchWord.objects.values_list("word", "ndoc")) or vocabulary_refresh()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT term, doc FROM catalog_product_vocab")
                vocabulary = dict(cursor.fetchall())
        cache.set(key, vocabulary, 60 * 30)
    _memo.clear()
    _memo[key] = (time.monotonic() + VOCABULARY_TTL, vocabulary)
    return vocabulary


def vocabulary_refresh() -> dict[str, int]:
    """Rebuild PostgreSQL's vocabulary table from the index (about a second at 200,000 products): after imports and
    nightly, so that no request pays for it. New words reach the typo fallback then; exact search needs none."""
    if connection.vendor != "postgresql":
        return {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_searchword")
        cursor.execute(
            "INSERT INTO catalog_searchword (word, ndoc) SELECT word, ndoc FROM "
            "ts_stat('SELECT search_vector FROM catalog_product') WHERE length(word) <= 100 "
            "AND word NOT LIKE '~%' AND word NOT LIKE '#%'"  # prefix and rank band tokens (migration 0012)
        )
    _memo.clear()
    return dict(SearchWord.objects.values_list("word", "ndoc"))


def index_after_bulk_load() -> None:
    """After an import wrote thousands of rows (in the worker, outside any transaction): on PostgreSQL, clear the
    GIN indexes' pending lists and refresh the planner's statistics (VACUUM ANALYZE), then the vocabulary."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's, say)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) catalog_product, catalog_searchrow")
    vocabulary_refresh()


def correct_query(query: ParsedQuery) -> ParsedQuery | None:
    """The query with unknown words replaced by the closest indexed words, or None if nothing changes.

    Edit distance at most 1 for words of up to 4 letters, 2 for longer ones; ties go to the more
    frequent word. The last word may still be a prefix being typed, so it is kept if any word starts with it.
    """
    vocabulary = _vocabulary()
    corrected = []
    for index, word in enumerate(query.words):
        if word in vocabulary or word.isdigit():
            corrected.append(word)
            continue
        if index == len(query.words) - 1 and any(term.startswith(word) for term in vocabulary):
            corrected.append(word)
            continue
        limit = 1 if len(word) <= 4 else 2
        candidates = process.extract(word, vocabulary.keys(), scorer=Levenshtein.distance, score_cutoff=limit, limit=10)
        if not candidates:
            corrected.append(word)
            continue
        best = min(candidates, key=lambda c: (c[1], -vocabulary[c[0]], c[0]))
        corrected.append(best[0])
    if tuple(corrected) == query.words:
        return None
    return ParsedQuery(text=" ".join(corrected), words=tuple(corrected))
