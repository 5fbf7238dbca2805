"""API: today's provinces and communes, and the former provinces."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ocop.api.schemas import ERRORS
from ocop.geo.models import Commune, LegacyProvince, Province

router = Router(tags=["places"])


class ProvinceOut(Schema):
    code: str
    name: str
    full_name: str
    lat: float | None
    lon: float | None


class CommuneOut(Schema):
    code: str
    name: str
    kind: str
    lat: float | None
    lon: float | None


class FormerProvinceOut(Schema):
    code: str
    name: str
    successor_code: str


@router.get("", response={200: list[ProvinceOut], **ERRORS}, summary="Today's 34 provinces")
def province_list(request: HttpRequest):
    """The provinces and centrally-run cities in force since 1 July 2025, in Vietnamese order."""
    return list(Province.objects.order_by("sort_key"))


@router.get("/former", response={200: list[FormerProvinceOut], **ERRORS}, summary="The 63 former provinces")
def former_province_list(request: HttpRequest):
    """The provinces before 1 July 2025 and the province each became part of."""
    rows = LegacyProvince.objects.select_related("successor").order_by("sort_key")
    return [{"code": p.code, "name": p.name, "successor_code": p.successor.code} for p in rows]


@router.get("/{code}/communes", response={200: list[CommuneOut], **ERRORS}, summary="A province's communes")
def commune_list(request: HttpRequest, code: str):
    """The communes, wards and special zones of a province, in Vietnamese order."""
    province = Province.objects.filter(code=code[:2]).first()
    if province is None:
        raise Http404
    return list(Commune.objects.filter(province=province).order_by("sort_key"))
