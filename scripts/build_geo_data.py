"""Rebuild ocop/geo/data/*.csv from the MIT-licensed `vietnamadminunits` package.

Run by hand when the administrative map changes (it is not needed to run the project):

    .venv/bin/pip install vietnamadminunits==1.0.4 --no-deps
    .venv/bin/python scripts/build_geo_data.py

The package's data set comes from the General Statistics Office lists of administrative
units; we keep only names, official codes, coordinates and the 2025 legacy-to-new mapping.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ocop" / "geo" / "data"


def main() -> None:
    data_dir = resources.files("vietnamadminunits") / "data"
    db = sqlite3.connect(str(data_dir / "dataset.db"))
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    communes = db.execute(
        "SELECT wardCode, ward, wardType, provinceCode, wardLat, wardLon, provinceKey, wardKey"
        " FROM admin_units ORDER BY provinceCode, wardCode"
    ).fetchall()
    new_code = {(pk, wk): code for code, _n, _t, _p, _la, _lo, pk, wk in communes}
    with open(OUT / "communes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "province_code", "lat", "lon"])
        for code, name, kind, prov, lat, lon, _pk, _wk in communes:
            w.writerow([code, name, kind, prov, lat, lon])

    provinces = db.execute(
        "SELECT DISTINCT provinceCode, province, provinceLat, provinceLon FROM admin_units ORDER BY provinceCode"
    ).fetchall()
    with open(OUT / "provinces.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "full_name", "lat", "lon"])
        w.writerows(provinces)

    legacy = db.execute(
        "SELECT provinceCode, districtCode, district, districtType, wardCode, ward, wardType,"
        " provinceKey, districtKey, wardKey FROM admin_units_legacy"
        " WHERE wardCode IS NOT NULL AND wardCode != '' ORDER BY provinceCode, districtCode, wardCode"
    ).fetchall()

    # New province key -> (old key -> new ward code) for wards merged whole into one new ward.
    whole: dict[str, str] = {}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                whole[old_key] = new_code[(new_pkey, new_wkey)]
    split: dict[str, list[str]] = {}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in wards.items():
            split[old_key] = [new_code[(new_pkey, t["newWardKey"])] for t in targets]

    districts = {}
    with open(OUT / "legacy_communes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "district_code", "successor_code", "split_into"])
        for pcode, dcode, dname, dtype, wcode, wname, wtype, pkey, dkey, wkey in legacy:
            districts[dcode] = (dname, dtype, pcode)
            old_key = f"{pkey}_{dkey}_{wkey}"
            targets = split.get(old_key)
            successor = "" if targets else whole.get(old_key, "")
            w.writerow([wcode, wname, wtype, dcode, successor, ";".join(targets or [])])

    with open(OUT / "legacy_districts.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "province_code"])
        for dcode in sorted(districts):
            dname, dtype, pcode = districts[dcode]
            w.writerow([dcode, dname, dtype, pcode])


if __name__ == "__main__":
    main()
