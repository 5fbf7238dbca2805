"""Reading Vietnamese addresses from published lists and resolving them to today's units.

Addresses before 1 July 2025 read "xã X, huyện Y, tỉnh Z" with 63 provinces; after, "xã X, tỉnh Z" with
34. A former commune merged whole into a new one resolves to it; one split between several new
communes is ambiguous and goes to a person (the review list), never to a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ocop.core.text import vn_fold, vn_tone_key
from ocop.geo.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province

_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|tt\.|x\.|p\.)\s+")
_DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho|tp\.?|h\.|tx\.|q\.)\s+")
_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")


@lru_cache(maxsize=65536)  # unit names repeat row after row
def _key(name: str, prefix: re.Pattern[str]) -> str:
    """A unit's name without its kind: "Tỉnh Thành phố Hà Nội", "TP. Hà Nội" and "Hà Nội" all give "ha noi"."""
    folded = " ".join(vn_fold(name).replace(".", ". ").replace("-", " ").replace("–", " ").split())
    previous = None
    while previous != folded:
        previous, folded = folded, prefix.sub("", folded).strip()
    return folded


@lru_cache(maxsize=65536)
def _exact_key(name: str, prefix: re.Pattern[str]) -> str:
    """The name without its kind but with its diacritics (tone placement made canonical): "Sơn Hà" and "Sơn Hạ"
    stay apart where `_key` makes both "son ha"."""
    words = vn_tone_key(" ".join(name.replace(".", ". ").split())).split()
    kind_words = len(" ".join(vn_fold(name).replace(".", ". ").split()).split()) - len(_key(name, prefix).split())
    return " ".join(words[kind_words:])


def _has_marks(text: str) -> bool:
    return vn_fold(text) != text.lower()


@dataclass(frozen=True)
class AddressParts:
    commune: str = ""
    district: str = ""
    province: str = ""


def split_address(address: str) -> AddressParts:
    """ "Thôn 3, xã Tân Lập, huyện Chợ Đồn, tỉnh Bắc Kạn" → commune, district and province texts."""
    return _split_address(address or "")


@lru_cache(maxsize=65536)  # addresses repeat within a commune
def _split_address(address: str) -> AddressParts:
    commune = district = province = ""
    pieces = []
    for piece in re.split(r"[,;]", address):
        if "ba ria" in vn_fold(piece) and "vung tau" in vn_fold(piece):
            pieces.append(piece.strip())  # "tỉnh Bà Rịa - Vũng Tàu": one name with a dash
        else:
            pieces += [p.strip() for p in re.split(r"[\-–]", piece)]
    pieces = [p for p in pieces if p]
    for index, piece in enumerate(pieces):
        folded = vn_fold(piece)
        last = index == len(pieces) - 1
        if folded.startswith("tinh ") or (last and folded.startswith(("thanh pho ", "tp "))):
            province = piece
        elif folded.startswith(("huyen ", "quan ", "thi xa ", "h. ", "h.", "tx. ", "tx.", "q. ")) or (
            not last and folded.startswith(("thanh pho ", "tp ", "tp. ", "tp."))
        ):
            district = piece
        elif folded.startswith(("xa ", "phuong ", "thi tran ", "dac khu ", "tt. ", "tt.", "x. ", "p. ")):
            commune = piece
    if not province and len(pieces) >= 2:
        province = pieces[-1]  # "…, Cao Bằng" without the word "tỉnh"
    if len(pieces) == 1 and not (commune or district or province):
        commune = pieces[0]  # a bare unit name: tried as a commune, then as a former district
    return AddressParts(commune, district, province)


@dataclass
class Resolution:
    """Where an address lies today; `status` is ok, ambiguous (a split commune) or unknown."""

    status: str  # ok (a commune), partial (a former district or the province only), ambiguous, unknown
    commune: Commune | None = None
    province: Province | None = None
    legacy_province: LegacyProvince | None = None
    candidates: list[Commune] = field(default_factory=list)
    problem: str = ""
    legacy_district: LegacyDistrict | None = None


