"""Relevance judged: nDCG@10 of the search over a labelled set of queries (run by bench/catalog_worker.py).

Each query is labelled with the products a person typing it wants, graded from what the products are (never
from how the search ranks them):
  3 — the name holds the query's words together and the certificate is valid today;
  2 — the name holds them together, but the certificate has expired or was revoked;
  1 — every word is in the name, the producer's name or the place (a weaker, still fair match);
  0 — anything else (e.g. fish sauce for "mật ong" because a group's long name mentions honey).
nDCG@10 compares the first ten results with the best ten the catalog holds.
"""

from __future__ import annotations

import math

from ocop.core.text import vn_fold

# 60 queries: product kinds people search for, half typed with accents and half without, a few with a place.
LABELLED = [
    "mật ong", "mat ong", "nước mắm", "nuoc mam", "gạo", "gao st25", "chè shan tuyết", "che thai nguyen",
    "cà phê", "ca phe robusta", "rượu", "ruou nep", "bánh chưng", "banh da nem", "miến dong", "mien dong",
    "tinh dầu", "tinh dau que", "trà hoa vàng", "tra atiso", "bưởi diễn", "buoi dien", "cam sành", "nhan long",
    "vải thiều", "vai sấy", "gà đồi", "thit lon den", "nem chua", "cha com", "giò lụa", "lap xuong", "tương bần",
    "tuong ot", "muối tôm", "hat tieu", "hạt điều", "mứt gừng", "ô mai", "o mai mo", "mây tre đan", "gom bat trang",
    "nón lá", "chieu coi", "thổ cẩm", "lua to tam", "hoa lan", "cay bonsai", "cá koi", "homestay", "du lịch cộng đồng",
    "nước khoáng", "sua dau nanh", "cao atiso", "dau goi bo ket", "xà phòng thảo dược", "son duong",
    "đông trùng hạ thảo",
    "khoai lang sấy", "mang kho",
]  # fmt: skip


def _grade(query_words: list[str], phrase: str, name: str, document: str, valid: bool) -> int:
    if f" {phrase}" in f" {name}":
        return 3 if valid else 2
    words = set(f"{name} {document}".split())
    if all(any(word == w or w.startswith(word) for w in words) for word in query_words):
        return 1
    return 0


def ndcg_at_10(search_ids) -> dict:
    """nDCG@10 of `search_ids(query) -> [product ids]` over the labelled set, on the current database."""
    from ocop.catalog.models import Product

    # The judge's own view of a product (not the search document, which the search under test defines).
    rows = [
        (pk, name, vn_fold(" ".join(part or "" for part in parts)), status)
        for pk, name, status, *parts in Product.objects.exclude(status=Product.Status.DRAFT)
        .filter(stars__isnull=False)
        .values_list("pk", "name_folded", "certificate_status", "producer__name", "commune__name",
                     "province__name", "legacy_province__name")
        .iterator(chunk_size=5000)
    ]  # fmt: skip
    scores = []
    for query in LABELLED:
        words = vn_fold(query).split()
        phrase = " ".join(words)
        grades = {pk: _grade(words, phrase, name, doc, status == "valid") for pk, name, doc, status in rows}
        ideal = sorted((g for g in grades.values() if g), reverse=True)[:10]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        got = [grades.get(pk, 0) for pk in search_ids(query)[:10]]
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(got))
        scores.append(dcg / idcg if idcg else 1.0)
    return {"queries": len(LABELLED), "ndcg_at_10": round(sum(scores) / len(scores), 4)}
