"""What a statistic is about: the nation, a province (today's or former) or a commune, on a date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ocop.geo.models import Commune, LegacyProvince, Province

NATION, PROVINCE, LEGACY_PROVINCE, COMMUNE = "nation", "province", "legacy_province", "commune"

# The product column that places a record in each kind of unit. A product carries its producer's
# today's province and commune, and the former province its address belonged to before 1 July 2025:
# that is how a 2020 record in Bắc Kạn counts under Thái Nguyên today and under Bắc Kạn by former units.
_FIELD = {PROVINCE: "province_id", LEGACY_PROVINCE: "legacy_province_id", COMMUNE: "commune_id"}


@dataclass(frozen=True)
class Scope:
    """A unit to count in; `former` breaks the nation down by the 63 former provinces instead of today's 34."""

    kind: str = NATION
    unit: Any = None
    former: bool = False

    @classmethod
    def nation(cls, *, former: bool = False) -> Scope:
        return cls(NATION, None, former)

    @classmethod
    def of(cls, unit: Province | LegacyProvince | Commune) -> Scope:
        kind = {Province: PROVINCE, LegacyProvince: LEGACY_PROVINCE, Commune: COMMUNE}[type(unit)]
        return cls(kind, unit)

    @property
    def unit_id(self) -> int | None:
        return self.unit.pk if self.unit is not None else None

    @property
    def key(self) -> str:
        """A short stable text for cache keys and file names."""
        return f"{self.kind}-{self.unit_id or 0}-{int(self.former)}"

    def product_q(self, prefix: str = "") -> Q:
        """A filter on products (or, with a prefix such as 'product__', on what points to one)."""
        if self.kind == NATION:
            return Q()
        return Q(**{prefix + _FIELD[self.kind]: self.unit_id})

    def product_sql(self, alias: str) -> tuple[str, list[Any]]:
        """The same filter as SQL over a product table alias, for the selectors written in SQL."""
        if self.kind == NATION:
            return "", []
        return f" AND {alias}.{_FIELD[self.kind]} = %s", [self.unit_id]

    @property
    def area_kind(self) -> str | None:
        """The units a dashboard of this scope breaks down into (provinces, former provinces, communes)."""
        if self.kind == NATION:
            return LEGACY_PROVINCE if self.former else PROVINCE
        if self.kind in (PROVINCE, LEGACY_PROVINCE):
            return COMMUNE
        return None

    @property
    def area_field(self) -> str | None:
        return _FIELD[self.area_kind] if self.area_kind else None

    @property
    def name(self) -> str:
        if self.kind == NATION:
            return _("Viet Nam")
        return self.unit.name

    @property
    def whole(self) -> str:
        """How a report names the whole of its scope: "cả nước", "toàn tỉnh", "toàn xã"."""
        if self.kind == NATION:
            return _("nationwide")
        if self.kind == COMMUNE:
            return _("the whole commune") if self.unit.kind == Commune.Kind.COMMUNE else _("the whole ward")
        return _("the whole province")

    @property
    def title(self) -> str:
        if self.kind == NATION:
            return _("Viet Nam")
        if self.kind == PROVINCE:
            return self.unit.full_name
        if self.kind == LEGACY_PROVINCE:
            return _("former province %(name)s") % {"name": self.unit.name}
        return f"{self.unit.name}, {self.unit.province.name}"
