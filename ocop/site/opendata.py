"""Open data: the public catalog as downloadable data sets (CSV and JSON Lines), a data dictionary and a
DCAT-style catalog.json, regenerated nightly (`manage.py opendata_dump`) or on demand (a background task).

Files are written beside each other under OCOP_OPENDATA_DIR (var/opendata by default), each to a temporary
name first and then renamed, so a download never sees a half-written file. Rows stream from the database
in chunks; memory stays flat whatever the size of the catalog.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from ocop.catalog.selectors import product_search_base
from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_status_stored_expression
from ocop.core.exporting import formula_safe
from ocop.producers.models import Producer

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number | date | boolean
    description: str
    description_vi: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    title_vi: str
    description: str
    description_vi: str
    columns: list[Column]
    rows: Callable[[], Iterator[list[Any]]]


def _products() -> Iterator[list[Any]]:
    fields = (
        "pk", "name", "producer_id", "category__code", "category__name", "province__code", "province__name",
        "commune__code", "commune__name", "legacy_province__code", "stars", "certificate_status", "certified_on",
        "price_min", "price_max", "unit", "has_ecommerce", "in_retail", "exported",
    )  # fmt: skip
    queryset = product_search_base().order_by("pk").values_list(*fields)
    for row in queryset.iterator(chunk_size=CHUNK):
        yield list(row)


def _producers() -> Iterator[list[Any]]:
    listed = product_search_base().values("producer_id")
    fields = (
        "pk", "name", "kind", "tax_code", "province__code", "province__name", "commune__code", "commune__name",
        "legacy_province__code", "website",
    )  # fmt: skip
    queryset = Producer.objects.filter(pk__in=listed).order_by("pk").values_list(*fields)
    for row in queryset.iterator(chunk_size=CHUNK):
        yield list(row)


def _certificates() -> Iterator[list[Any]]:
    today = timezone.localdate()
    fields = (
        "number", "verification_code", "product_id", "stars", "score", "level", "issuer", "decision_number",
        "issued_on", "expires_on", "revoked_on", "status",
    )  # fmt: skip
    queryset = (
        Certificate.objects.filter(product__in=product_search_base())
        .annotate(status_today=certificate_status_stored_expression(today))
        .order_by("pk")
        .values_list(*fields[:-1], "status_today")
    )  # the status on the day of the dump, whether or not the nightly task has run
    for row in queryset.iterator(chunk_size=CHUNK):
        values = list(row)
        values[4] = float(values[4]) if values[4] is not None else None
        yield values


def _c(name: str, type_: str, en: str, vi: str) -> Column:
    return Column(name, type_, en, vi)


DATASETS = [
    Dataset(
        "products",
        "OCOP products",
        "Sản phẩm OCOP",
        "Every product in the public catalog (certified at least once), with its current certificate.",
        "Mọi sản phẩm trong danh mục công khai (đã được chứng nhận ít nhất một lần), kèm giấy chứng nhận hiện hành.",
        [
            _c("id", "integer", "Product id (stable; also in the API)", "Mã sản phẩm"),
            _c("name", "string", "Product name", "Tên sản phẩm"),
            _c("producer_id", "integer", "Producer id (producers data set)", "Mã chủ thể"),
            _c("category_code", "string", "Criteria-set or subgroup code (Decision 148/QĐ-TTg)", "Mã bộ tiêu chí"),
            _c("category_name", "string", "Criteria-set or subgroup name", "Tên bộ tiêu chí"),
            _c("province_code", "string", "Today's province code", "Mã tỉnh hiện nay"),
            _c("province_name", "string", "Today's province", "Tỉnh hiện nay"),
            _c("commune_code", "string", "Today's commune code", "Mã xã hiện nay"),
            _c("commune_name", "string", "Today's commune", "Xã hiện nay"),
            _c("former_province_code", "string", "Province code before 1 July 2025", "Mã tỉnh cũ"),
            _c("stars", "integer", "Stars of the latest certificate (3–5)", "Hạng sao"),
            _c("certificate_status", "string", "valid | expired | revoked", "Tình trạng chứng nhận"),
            _c("certified_on", "date", "Date of the latest certificate", "Ngày công nhận gần nhất"),
            _c("price_min", "integer", "Lowest price, VND", "Giá thấp nhất (đồng)"),
            _c("price_max", "integer", "Highest price, VND", "Giá cao nhất (đồng)"),
            _c("unit", "string", "Unit of sale", "Đơn vị tính"),
            _c("on_ecommerce", "boolean", "Listed on an e-commerce platform", "Có trên sàn TMĐT"),
            _c("in_retail", "boolean", "Under a retail-chain contract", "Có trong hệ thống bán lẻ"),
            _c("exported", "boolean", "Exported", "Đã xuất khẩu"),
        ],
        _products,
    ),
    Dataset(
        "producers",
        "OCOP producers",
        "Chủ thể OCOP",
        "Producers (enterprises, cooperatives, cooperative groups, household businesses) with public products.",
        "Các chủ thể (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ sản xuất kinh doanh) có sản phẩm công khai.",
        [
            _c("id", "integer", "Producer id", "Mã chủ thể"),
            _c("name", "string", "Name", "Tên chủ thể"),
            _c("kind", "string", "enterprise | cooperative | cooperative_group | household", "Loại hình"),
            _c("tax_code", "string", "Tax code, where known", "Mã số thuế"),
            _c("province_code", "string", "Today's province code", "Mã tỉnh"),
            _c("province_name", "string", "Today's province", "Tỉnh"),
            _c("commune_code", "string", "Today's commune code", "Mã xã"),
            _c("commune_name", "string", "Today's commune", "Xã"),
            _c("former_province_code", "string", "Province code before 1 July 2025", "Mã tỉnh cũ"),
            _c("website", "string", "Website", "Trang web"),
        ],
        _producers,
    ),
    Dataset(
        "certificates",
        "OCOP certificates",
        "Giấy chứng nhận OCOP",
        "Every certificate of the public products, with its status on the day of the dump.",
        "Mọi giấy chứng nhận của các sản phẩm công khai, kèm tình trạng vào ngày xuất dữ liệu.",
        [
            _c("number", "string", "Certificate number", "Số giấy chứng nhận"),
            _c("verification_code", "string", "Verification code (QR code, /verify/<code>/)", "Mã xác minh"),
            _c("product_id", "integer", "Product id (products data set)", "Mã sản phẩm"),
            _c("stars", "integer", "Stars (3–5)", "Hạng sao"),
            _c("score", "number", "Council score out of 100, where published", "Điểm"),
            _c("level", "string", "Certifying level: district | province | central", "Cấp công nhận"),
            _c("issuer", "string", "Issuing body", "Cơ quan ban hành"),
            _c("decision_number", "string", "Decision number", "Số quyết định"),
            _c("issued_on", "date", "Decision date", "Ngày quyết định"),
            _c("expires_on", "date", "End of validity (36 months)", "Ngày hết hạn"),
            _c("revoked_on", "date", "Date of revocation, if revoked", "Ngày thu hồi"),
            _c("status", "string", "valid | expired | revoked, on the day of the dump", "Tình trạng"),
        ],
        _certificates,
    ),
]
FORMATS = {"csv": "text/csv", "jsonl": "application/x-ndjson"}


def opendata_dir() -> Path:
    path = Path(settings.OCOP_OPENDATA_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet opens as data, never as a formula (JSON Lines keep the text as it is)."""
    return formula_safe(value) if isinstance(value, str) else value


