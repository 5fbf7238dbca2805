"""Helpers that pick reference units for factories (the units themselves come from load_reference)."""

from __future__ import annotations

from factory.random import randgen

from ocop.geo.models import Commune, Province

_cache: dict[str, list[tuple[int, int]]] = {}


def random_commune() -> Commune:
    """A commune chosen with factory_boy's seeded random generator."""
    if "communes" not in _cache or not Commune.objects.filter(pk=_cache["communes"][0][0]).exists():
        _cache["communes"] = list(Commune.objects.order_by("code").values_list("pk", "province_id"))
    pk, _province = randgen.choice(_cache["communes"])
    return Commune.objects.select_related("province").get(pk=pk)


def province(code: str) -> Province:
    return Province.objects.get(code=code)


def commune_in(province_code: str) -> Commune | None:
    """The first commune (by code) of a province, for tests that need a fixed place."""
    return Commune.objects.select_related("province").filter(province__code=province_code).order_by("code").first()
