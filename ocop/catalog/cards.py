"""Product cards read in one statement: what a list card shows, as plain records (issue 20).

A search page shows 24 cards. Loaded through the ORM (`select_related` over producer, province, commune and
group, `only()` the card's columns) they cost 2–5 ms, mostly building a hundred model instances and compiling the
query; the same rows read by one prepared statement into records cost 0.2–1 ms. `product_card` reads the same
attribute paths from either, so the search page and a product page's related products draw their cards from these
records, while exports, the API and tests keep model instances (`SearchResult.products`).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.db import connections, router

from ocop.catalog.models import Product
from ocop.core.db import execute_prepared

# The card's values in order; `card_record` reads them in this order (and a product page's related products,
# built as JSON arrays by the database, list the same columns).
CARD_COLUMNS = (
    "p.id, p.name, p.slug, p.stars, p.certificate_status, p.price_min, p.price_max, p.unit, p.cover, "
    "pr.name, pv.name, pc.name, c.name"
)
CARD_FROM = (
    "FROM catalog_product p "
    "JOIN producers_producer pr ON pr.id = p.producer_id "
    "JOIN geo_province pv ON pv.id = pr.province_id "
    "LEFT JOIN geo_commune pc ON pc.id = pr.commune_id "
    "LEFT JOIN catalog_category c ON c.id = p.category_id"
)
# The ids as one parameter, so the statement has one shape whatever their number (prepared once on PostgreSQL).
_WHERE = {
    "postgresql": "WHERE p.id = ANY(%s) AND p.status <> 'draft'",
    "sqlite": "WHERE p.id IN (SELECT value FROM json_each(%s)) AND p.status <> 'draft'",
}


def card_record(values: list | tuple) -> SimpleNamespace:
    """A card's record from its values (in `CARD_COLUMNS` order), with the attribute paths `product_card` reads."""
    (pk, name, slug, stars, status, price_min, price_max, unit, cover, producer, province, commune,
     category) = values  # fmt: skip
    if isinstance(cover, str):
        cover = json.loads(cover)
    # The ids only say whether there is one.
    maker = SimpleNamespace(name=producer, province_id=1, province=SimpleNamespace(name=province),
                            commune_id=1 if commune else None, commune=SimpleNamespace(name=commune or ""))  # fmt: skip
    return SimpleNamespace(pk=pk, id=pk, name=name, slug=slug, stars=stars, certificate_status=status,
                           price_min=price_min, price_max=price_max, unit=unit, cover=cover or {}, producer=maker,
                           category_id=1 if category else None,
                           category=SimpleNamespace(name=category or ""))  # fmt: skip


def product_cards(ids: list[int]) -> list[SimpleNamespace]:
    """The cards of the public products `ids`, in that order (a draft or a missing id is left out)."""
    if not ids:
        return []
    connection = connections[router.db_for_read(Product)]
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    sql = f"SELECT {CARD_COLUMNS} {CARD_FROM} {_WHERE[vendor]}"  # constants of this module
    param: Any = list(ids) if vendor == "postgresql" else json.dumps(list(ids))
    with connection.cursor() as cursor:
        execute_prepared(cursor, "ocop_product_cards", "(bigint[])", sql, [param])
        rows = cursor.fetchall()
    cards = {row[0]: card_record(row) for row in rows}
    return [cards[pk] for pk in ids if pk in cards]
