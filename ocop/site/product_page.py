"""The public product page: read in one statement, drawn by Jinja2, framed by a header rendered once (issue 20).

The page is opened for every product of the catalog, each one a first render: through the ORM it cost about
15 ms of CPU (eight queries of query building, model instances, Django templates with a dozen URL reversals)
against 0.7 ms for the trivial view. Here:

- one SQL statement reads the product, its producer and place, its group, its certificates, visible photos, live
  sales channels, visible materials and the four best certified products of its group (JSON arrays built by the
  database: `json_group_array` on SQLite, `json_agg` on PostgreSQL, where the statement is prepared once per
  connection — planning its joins costs more than running them);
- the page's own part is a Jinja2 template (`templates/jinja2/site/product.html`) over plain records; addresses
  come from patterns reversed once per process (`ocop.core.addresses`);
- an anonymous visitor's header and footer are the same for every product: `site/product_detail.html` is rendered
  once per process and language with holes for the title, description, meta, body, search text and address, and
  each page fills the holes (escaped). A signed-in visitor's page is rendered by Django around the same parts.

Nothing is kept across requests but the frame, which holds no data, and the related products' section drawn for
each record read (the key is the record itself): a change to a product shows at the next request on every server.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from ocop.catalog.cards import card_record
from ocop.catalog.models import CertificateStatus, Product
from ocop.catalog.templatetags.catalog_tags import product_card
from ocop.core.addresses import address
from ocop.core.dates import date_display
from ocop.core.db import fetch_prepared
from ocop.core.jinja import template
from ocop.market.models import PromotionMaterial, SalesChannel
from ocop.producers.models import place_name

RELATED = 4  # other certified products of the same group shown under the page
_CENTS = Decimal("0.01")


def _list(vendor: str, columns: str, inner: str, order: str) -> str:
    """A JSON array of arrays (as text), one per row of `inner` (a SELECT aliased x), in `order` (over x)."""
    # Every piece is a constant of this module (no value of a request is ever in the text).
    if vendor == "postgresql":
        return (
            f"(SELECT COALESCE(json_agg(json_build_array({columns}) ORDER BY {order}), '[]')::text "  # noqa: S608
            f"FROM ({inner}) x)"
        )
    return f"(SELECT json_group_array(json_array({columns})) FROM ({inner}) x)"  # noqa: S608 - in the inner order


@functools.cache
def _statement(vendor: str) -> str:
    as_json = (lambda column: column) if vendor == "postgresql" else (lambda column: f"json({column})")
    certificates = _list(
        vendor,
        "x.number, x.verification_code, x.stars, x.score, x.issuer, x.decision_number, x.issued_on, "
        "x.issued_precision, x.expires_on, x.status, x.revoked_on, x.revocation_decision, x.revocation_reason",
        "SELECT * FROM certification_certificate c WHERE c.product_id = p.id ORDER BY c.issued_on DESC, c.id DESC",
        "x.issued_on DESC, x.id DESC",
    )
    images = _list(
        vendor,
        f"x.image, x.width, x.height, {as_json('x.renditions')}, x.caption",
        "SELECT * FROM catalog_productimage i WHERE i.product_id = p.id AND NOT i.hidden ORDER BY i.position, i.id",
        "x.position, x.id",
    )
    channels = _list(
        vendor,
        "x.kind, x.name, x.url, x.stores",
        "SELECT * FROM market_saleschannel s WHERE s.product_id = p.id AND (s.since IS NULL OR s.since <= %s) "
        "AND (s.until IS NULL OR s.until >= %s) ORDER BY s.kind, s.name",
        "x.kind, x.name",
    )
    materials = _list(
        vendor,
        "x.title, x.url, x.file",
        "SELECT * FROM market_promotionmaterial m WHERE m.product_id = p.id AND NOT m.hidden "
        "ORDER BY m.created_at DESC",
        "x.created_at DESC",
    )
    related = _list(
        vendor,
        f"x.id, x.name, x.slug, x.stars, x.certificate_status, x.price_min, x.price_max, x.unit, "
        f"{as_json('x.cover')}, x.producer_name, x.province_name, x.commune_name, x.category_name",
        # the group is the page's own (c): no join for its name
        "SELECT r.*, rp.name AS producer_name, rv.name AS province_name, rc.name AS commune_name, "  # noqa: S608
        "c.name AS category_name FROM catalog_product r "
        "JOIN producers_producer rp ON rp.id = r.producer_id "
        "JOIN geo_province rv ON rv.id = rp.province_id "
        "LEFT JOIN geo_commune rc ON rc.id = rp.commune_id "
        "WHERE r.category_id = p.category_id AND r.certificate_status = 'valid' AND r.status <> 'draft' "
        f"AND r.id <> p.id ORDER BY r.stars DESC, r.certified_on DESC, r.id LIMIT {RELATED}",
        "x.stars DESC, x.certified_on DESC, x.id",
    )
    return (
        "SELECT p.id, p.name, p.slug, p.description, p.story, p.packaging, p.unit, p.price_min, p.price_max, "  # noqa: S608
        "p.annual_capacity, p.capacity_unit, p.text_hidden, p.stars, "
        "c.code, c.name, g.slug, g.name, "
        "pr.id, pr.name, pr.slug, pr.address, pr.phone, pr.email, pv.name, pc.name, ld.name, "
        f"{certificates}, {images}, {channels}, {materials}, {related} "
        "FROM catalog_product p "
        "JOIN producers_producer pr ON pr.id = p.producer_id "
        "JOIN geo_province pv ON pv.id = pr.province_id "
        "LEFT JOIN geo_commune pc ON pc.id = pr.commune_id "
        "LEFT JOIN geo_legacydistrict ld ON ld.id = pr.legacy_district_id "
        "LEFT JOIN catalog_category c ON c.id = p.category_id "
        "LEFT JOIN catalog_category g ON g.id = c.group_id "
        "WHERE p.id = %s AND p.status <> 'draft'"
    )


def _read(pk: int, today: dt.date) -> tuple | None:
    connection = connections[router.db_for_read(Product)]
    with connection.cursor() as cursor:
        return fetch_prepared(cursor, "ocop_product_page", "(date, date, bigint)", _statement(connection.vendor),
                              [today.isoformat(), today.isoformat(), pk])  # fmt: skip


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _media_url(model: Any, name: str, field_name: str) -> str:
    return model._meta.get_field(field_name).storage.url(name)


@dataclass
class ProductPage:
    """What the page shows, as plain records with the attribute paths the templates use."""

    product: SimpleNamespace
    certificate: SimpleNamespace | None
    history: list[SimpleNamespace]
    images: list[SimpleNamespace]
    channels: list[tuple[Any, list[SimpleNamespace]]]  # (the kind's name, its channels)
    materials: list[SimpleNamespace]
    related: str  # the related products' record as read (JSON text): the key of their drawn section
    urls: dict[str, str] = field(default_factory=dict)


def product_page(pk: int, *, today: dt.date | None = None) -> ProductPage | None:
    """The public page's record of product `pk` (None when there is none, or it is a draft)."""
    row = _read(pk, today or dt.date.today())
    if row is None:
        return None
    (pk, name, slug, description, story, packaging, unit, price_min, price_max, capacity, capacity_unit, text_hidden,
     stars, category_code, category_name, group_slug, group_name, producer_id, producer_name, producer_slug,
     producer_address, phone, email, province, commune, legacy_district, certificates, images, channels, materials,
     related) = row  # fmt: skip
    place = place_name(commune=commune, legacy_district=legacy_district, province=province)
    producer = SimpleNamespace(pk=producer_id, name=producer_name, slug=producer_slug, address=producer_address,
                               phone=phone, email=email, place=place,
                               url=address("site:producer-detail", producer_id, producer_slug))  # fmt: skip
    category = None
    if category_code is not None:
        group_url = address("catalog:category-detail", group_slug) if group_slug else ""
        category = SimpleNamespace(code=category_code, name=category_name, group_name=group_name, group_url=group_url)
    product = SimpleNamespace(pk=pk, id=pk, name=name, slug=slug, description=description, story=story,
                              packaging=packaging, unit=unit, price_min=price_min, price_max=price_max,
                              annual_capacity=capacity, capacity_unit=capacity_unit, text_hidden=bool(text_hidden),
                              stars=stars, category=category, producer=producer,
                              url=address("site:product-detail", pk, slug))  # fmt: skip
    held = [_certificate(values) for values in json.loads(certificates)]
    return ProductPage(
        product=product,
        certificate=held[0] if held else None,
        history=held[1:],
        images=[_image(values) for values in json.loads(images)],
        channels=_channels(json.loads(channels)),
        materials=[
            SimpleNamespace(title=title, url=url, file_url=_media_url(PromotionMaterial, file, "file") if file else "")
            for title, url, file in json.loads(materials)
        ],
        related=related,
        urls={"products": address("catalog:product-list"), "inquiry": address("market:inquiry-new", pk)},
    )