def _write(path: Path, write: Callable[[Any], int]) -> dict[str, Any]:
    """Write through `write(file)` to a temporary name, then rename: readers never see half a file."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        rows = write(handle)
    digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
    os.replace(temporary, path)
    return {"rows": rows, "bytes": path.stat().st_size, "sha256": digest}


def opendata_dump(*, base_url: str = "") -> dict[str, Any]:
    """Write every data set as CSV and JSON Lines, the data dictionary and catalog.json; returns the catalog."""
    folder = opendata_dir()
    generated = timezone.now().replace(microsecond=0)
    distributions: dict[str, dict[str, Any]] = {}
    for dataset in DATASETS:
        names = [c.name for c in dataset.columns]

        def write_csv(handle, dataset=dataset, names=names) -> int:
            handle.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
            writer = csv.writer(handle)
            writer.writerow(names)
            count = 0
            for row in dataset.rows():
                writer.writerow(["" if v is None else _csv_cell(_value(v)) for v in row])
                count += 1
            return count

        def write_jsonl(handle, dataset=dataset, names=names) -> int:
            count = 0
            for row in dataset.rows():
                handle.write(json.dumps(dict(zip(names, map(_value, row), strict=True)), ensure_ascii=False))
                handle.write("\n")
                count += 1
            return count

        distributions[f"{dataset.name}.csv"] = _write(folder / f"{dataset.name}.csv", write_csv)
        distributions[f"{dataset.name}.jsonl"] = _write(folder / f"{dataset.name}.jsonl", write_jsonl)
    dictionary = {
        dataset.name: {
            "title": dataset.title,
            "title_vi": dataset.title_vi,
            "description": dataset.description,
            "columns": [vars(c) for c in dataset.columns],
        }
        for dataset in DATASETS
    }
    _write(folder / "data-dictionary.json", lambda h: h.write(json.dumps(dictionary, ensure_ascii=False, indent=2)))
    catalog = dcat_catalog(distributions, generated, base_url)
    _write(folder / "catalog.json", lambda h: h.write(json.dumps(catalog, ensure_ascii=False, indent=2)))
    return catalog


def dcat_catalog(distributions: dict[str, dict[str, Any]], generated: dt.datetime, base_url: str) -> dict[str, Any]:
    """A DCAT-AP style description (JSON-LD) of the data sets and their files."""
    base = base_url.rstrip("/") + "/du-lieu-mo/"
    return {
        "@context": "https://www.w3.org/ns/dcat.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": "OCOP Connect — dữ liệu mở / open data",
        "dct:description": "Sản phẩm, chủ thể và giấy chứng nhận OCOP công khai. Public OCOP products, producers, "
        "certificates.",
        "dct:language": ["vi", "en"],
        "dct:license": "https://creativecommons.org/licenses/by/4.0/",
        "dct:modified": generated.isoformat(),
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.name,
                "dct:title": [
                    {"@language": "vi", "@value": dataset.title_vi},
                    {"@language": "en", "@value": dataset.title},
                ],
                "dct:description": dataset.description,
                "dct:modified": generated.isoformat(),
                "dct:conformsTo": base + "data-dictionary.json",
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": base + f"{dataset.name}.{fmt}",
                        "dcat:mediaType": media_type,
                        "dcat:byteSize": distributions[f"{dataset.name}.{fmt}"]["bytes"],
                        "spdx:checksum": {
                            "spdx:algorithm": "sha256",
                            "spdx:checksumValue": distributions[f"{dataset.name}.{fmt}"]["sha256"],
                        },
                        "ocop:rows": distributions[f"{dataset.name}.{fmt}"]["rows"],
                    }
                    for fmt, media_type in FORMATS.items()
                ],
            }
            for dataset in DATASETS
        ],
    }


def opendata_files() -> list[str]:
    """The names that may be downloaded (a fixed list: nothing else in the folder is served)."""
    return [f"{d.name}.{fmt}" for d in DATASETS for fmt in FORMATS] + ["data-dictionary.json", "catalog.json"]
