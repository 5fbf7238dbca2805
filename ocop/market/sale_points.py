"""The trade-promotion office's display-and-sale points ("điểm giới thiệu và bán sản phẩm OCOP"): where, when open,
who runs it, its position on the map and the province's certified products on its shelves."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.permissions import manages_province
from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log, model_changes
from ocop.core.text import plain_text
from ocop.market.models import SalePoint

POINT_FIELDS = ("name", "operator", "address", "province", "commune", "opening_hours", "phone", "email", "lat", "lon",
                "opened_on", "closed_on")  # fmt: skip


@transaction.atomic
def sale_point_save(*, by: Any, point: SalePoint | None = None, products: list[Any], **fields: Any) -> SalePoint:
    """Create or change a sale point; its products are certified products of its own province."""
    province = fields.get("province")
    if (
        province is None
        or not manages_province(by, province.pk)
        or (point is not None and not manages_province(by, point.province_id))
    ):
        raise ApplicationError(_("Only the trade-promotion office of the point's province manages it."),
                               code="forbidden")  # fmt: skip
    commune = fields.get("commune")
    if commune is None or commune.province_id != province.pk:
        raise ApplicationError(_("Choose a commune of the point's province."), field="commune", code="commune")
    if (fields.get("lat") is None) != (fields.get("lon") is None):
        raise ApplicationError(_("Give both the latitude and the longitude, or neither."), field="lat", code="position")
    if fields.get("lat") is not None and not (8 <= fields["lat"] <= 24 and 102 <= fields["lon"] <= 110):
        raise ApplicationError(_("This position is outside Vietnam; check the latitude and longitude."), field="lat",
                               code="position")  # fmt: skip
    if fields.get("closed_on") and fields.get("opened_on") and fields["closed_on"] < fields["opened_on"]:
        raise ApplicationError(_("A point cannot close before it opens."), field="closed_on", code="dates")
    strangers = [p.name for p in products if p.province_id != province.pk or p.certificate_status != "valid"]
    if strangers:
        raise ApplicationError(_("Only the province's products with a valid certificate: %(names)s.")
                               % {"names": ", ".join(strangers)}, field="products", code="products")  # fmt: skip
    created = point is None
    point = SalePoint() if point is None else SalePoint.objects.select_for_update().get(pk=point.pk)
    before = {} if created else {key: getattr(point, key) for key in POINT_FIELDS}
    for key in POINT_FIELDS:
        value = fields.get(key)
        setattr(point, key, plain_text(value) if isinstance(value, str) else value)
    point.full_clean()
    point.save()
    point.products.set(products)
    if created:
        audit_log(code="market.salepoint.created", obj=point, actor=by)
    else:
        audit_log(code="market.salepoint.updated", obj=point, actor=by,
                  changes=model_changes(before, {key: getattr(point, key) for key in POINT_FIELDS}))  # fmt: skip
    return point