def _certificate(values: list) -> SimpleNamespace:
    (number, code, stars, score, issuer, decision, issued_on, precision, expires_on, status, revoked_on,
     revocation_decision, revocation_reason) = values  # fmt: skip
    issued, expires = dt.date.fromisoformat(issued_on[:10]), dt.date.fromisoformat(expires_on[:10])
    return SimpleNamespace(
        number=number, verification_code=code, stars=stars,
        score=None if score is None else Decimal(str(score)).quantize(_CENTS), issuer=issuer,
        decision_number=decision, status=status, status_display=CertificateStatus(status).label,
        issued_display=date_display(issued, precision, unknown_day=gettext("decision day not known")),
        expires_display=date_display(expires, precision, unknown_day=gettext("36 months after the decision")),
        revoked_on=_day(revoked_on), revocation_decision=revocation_decision, revocation_reason=revocation_reason,
        verify_url=address("certification:verify-detail", code),
    )  # fmt: skip


def _image(values: list) -> SimpleNamespace:
    name, width, height, renditions, caption = values
    if isinstance(renditions, str):
        renditions = json.loads(renditions)
    files = renditions or ({str(width or 1280): {"jpeg": name}} if name else {})
    return SimpleNamespace(picture={"width": width, "height": height, "files": files}, caption=caption,
                           width=width, height=height, url=_media_url(_image_model(), name, "image"))  # fmt: skip


