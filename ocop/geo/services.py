"""Loading the administrative reference data shipped in ocop/geo/data/."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

from ocop.core.text import nfc, slugify_vn, vn_fold, vn_sort_key
from ocop.geo.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province

DATA_DIR = Path(__file__).resolve().parent / "data"
_KIND = {"Xã": Commune.Kind.COMMUNE, "Phường": Commune.Kind.WARD, "Đặc khu": Commune.Kind.SPECIAL_ZONE}
_PREFIXES = ("Thành phố ", "Tỉnh ")


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield {key: nfc(value) for key, value in row.items()}


def short_province_name(full_name: str) -> str:
    """ "Tỉnh Cao Bằng" → "Cao Bằng"; cities keep their title ("Thành phố Hà Nội" → "Hà Nội")."""
    for prefix in _PREFIXES:
        if full_name.startswith(prefix):
            return full_name[len(prefix) :]
    return full_name


def _float(value: str) -> float | None:
    return float(value) if value else None


@transaction.atomic
def geo_load_reference() -> dict[str, int]:
    """Create or update every administrative unit; running it twice changes nothing."""
    counts: dict[str, int] = {}
    provinces = {}
    for row in _rows("provinces.csv"):
        name = short_province_name(row["full_name"])
        province, _ = Province.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": name,
                "full_name": row["full_name"],
                "slug": slugify_vn(name),
                "sort_key": vn_sort_key(name),
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            },
        )
        provinces[province.code] = province
    counts["provinces"] = len(provinces)

    existing = {c.code: c for c in Commune.objects.all()}
    new: list[Any] = []
    changed: list[Any] = []
    for row in _rows("communes.csv"):
        values = {
            "name": row["name"],
            "kind": _KIND[row["kind"]],
            "province_id": provinces[row["province_code"]].pk,
            "name_folded": vn_fold(row["name"]),
            "sort_key": vn_sort_key(row["name"]),
            "lat": _float(row["lat"]),
            "lon": _float(row["lon"]),
        }
        _stage(existing.get(row["code"]), Commune, row["code"], values, new, changed)
    Commune.objects.bulk_create(new, batch_size=1000)
    Commune.objects.bulk_update(changed, list(values), batch_size=1000)
    communes = {c.code: c for c in Commune.objects.all()}
    counts["communes"] = len(communes)

    legacy = {}
    for row in _rows("legacy_provinces.csv"):
        legacy[row["old_code"]], _ = LegacyProvince.objects.update_or_create(
            code=row["old_code"],
            defaults={
                "name": row["old_name"],
                "name_folded": vn_fold(row["old_name"]),
                "sort_key": vn_sort_key(row["old_name"]),
                "successor": provinces[row["new_code"]],
            },
        )
    counts["legacy_provinces"] = len(legacy)

    existing_d = {d.code: d for d in LegacyDistrict.objects.all()}
    new, changed = [], []
    for row in _rows("legacy_districts.csv"):
        values = {
            "name": row["name"],
            "name_folded": vn_fold(row["name"]),
            "province_id": legacy[row["province_code"]].pk,
        }
        _stage(existing_d.get(row["code"]), LegacyDistrict, row["code"], values, new, changed)
    LegacyDistrict.objects.bulk_create(new, batch_size=1000)
    LegacyDistrict.objects.bulk_update(changed, list(values), batch_size=1000)
    districts = {d.code: d for d in LegacyDistrict.objects.all()}
    counts["legacy_districts"] = len(districts)

    existing_c = {c.code: c for c in LegacyCommune.objects.all()}
    new, changed = [], []
    splits: dict[str, list[str]] = {}
    for row in _rows("legacy_communes.csv"):
        values = {
            "name": row["name"],
            "name_folded": vn_fold(row["name"]),
            "district_id": districts[row["district_code"]].pk,
            "successor_id": communes[row["successor_code"]].pk if row["successor_code"] else None,
        }
        _stage(existing_c.get(row["code"]), LegacyCommune, row["code"], values, new, changed)
        if row["split_into"]:
            splits[row["code"]] = row["split_into"].split(";")
    LegacyCommune.objects.bulk_create(new, batch_size=1000)
    LegacyCommune.objects.bulk_update(changed, list(values), batch_size=1000)
    by_code = {c.code: c.pk for c in LegacyCommune.objects.filter(code__in=splits)}
    through = LegacyCommune.split_into.through
    through.objects.filter(legacycommune_id__in=by_code.values()).delete()
    through.objects.bulk_create(
        [
            through(legacycommune_id=by_code[old], commune_id=communes[new_code].pk)
            for old, targets in splits.items()
            for new_code in targets
        ],
        batch_size=1000,
    )
    counts["legacy_communes"] = LegacyCommune.objects.count()
    return counts


def _stage(current, model, code, values, new, changed) -> None:
    """Queue a row for creation, or for update when any value differs."""
    if current is None:
        new.append(model(code=code, **values))
        return
    if any(getattr(current, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(current, key, value)
        changed.append(current)
