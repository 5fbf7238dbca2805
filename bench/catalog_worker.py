"""Measures the search selector in-process on one database (run by bench/catalog.py per database)."""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def queries() -> list[str]:
    """200 realistic queries: product stems with and without accents, place names, prefixes, typos."""
    from ocop.core.demo_words import PRODUCER_WORDS, PRODUCT_STEMS
    from ocop.core.text import vn_fold

    stems = [stem for stems, *_ in PRODUCT_STEMS.values() for stem in stems]
    out: list[str] = []
    for index, stem in enumerate(stems[:70]):
        out.append(stem.lower() if index % 2 else vn_fold(stem))  # accented / unaccented
    for word in PRODUCER_WORDS[:30]:
        out.append(vn_fold(word) if len(out) % 2 else word)
    for stem in stems[70:110]:
        words = vn_fold(stem).split()
        out.append(" ".join([*words[:-1], words[-1][:2]]))  # typing: last word as a prefix
    for stem in stems[:30]:
        folded = vn_fold(stem)
        out.append(folded + folded[-1])  # a doubled last letter: the typo fallback
    for stem, place in zip(stems[110:140], PRODUCER_WORDS, strict=False):
        out.append(f"{vn_fold(stem).split()[0]} {vn_fold(place)}")
    return out[:200]


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from bench.registry import summary_ms, timed
    from bench.relevance import ndcg_at_10
    from ocop.catalog.models import Product
    from ocop.catalog.selectors import product_facets, product_search

    qs = queries()

    def search_page(q: str) -> None:
        result = product_search(filters={"q": q})  # counts the matches (capped) and orders them
        result.page(0, 24)  # the first page, loaded

    for q in qs[:20]:  # warm the connection, the page cache and the vocabulary
        search_page(q)
    selector: list[float] = []
    accented: list[float] = []
    plain: list[float] = []
    for q in qs:
        start = time.perf_counter()
        search_page(q)
        elapsed = time.perf_counter() - start
        selector.append(elapsed)
        (plain if q.isascii() else accented).append(elapsed)
    facets: list[float] = []
    for q in qs[:50]:
        start = time.perf_counter()
        product_facets(filters={"q": q}, query=product_search(filters={"q": q}).query)
        facets.append(time.perf_counter() - start)
    baseline = timed(lambda: Product.objects.count(), 20)
    relevance = ndcg_at_10(lambda q: product_search(filters={"q": q}).ids(10))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "products": Product.objects.count(),
                "queries": len(qs),
                "search_selector": summary_ms(selector),
                "search_selector_accented": summary_ms(accented),
                "search_selector_unaccented": summary_ms(plain),
                "facets_uncached": summary_ms(facets),
                "baseline_count_star": summary_ms(baseline),
                "relevance": relevance,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