class AddressResolver:
    """Resolves many addresses against in-memory indexes of today's and former units (one load per import)."""

    def __init__(self) -> None:
        self.memo: dict[tuple, Resolution] = {}
        self.provinces = {p.pk: p for p in Province.objects.all()}
        self.legacy_provinces = {p.pk: p for p in LegacyProvince.objects.select_related("successor")}
        self.province_by_key = {_key(p.name, _PROVINCE_PREFIX): p for p in self.provinces.values()}
        self.legacy_by_key = {_key(p.name, _PROVINCE_PREFIX): p for p in self.legacy_provinces.values()}
        self.legacy_by_successor: dict[int, list[LegacyProvince]] = defaultdict(list)
        for legacy_province in self.legacy_provinces.values():
            self.legacy_by_successor[legacy_province.successor_id].append(legacy_province)
        self.communes = {c.pk: c for c in Commune.objects.all()}
        self.commune_index: dict[tuple[int, str], list[Commune]] = defaultdict(list)
        for commune in self.communes.values():
            self.commune_index[(commune.province_id, _key(commune.name, _COMMUNE_PREFIX))].append(commune)
        self.district_index: dict[tuple[int, str], list[LegacyDistrict]] = defaultdict(list)
        for district in LegacyDistrict.objects.all():
            self.district_index[(district.province_id, _key(district.name, _DISTRICT_PREFIX))].append(district)
        self.legacy_commune_index: dict[tuple[int, str], list[LegacyCommune]] = defaultdict(list)
        self.legacy_commune_by_province: dict[tuple[int, str], list[LegacyCommune]] = defaultdict(list)
        district_province = dict(LegacyDistrict.objects.values_list("pk", "province_id"))
        splits: dict[int, list[int]] = defaultdict(list)
        for old_id, new_id in LegacyCommune.split_into.through.objects.values_list("legacycommune_id", "commune_id"):
            splits[old_id].append(new_id)
        self.splits = splits
        self.districts = {d.pk: d for districts in self.district_index.values() for d in districts}
        self.districts_by_key: dict[str, list[LegacyDistrict]] = defaultdict(list)
        for district in self.districts.values():
            self.districts_by_key[_key(district.name, _DISTRICT_PREFIX)].append(district)
        # Today's commune → the former provinces its former communes lay in (one, except along old borders).
        self.legacy_of_commune: dict[int, set[int]] = defaultdict(set)
        for old in LegacyCommune.objects.all():
            key = _key(old.name, _COMMUNE_PREFIX)
            self.legacy_commune_index[(old.district_id, key)].append(old)
            self.legacy_commune_by_province[(district_province[old.district_id], key)].append(old)
            for new_id in [old.successor_id] if old.successor_id else splits.get(old.pk, []):
                self.legacy_of_commune[new_id].add(district_province[old.district_id])

    def find_province(self, text: str) -> tuple[Province | None, LegacyProvince | None]:
        key = _key(text, _PROVINCE_PREFIX)
        legacy = self.legacy_by_key.get(key)
        today = self.province_by_key.get(key)
        if today is None and legacy is not None:
            today = self.provinces[legacy.successor_id]
        return today, legacy

    def resolve(
        self, parts: AddressParts, *, default_province: Province | None = None,
        default_legacy: LegacyProvince | None = None,
    ) -> Resolution:  # fmt: skip
        """Where an address lies, as deep as it says: a commune (ok), a former district or only the province
        (partial), several communes a person must choose between (ambiguous), or nowhere known (unknown: no
        province at all)."""
        key = (parts, getattr(default_province, "pk", None), getattr(default_legacy, "pk", None))
        result = self.memo.get(key)  # shared: callers change a resolution only through dataclasses.replace
        if result is None:
            result = self._resolve(parts, default_province, default_legacy)
            if len(self.memo) < 200_000:
                self.memo[key] = result
        return result

    def _resolve(
        self, parts: AddressParts, default_province: Province | None, default_legacy: LegacyProvince | None
    ) -> Resolution:
        province, legacy = self.find_province(parts.province) if parts.province else (None, None)
        if parts.province and province is None and not parts.district:
            parts = AddressParts(parts.commune, parts.province, "")  # "thành phố Rạch Giá": a former town
        if province is None:
            province, legacy = default_province, default_legacy
        if province is None and parts.district:
            # A former district named alone: the country's only district of that name, if it is unique.
            found = self.districts_by_key.get(_key(parts.district, _DISTRICT_PREFIX), [])
            if len({d.province_id for d in found}) == 1:
                legacy = self.legacy_provinces[found[0].province_id]
                province = self.provinces[legacy.successor_id]
        if province is None:
            return Resolution("unknown", problem="province")
        result = self._resolve_in(parts, province, legacy)
        if result.status in ("ok", "partial", "ambiguous") and result.legacy_province is None:
            result.legacy_province = self._legacy_of(result.province or province, result.commune)
        return result

    def _resolve_in(self, parts: AddressParts, province: Province, legacy: LegacyProvince | None) -> Resolution:
        districts = self._districts(parts.district, province, legacy) if parts.district else []
        if not parts.commune:
            return self._partial(province, legacy, districts)
        commune_key = _key(parts.commune, _COMMUNE_PREFIX)
        if not parts.district or not districts:
            # Today's address form first ("xã X, tỉnh Z"), then a former commune of the former province.
            found = self.commune_index.get((province.pk, commune_key), [])
            olds = self.legacy_commune_by_province.get((legacy.pk, commune_key), []) if legacy is not None else []
            if olds and legacy is not None and legacy.name != province.name:
                found = []  # the address names a former province: its former communes, not today's namesakes
            result = self._choose(parts.commune, found, olds, province, legacy)
            if result.status == "unknown" and not parts.district:
                # A bare name that is no commune may be a former district or town ("Chợ Mới").
                return self._partial(province, legacy, self._districts(parts.commune, province, legacy))
            if result.status == "unknown":
                return self._partial(province, legacy, [])
            return result
        olds = [old for d in districts for old in self.legacy_commune_index.get((d.pk, commune_key), [])]
        result = self._choose(parts.commune, [], olds, province, self.legacy_provinces[districts[0].province_id])
        return self._partial(province, legacy, districts) if result.status == "unknown" else result

    def _districts(self, text: str, province: Province, legacy: LegacyProvince | None) -> list[LegacyDistrict]:
        """Former districts of that name in the former provinces today's province took in (or in `legacy`)."""
        key = _key(text, _DISTRICT_PREFIX)
        predecessors = self.legacy_by_successor.get(province.pk, [])
        found = [
            d
            for p in predecessors
            if legacy is None or p.pk == legacy.pk
            for d in self.district_index.get((p.pk, key), [])
        ]
        if not found and legacy is not None and legacy.name == province.name:
            # "tỉnh An Giang" is today's province as well as a former one: its other predecessors too
            found = [d for p in predecessors for d in self.district_index.get((p.pk, key), [])]
        return found

    def _partial(
        self, province: Province, legacy: LegacyProvince | None, districts: list[LegacyDistrict]
    ) -> Resolution:
        """No commune known: the former district when the name gives exactly one, else the province."""
        if len(districts) == 1:
            district = districts[0]
            return Resolution(
                "partial", province=province, legacy_province=self.legacy_provinces[district.province_id],
                legacy_district=district, problem="commune",
            )  # fmt: skip
        return Resolution("partial", province=province, legacy_province=legacy, problem="commune")

    def _legacy_of(self, province: Province, commune: Commune | None) -> LegacyProvince | None:
        """The former province of a place given in today's units: the only one today's province took in, or the
        only one the commune's former communes lay in."""
        predecessors = self.legacy_by_successor.get(province.pk, [])
        if len(predecessors) == 1:
            return predecessors[0]
        if commune is not None:
            found = self.legacy_of_commune.get(commune.pk, set())
            if len(found) == 1:
                return self.legacy_provinces[next(iter(found))]
        return None

    def _choose(
        self, text: str, todays: list[Commune], olds: list[LegacyCommune], province: Province,
        legacy: LegacyProvince | None,
    ) -> Resolution:  # fmt: skip
        """Today's or former communes whose name folds like `text`, decided by the exact diacritics first: a
        name written with its marks takes the commune of exactly that name; an accent-free name (or one whose
        marks match none) takes the only commune it can mean; names that differ only by tone marks ("Sơn Hà",
        "Sơn Hạ") go to a person as a choice, never to a guess."""
        if _has_marks(text):
            exact = _exact_key(text, _COMMUNE_PREFIX)
            same_todays = [c for c in todays if _exact_key(c.name, _COMMUNE_PREFIX) == exact]
            same_olds = [o for o in olds if _exact_key(o.name, _COMMUNE_PREFIX) == exact]
            if same_todays or same_olds:
                todays, olds = same_todays, same_olds
        places: dict[int, Commune] = {c.pk: c for c in todays}
        split = False
        for old in olds:
            if old.successor_id:
                places.setdefault(old.successor_id, self.communes[old.successor_id])
            else:
                split = True
                for pk in self.splits.get(old.pk, []):
                    places.setdefault(pk, self.communes[pk])
        if not places:
            return Resolution("unknown", province=province, legacy_province=legacy, problem="commune")
        if len(places) == 1 and not split:
            commune = next(iter(places.values()))
            return Resolution(
                "ok", commune=commune, province=self.provinces[commune.province_id], legacy_province=legacy
            )
        if len(todays) + len(olds) == 1 and split:
            return self._from_legacy(olds[0], province, legacy)
        districts = {old.district_id for old in olds}
        return Resolution(
            "ambiguous", province=province, legacy_province=legacy, candidates=list(places.values()),
            problem="twins", legacy_district=self.districts[districts.pop()] if len(districts) == 1 and not todays
            else None,
        )  # fmt: skip

    def _from_legacy(self, old: LegacyCommune, province: Province, legacy: LegacyProvince | None) -> Resolution:
        if old.successor_id:
            commune = self.communes[old.successor_id]
            return Resolution(
                "ok", commune=commune, province=self.provinces[commune.province_id], legacy_province=legacy
            )
        candidates = [self.communes[pk] for pk in self.splits.get(old.pk, [])]
        return Resolution(
            "ambiguous", province=province, legacy_province=legacy, candidates=candidates, problem="split",
            legacy_district=self.districts.get(old.district_id),
        )  # fmt: skip
