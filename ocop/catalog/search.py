"""Product search: one selector over SQLite FTS5 or PostgreSQL full text, with the same results on both.

Text is matched on folded words (đ→d, no marks), every word as a prefix, so "banh chung", "bánh chưng"
and "BANH CHUNG" find "Bánh chưng Tranh Khúc" and "mien do" finds "Miến dong". Ranking: exact-accent
name matches (when the query has accents), then name matches, then stars, then recency. When few
products match, unknown words are corrected against the index's vocabulary ("mat ongg" → "mat ong").
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.db.models.expressions import RawSQL
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ocop.catalog.models import Product
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


def _name_has_every_accented_word(tone_words: tuple[str, ...]) -> Q:
    condition = Q()
    for word in tone_words:
        condition &= Q(name_tone__startswith=word) | Q(name_tone__contains=f" {word}")
    return condition


def _match(products: QuerySet[Product], query: ParsedQuery, scope: str, *, negate: bool = False):
    """Products whose index holds the query: anywhere ("all"), in the name ("name"), or as a phrase in the
    name ("phrase"). Every word is whole except the last, which may still be being typed (a prefix)."""
    words = query.words
    if connection.vendor == "postgresql":
        weight = "A" if scope != "all" else ""
        terms = [f"{w}:{weight}" if weight else w for w in words[:-1]] + [f"{words[-1]}:*{weight}"]
        tsquery = (" <-> " if scope == "phrase" else " & ").join(terms)
        condition = "catalog_product.search_vector @@ to_tsquery('simple', %s)"
        # On the same table, so the planner can use the GIN index directly (no self-join).
        return products.extra(  # noqa: S610 - the query is a bound parameter
            where=[f"NOT ({condition})" if negate else condition], params=[tsquery]
        )
    if scope == "phrase":
        match = 'name_folded : "' + " ".join(words) + '"*'
    else:
        match = " AND ".join([f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'])
        match = f"name_folded : ({match})" if scope == "name" else match
    ids = RawSQL("SELECT rowid FROM catalog_product_fts WHERE catalog_product_fts MATCH %s", [match])
    return products.exclude(pk__in=ids) if negate else products.filter(pk__in=ids)


def text_filter(products: QuerySet[Product], query: ParsedQuery) -> QuerySet[Product]:
    """Keep the products whose indexed text holds every word of the query (the last as a prefix)."""
    return products if query.is_empty else _match(products, query, "all")


def _by_stars(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.order_by("-stars", "-certified_on", "-id")


def relevance_tiers(products: QuerySet[Product], query: ParsedQuery) -> list[QuerySet[Product]]:
    """Matches in the order people expect, as consecutive tiers each sorted by stars then recency:
    the words together in the name, then all the words in the name, then the rest (producer, place…).
    When the query carries accents, exact-accent names come first within the name tiers."""
    phrase = _match(products, query, "phrase")
    in_name = _match(_match(products, query, "name"), query, "phrase", negate=True)
    elsewhere = _match(_match(products, query, "all"), query, "name", negate=True)
    tiers = [phrase, in_name]
    if query.tone_words:
        accent = Case(
            When(_name_has_every_accented_word(query.tone_words), then=0), default=1, output_field=IntegerField()
        )
        tiers = [
            tier.alias(accent_rank=accent).order_by("accent_rank", "-stars", "-certified_on", "-id") for tier in tiers
        ]
    else:
        tiers = [_by_stars(tier) for tier in tiers]
    return [*tiers, _by_stars(elsewhere)]


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
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM catalog_product')")
            else:
                cursor.execute("SELECT term, doc FROM catalog_product_vocab")
            vocabulary = dict(cursor.fetchall())
        cache.set(key, vocabulary, 60 * 30)
    _memo.clear()
    _memo[key] = (time.monotonic() + VOCABULARY_TTL, vocabulary)
    return vocabulary


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
