"""Demo records built from a seeded random generator: producers, products, certificates and sales channels that
read like the provinces' published lists. `seed_demo` writes them; the tests' factories reuse the same builders,
so the demo and the tests describe the world the same way. Nothing here is saved: callers bulk-insert.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ocop.catalog.models import Category, Product
from ocop.catalog.services import product_fill_derived
from ocop.certification.models import Certificate
from ocop.certification.rules import (
    central_issuer,
    certificate_status_stored,
    certifying_level,
    regime_on,
    verification_code_new,
)
from ocop.core.dates import certificate_expiry
from ocop.core.demo_words import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    PRODUCER_PREFIXES,
    PRODUCER_WORDS,
    PRODUCT_QUALIFIERS,
    PRODUCT_STEMS,
    STORY_LINES,
)
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.market.models import SalesChannel
from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived

KIND_WEIGHTS = [  # shares of producers in 12/2023 (ocop.md §6)
    (Producer.Kind.COOPERATIVE, 38),
    (Producer.Kind.ENTERPRISE, 24),
    (Producer.Kind.HOUSEHOLD, 35),
    (Producer.Kind.COOPERATIVE_GROUP, 3),
]
# More food than anything else, as in the published lists.
LEAF_WEIGHTS = {code: (6 if code.startswith("I.") else 2 if code.startswith(("II.", "III.")) else 1)
                for code in PRODUCT_STEMS}  # fmt: skip
STAR_WEIGHTS = {3: 72, 4: 26, 5: 2}  # shares of certificates by stars, end of 2025
STAR_BANDS = {3: (50, 70), 4: (70, 90), 5: (90, 100)}
PLATFORMS = ["Shopee", "Lazada", "Tiki", "Sendo", "Voso", "Postmart", "TikTok Shop"]
CHAINS = ["Big C", "MM Mega Market", "Co.opmart", "WinMart", "Lotte Mart", "Bách hóa Xanh"]
MARKETS = ["Nhật Bản", "Hàn Quốc", "Singapore", "Cộng hòa Séc", "Hoa Kỳ", "Úc", "Đức"]


def random_kind(rng: random.Random) -> str:
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    return rng.choices(kinds, weights)[0]


def random_leaf_code(rng: random.Random) -> str:
    codes = list(LEAF_WEIGHTS)
    return rng.choices(codes, [LEAF_WEIGHTS[c] for c in codes])[0]


def random_stars(rng: random.Random) -> int:
    return rng.choices(list(STAR_WEIGHTS), list(STAR_WEIGHTS.values()))[0]


def score_for(rng: random.Random, stars: int) -> Decimal:
    """A council score inside the star band (quarter points, as councils average)."""
    low, high = STAR_BANDS[stars]
    return Decimal(rng.randrange(low * 4, high * 4 - (0 if stars == 5 else 1))) / 4 + Decimal("0.00")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def place_word(commune: Commune | None) -> str:
    """ "Xã Suối Giàng" → "Suối Giàng"."""
    return commune.name.split(" ", 1)[-1] if commune else ""


def producer_name(rng: random.Random, kind: str, place: str) -> str:
    prefix = rng.choice(PRODUCER_PREFIXES[kind])
    word = rng.choice(PRODUCER_WORDS)
    return f"{prefix} {word} {place}" if rng.random() < 0.5 else f"{prefix} {word}"


def product_name(rng: random.Random, leaf_code: str, place: str) -> str:
    stem = rng.choice(PRODUCT_STEMS[leaf_code][0])
    return f"{stem}{rng.choice(PRODUCT_QUALIFIERS)} {place}".strip()


def producer_build(
    rng: random.Random, *, commune: Commune, serial: int, legacy_province: LegacyProvince | None = None, **fields
) -> Producer:
    """A producer in `commune`, named like real ones ("Hợp tác xã Suối Giàng …"); `serial` makes its tax code."""
    kind = fields.pop("kind", None) or random_kind(rng)
    tax_code = fields.pop("tax_code", None) or f"{4600000000 + serial:010d}"
    values = {
        "kind": kind,
        "commune": commune,
        "province": commune.province,
        "legacy_province": legacy_province,
        "name": producer_name(rng, kind, place_word(commune)),
        "tax_code": tax_code,
        "representative": person_name(rng),
        "phone": f"09{rng.randrange(10**8):08d}",
        "email": f"lienhe{tax_code[-6:]}@example.vn",
        "address": f"Thôn {rng.randint(1, 12)}",
        "founded_on": dt.date(2001, 1, 1) + dt.timedelta(days=rng.randrange(23 * 365)),
        "members": rng.randint(3, 120),
        **fields,
    }
    producer = Producer(**values)
    producer_fill_derived(producer)
    return producer


def product_build(rng: random.Random, *, producer: Producer, category: Category, leaf_code: str, **fields) -> Product:
    """A product of `producer` in one of the 26 criteria-set groups, with a plausible name, price and story."""
    stems = PRODUCT_STEMS[leaf_code]
    name = fields.pop("name", None) or product_name(rng, leaf_code, place_word(producer.commune))
    where = producer.commune.name if producer.commune is not None else producer.province.name
    low, high = stems[2:]
    price_min = rng.randrange(low, high, 1000)
    values = {
        "producer": producer,
        "category": category,
        "name": name,
        "unit": stems[1],
        "price_min": price_min,
        "price_max": price_min + rng.randrange(0, 50, 5) * 1000,
        "description": f"{name} do {producer.name} sản xuất tại {where}.",
        "story": " ".join(rng.sample(STORY_LINES, 2)),
        "packaging": rng.choice(["Hộp giấy", "Túi zip", "Chai thủy tinh", "Hộp gỗ", ""]),
        "annual_capacity": rng.randrange(500, 200000, 500),
        "capacity_unit": stems[1],
        "status": Product.Status.ACTIVE,
        **fields,
    }
    product = Product(**values)
    product_fill_derived(product)
    return product


def issuer_for(*, stars: int, issued_on: dt.date, province: Province) -> str:
    """ "UBND tỉnh Cao Bằng", or the ministry of the day for 5 stars."""
    if stars == 5:
        return central_issuer(issued_on)
    return f"UBND {province.full_name[0].lower()}{province.full_name[1:]}"


def certificate_build(
    rng: random.Random, *, product: Product, stars: int, issued_on: dt.date, number: str, today: dt.date, **fields
) -> Certificate:
    """A certificate whose score lies in its star band, valid 36 months, issued by the level the regime names;
    its status is the one of `today`."""
    province = product.producer.province
    regime = regime_on(issued_on)
    values = {
        "product": product,
        "stars": stars,
        "score": score_for(rng, stars),
        "issued_on": issued_on,
        "expires_on": certificate_expiry(issued_on),
        "regime": regime,
        "level": certifying_level(regime=regime, stars=stars).level,
        "province": province,
        "issuer": issuer_for(stars=stars, issued_on=issued_on, province=province),
        "number": number,
        "verification_code": verification_code_new(rng),
        "decision_number": f"{rng.randint(100, 3999)}/QĐ-UBND",
        **fields,
    }
    certificate = Certificate(**values)
    certificate.status = certificate_status_stored(certificate, today)
    return certificate


def channel_build(rng: random.Random, *, product: Product, kind: str, **fields) -> SalesChannel:
    """A listing on a platform, a retail contract or an export market of a product."""
    name = rng.choice({"ecommerce": PLATFORMS, "retail": CHAINS, "export": MARKETS}[kind])
    values = {
        "product": product,
        "kind": kind,
        "name": name,
        "url": f"https://{name.lower().replace(' ', '')}.vn/ocop-{rng.randrange(10**6)}" if kind == "ecommerce" else "",
        "stores": rng.randint(1, 40) if kind == "retail" else None,
        "since": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
        **fields,
    }
    return SalesChannel(**values)
