"""The product card, drawn in Python: lists of 24 cards are the catalog's hottest markup, and a per-card template
include with a URL reversal cost more than the rest of the page (issue 20)."""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ocop.core.templatetags.core_tags import picture, stars

register = template.Library()

CARD_SIZES = "(max-width: 520px) 45vw, 240px"
NO_PHOTO = mark_safe('<span class="card-photo-none" aria-hidden="true">OCOP</span>')


@functools.lru_cache(maxsize=8)
def _detail_pattern(prefix: str) -> str:
    # One reversal per script prefix; each card fills the pattern in (pk is an int, slug a slug).
    return (
        reverse("site:product-detail", args=[987654321, "slug-here"])
        .replace("987654321", "{pk}")
        .replace("slug-here", "{slug}")
    )


def product_url(product) -> str:
    """The public product page's address, as `reverse("site:product-detail", …)` gives it."""
    return _detail_pattern(get_script_prefix()).format(pk=int(product.pk), slug=product.slug)


@register.simple_tag
def product_card(product, position: int = 99, lazy_all: bool = False) -> SafeString:
    """A product in a list: photo (the first two of a page load first), name, stars, status, producer, place,
    group and price."""
    photo = picture(product.cover, alt="", sizes=CARD_SIZES, eager=not lazy_all and position <= 2) or NO_PHOTO
    status = product.certificate_status
    badge = (
        format_html('<span class="badge badge-{}">{}</span>', status, _("Expired") if status == "expired"
                    else _("Revoked"))
        if status and status != "valid" else ""
    )  # fmt: skip
    producer = product.producer
    province = producer.province.name if producer.province_id else ""
    place = format_html("{}, {}", producer.commune.name, province) if producer.commune_id else province
    group = product.category.name if product.category_id else _("not yet classified")
    price = ""
    if product.price_min:
        upper = product.price_max if product.price_max and product.price_max != product.price_min else None
        price = format_html(
            '<p class="price">{}{} ₫{}</p>', localize(product.price_min),
            format_html(" – {}", localize(upper)) if upper else "",
            format_html(" / {}", product.unit) if product.unit else "",
        )  # fmt: skip
    return format_html(
        '<article class="card"><div class="card-photo">{}</div><h3><a href="{}">{}</a></h3>{}{}'
        '<p class="muted">{}<br>{}</p><p class="small">{}</p>{}</article>',
        photo, product_url(product), product.name, stars(product.stars), badge, producer.name, place, group, price,
    )  # fmt: skip
