"""The product card, drawn in Python: lists of 24 cards are the catalog's hottest markup, and a per-card template
include with a URL reversal cost more than the rest of the page (issue 20)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markupsafe import escape

from ocop.core.addresses import address
from ocop.core.templatetags.core_tags import local_number, picture, stars

register = template.Library()

CARD_SIZES = "(max-width: 520px) 45vw, 240px"
NO_PHOTO = mark_safe('<span class="card-photo-none" aria-hidden="true">OCOP</span>')


def product_url(product) -> str:
    """The public product page's address, as `reverse("site:product-detail", …)` gives it."""
    return address("site:product-detail", int(product.pk), product.slug)


@register.simple_tag
def product_card(product, position: int = 99, lazy_all: bool = False) -> SafeString:
    """A product in a list: photo (the first two of a page load first), name, stars, status, producer, place,
    group and price. Escaped with markupsafe's C escape into one f-string: format_html's per-argument lazy-text
    checks cost more than the rest of a card."""
    photo = picture(product.cover, alt="", sizes=CARD_SIZES, eager=not lazy_all and position <= 2) or NO_PHOTO
    status = product.certificate_status
    badge = ""
    if status and status != "valid":
        label = _("Expired") if status == "expired" else _("Revoked")
        badge = f'<span class="badge badge-{escape(status)}">{escape(label)}</span>'
    producer = product.producer
    province = escape(producer.province.name) if producer.province_id else ""
    place = f"{escape(producer.commune.name)}, {province}" if producer.commune_id else province
    group = escape(product.category.name if product.category_id else _("not yet classified"))
    price = ""
    if product.price_min:
        upper = product.price_max if product.price_max and product.price_max != product.price_min else None
        upper_text = f" – {escape(local_number(upper))}" if upper else ""
        unit = f" / {escape(product.unit)}" if product.unit else ""
        price = f'<p class="price">{escape(local_number(product.price_min))}{upper_text} ₫{unit}</p>'
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<article class="card"><div class="card-photo">{photo}</div><h3><a href="{escape(product_url(product))}">'
        f"{escape(product.name)}</a></h3>{stars(product.stars)}{badge}"
        f'<p class="muted">{escape(producer.name)}<br>{place}</p><p class="small">{group}</p>{price}</article>'
    )
