"""Matching buyer demands to certified products, with the reasons shown to both sides.

A product qualifies when its certificate is valid and its stars reach the demand's minimum. Qualifying
products that share a word with the demand or sit in its product group are scored:

- text: the demand's two-syllable phrases found in the product name weigh most (Vietnamese words are
  syllables: "mật ong" means honey, "mật" alone does not), then its words in the name, then in the
  product's search text (producer, group, place) — all on folded text, so accents do not matter;
- product group: the same criteria set, subgroup or group;
- stars above the minimum; the delivery province; annual capacity against the demand's yearly volume;
  certifications asked for (VietGAP, organic…) mentioned in the product's description.

The weights are measured on a labelled set of demands and products (`tests/matching_set.py`) whose
precision of the first five is checked by the suite.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _

from ocop.catalog.models import Product
from ocop.core.text import vn_fold
from ocop.market.models import BuyerDemand

CANDIDATES = 400
STOPWORDS = set(
    vn_fold(
        "cần mua tìm nhà cung cấp sản phẩm loại hàng các của cho và với có là một để theo tháng năm quý kg tấn "
        "tạ lít chai hộp gói thùng cái đơn vị giao tại tỉnh thành phố số lượng chất lượng yêu cầu tối thiểu "
        "sao ocop trở lên ổn định lâu dài hợp đồng bao bì đạt tiêu chuẩn khoảng trên dưới mỗi"
    ).split()
)
YEARLY_FACTOR = {"once": 1, "monthly": 12, "quarterly": 4, "yearly": 1}
W_PHRASE, W_NAME_WORD, W_DOC_WORD = 3.0, 1.0, 0.4
W_SET, W_SUBGROUP, W_GROUP = 2.0, 1.5, 0.5


@dataclass
class Match:
    """A product, its score and why it was chosen."""

    product: Product
    score: float
    reasons: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w for w in vn_fold(text).replace(",", " ").replace(".", " ").split() if len(w) > 1 and w not in STOPWORDS]


def _phrases(text: str) -> list[str]:
    """Consecutive syllable pairs of the meaningful words ("mat ong", "ong rung")."""
    words = _words(text)
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def demand_terms(demand: BuyerDemand) -> tuple[list[str], list[str]]:
    """(phrases, words) of a demand's title and details, folded and without filler words."""
    text = f"{demand.title} {demand.description}"
    words = list(dict.fromkeys(_words(text)))
    phrases = list(dict.fromkeys(_phrases(demand.title) + _phrases(demand.description)))
    return phrases, words


def demand_matches(*, demand: BuyerDemand, limit: int = 5) -> list[Match]:
    """The best products for a demand, best first (ties: more stars, then the lower id)."""
    phrases, words = demand_terms(demand)
    conditions = [Q(name_folded__contains=w) | Q(search_document__contains=w) for w in words]
    category = demand.category
    if category is not None:
        conditions.append(Q(category=category) | Q(category__parent=category) | Q(group=category))
    if not conditions:
        return []
    candidates = (
        Product.objects.filter(certificate_status="valid", stars__gte=demand.min_stars)
        .exclude(status=Product.Status.DRAFT)
        .filter(reduce(or_, conditions))
        .select_related("producer", "province", "category__parent", "group")
        .order_by("-stars", "id")[:CANDIDATES]
    )
    yearly = demand.quantity * YEARLY_FACTOR.get(demand.frequency, 1)
    wanted_certifications = _words(demand.certifications)
    matches = [_score(p, demand, phrases, words, yearly, wanted_certifications) for p in candidates]
    matches = [m for m in matches if m.score > 0]
    matches.sort(key=lambda m: (-m.score, -(m.product.stars or 0), m.product.pk))
    return matches[:limit]


def _score(
    product: Product, demand: BuyerDemand, phrases: list[str], words: list[str], yearly: Decimal, wanted: list[str]
) -> Match:
    name = f" {product.name_folded} "
    document = f" {product.search_document} "
    reasons: list[str] = []
    text = 0.0
    found_phrases = [p for p in phrases if f" {p} " in name]
    text += W_PHRASE * len(found_phrases)
    in_name = [w for w in words if f" {w} " in name]
    in_doc = [w for w in words if w not in in_name and f" {w} " in document]
    text += W_NAME_WORD * len(in_name) + W_DOC_WORD * len(in_doc)
    if found_phrases or in_name:
        reasons.append(_("Name matches: %(words)s") % {"words": ", ".join(found_phrases or in_name)})
    score = text
    category = demand.category
    if category is not None and product.category is not None:
        if product.category_id == category.pk:
            score += W_SET
            reasons.append(_("Same product group: %(name)s") % {"name": category.name})
        elif product.category.parent_id == category.pk or (
            category.parent_id and product.category.parent_id == category.parent_id
        ):
            score += W_SUBGROUP
            parent = product.category.parent
            reasons.append(_("Same subgroup: %(name)s") % {"name": parent.name if parent else category.name})
        elif product.group_id in (category.pk, category.group_id):
            score += W_GROUP
    # A product must match by name or by product group: a word found only in the producer's name or the
    # place (one syllable such as "dong" is in many) is a tie-breaker, never a reason on its own.
    if not (found_phrases or in_name) and score == text:
        return Match(product, 0.0)
    extra_stars = (product.stars or 0) - demand.min_stars
    score += 0.3 * extra_stars
    reasons.append(_("%(stars)s★ (at least %(min)s★ asked)") % {"stars": product.stars, "min": demand.min_stars})
    if demand.delivery_province_id and product.province_id == demand.delivery_province_id:
        score += 1.0
        reasons.append(_("Made in the delivery province"))
    if product.annual_capacity and vn_fold(product.capacity_unit or "") == vn_fold(demand.unit or ""):
        if product.annual_capacity >= yearly:
            score += 0.5
            reasons.append(
                _("Capacity %(capacity)s %(unit)s a year covers the %(needed)s asked")
                % {"capacity": product.annual_capacity, "unit": product.capacity_unit, "needed": int(yearly)}
            )
        else:
            score -= 1.0
            reasons.append(_("Capacity may be short: %(capacity)s %(unit)s a year") % {
                "capacity": product.annual_capacity, "unit": product.capacity_unit})  # fmt: skip
    description = vn_fold(product.description)
    certified = [w for w in wanted if w in description]
    if certified:
        score += 0.5 * len(certified)
        reasons.append(_("Mentions %(what)s") % {"what": ", ".join(certified)})
    return Match(product, round(score, 3), reasons)