@functools.cache
def _image_model() -> Any:
    from ocop.catalog.models import ProductImage

    return ProductImage


def _channels(rows: list) -> list[tuple[Any, list[SimpleNamespace]]]:
    grouped: dict[str, list[SimpleNamespace]] = {}
    for kind, name, url, stores in rows:
        stores_text = ngettext("%(n)s store", "%(n)s stores", stores) % {"n": stores} if stores else ""
        grouped.setdefault(kind, []).append(SimpleNamespace(name=name, url=url, stores=stores_text))
    return [(SalesChannel.Kind(kind).label, items) for kind, items in grouped.items()]


# --- drawing -----------------------------------------------------------------------------------------------------


def page_parts(page: ProductPage, *, base: str) -> dict[str, str]:
    """The page's title, description, head tags and body (`base` is "scheme://host" for absolute addresses)."""
    product = page.product
    text = product.description if not product.text_hidden else ""
    # The text of the templates is folded in for the language (`ocop.core.jinja.template`); a call with values
    # would use the environment's own `_`.
    context = {"page": page, "base": base, "json_ld": _json_ld(page, base), "absolute": _absolute,
               "og_description": _clip(text, 200), "related": _related_html(page.related)}  # fmt: skip
    return {
        "title": product.name,
        "description": _clip(text, 160) or product.name,
        "meta": template("site/product_meta.html").render(context),
        "body": template("site/product.html").render(context),
    }


# The related products' section is the same on every page of a group (the group's best four): drawn once per
# process for each record read — the key is the record itself, so a change to any of them is a new key.
_RELATED: dict[tuple[str | None, str, str], str] = {}
_RELATED_MAX = 1024


def _related_html(record: str) -> str:
    if record == "[]":
        return ""
    key = (get_language(), get_script_prefix(), record)
    html = _RELATED.get(key)
    if html is None:
        cards = "".join(product_card(card_record(values), lazy_all=True) for values in json.loads(record))
        html = f'<section><h2>{escape(gettext("Related products"))}</h2><div class="grid">{cards}</div></section>'
        if len(_RELATED) >= _RELATED_MAX:
            _RELATED.clear()
        _RELATED[key] = html
    return html


def _clip(text: str, length: int) -> str:
    """`truncatechars`: Truncator walks the whole text; a description is cut at its first few hundred letters."""
    return text if len(text) <= length else Truncator(text[: length * 4]).chars(length)


def _json_ld(page: ProductPage, base: str) -> str:
    """schema.org Product data for search engines, escaped for a <script> element."""
    product, certificate = page.product, page.certificate
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": "" if product.text_hidden else product.description,
        "url": base + product.url,
        "category": product.category.name if product.category is not None else "",
        "brand": {"@type": "Organization", "name": product.producer.name},
        "countryOfOrigin": "VN",
    }
    if page.images:
        data["image"] = [_absolute(base, image.url) for image in page.images]
    if product.price_min:
        data["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": "VND",
            "lowPrice": product.price_min,
            "highPrice": product.price_max or product.price_min,
        }
    if certificate is not None:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.number})"
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def _absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base + url


# An anonymous visitor's frame: the site's header and footer around the holes, per language and script prefix.
_FRAMES: dict[tuple[str, str], list[str]] = {}
_HOLE = re.compile(r"ZZOCOP([A-Z]+)ZZ")


def _frame() -> list[str]:
    key = (get_language(), get_script_prefix())
    frame = _FRAMES.get(key)
    if frame is None:
        request = HttpRequest()  # a visitor without a session, cookie or message
        request.method, request.path = "GET", "/ZZOCOPPATHZZ"
        request.user = AnonymousUser()
        request.GET = QueryDict("q=ZZOCOPQZZ")  # not in the path: a hole of its own
        context = {"title": "ZZOCOPTITLEZZ", "description": "ZZOCOPDESCRIPTIONZZ", "meta": "ZZOCOPMETAZZ",
                   "body": "ZZOCOPBODYZZ", "support": None}  # fmt: skip
        frame = _HOLE.split(render_to_string("site/product_detail.html", context, request=request))
        if not settings.DEBUG:  # read afresh while developing
            _FRAMES[key] = frame
    return frame


def anonymous_html(parts: dict[str, str], *, path: str, query: str) -> str:
    """The whole page for a visitor who is not signed in: the frame's holes filled (escaped where text)."""
    values = {"TITLE": escape(parts["title"]), "DESCRIPTION": escape(parts["description"]), "META": parts["meta"],
              "BODY": parts["body"], "PATH": escape(path.removeprefix("/")), "Q": escape(query)}  # fmt: skip
    return "".join([values[part] if index % 2 else part for index, part in enumerate(_frame())])
