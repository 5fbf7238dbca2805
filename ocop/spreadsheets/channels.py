"""Bulk import of sales channels: a list of products on e-commerce platforms, in supermarkets or exported, as a
trade-promotion office keeps it in a spreadsheet ("danh sách sản phẩm OCOP lên sàn thương mại điện tử").

Each row names a product (by certificate number, or by product name with the producer's name when two products
share a name) and a channel (platform, chain or country, with a link, a store count and dates). Rows are applied
in one transaction: a channel the product already has (same kind and name) is updated, so sending the same file
again changes nothing; a row that cannot be used is reported with its row number and reason, and the others
are kept. Products are looked up in the officer's province only (the whole country for the central office)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.permissions import is_central
from ocop.catalog.models import Product
from ocop.core.errors import ApplicationError
from ocop.core.exporting import Column, Exporter
from ocop.core.services import audit_log, model_changes
from ocop.core.text import plain_text, vn_fold
from ocop.market.models import SalesChannel
from ocop.market.services import products_sync_channels
from ocop.spreadsheets import coercion
from ocop.spreadsheets.headers import FIELDS, fold_header

MAX_ROWS = 5_000  # a province's platform list is a few hundred rows: read in the request, within bounds
MAX_BYTES = 5 * 1024 * 1024
Kind = SalesChannel.Kind

HEADERS: dict[str, list[str]] = {
    "certificate": ["so giay chung nhan", "so gcn", "so chung nhan", "ma chung nhan", "giay chung nhan",
                    "so giay chung nhan ocop", "ma so ocop"],
    "product_name": FIELDS["product_name"][1],
    "producer_name": FIELDS["producer_name"][1],
    "kind": ["loai kenh", "kenh", "kenh ban", "kenh ban hang", "hinh thuc ban", "loai kenh ban", "kenh tieu thu"],
    "name": ["san thuong mai dien tu", "san tmdt", "san", "nen tang", "ten san", "he thong", "he thong ban le",
             "sieu thi", "thi truong", "thi truong xuat khau", "ten kenh", "kenh phan phoi", "noi ban",
             "san thuong mai dien tu tham gia", "ten he thong", "nuoc xuat khau"],
    "url": ["duong dan", "link", "lien ket", "dia chi gian hang", "url", "duong link", "link gian hang",
            "link san pham", "dia chi website"],
    "stores": ["so cua hang", "so diem ban", "so sieu thi", "so cua hang ban"],
    "since": ["tu ngay", "ngay bat dau", "ngay len san", "ngay ky", "ngay tham gia"],
    "until": ["den ngay", "ngay ket thuc", "ngay dung ban"],
}  # fmt: skip
_SYNONYMS = {synonym: name for name, synonyms in HEADERS.items() for synonym in synonyms}
PLATFORMS = {"shopee", "lazada", "tiki", "sendo", "tiktok shop", "tiktok", "postmart", "voso", "amazon", "alibaba",
             "facebook", "zalo", "ocop viet nam"}  # fmt: skip
CHAINS = {"co.opmart", "coopmart", "co op mart", "winmart", "winmart+", "bach hoa xanh", "mm mega market",
          "lotte mart", "aeon", "big c", "go!", "emart", "satra"}  # fmt: skip
_CERTIFICATE_SPACE = re.compile(r"\s+")


def _field_for(header: Any) -> str | None:
    folded = fold_header(header)
    if folded in _SYNONYMS:
        return _SYNONYMS[folded]
    best = max((s for s in _SYNONYMS if len(s) > 3 and folded.startswith(s + " ")), key=len, default=None)
    return _SYNONYMS[best] if best else None


def kind_of(value: Any, name: str, default: str) -> str | None:
    """The channel kind a cell states ("Sàn TMĐT", "Siêu thị", "Xuất khẩu"), else the one its name implies
    (Shopee is a platform, Co.opmart a chain), else the kind the officer chose for the file."""
    folded = vn_fold(coercion.text(value)).strip()
    if folded:
        if any(w in folded for w in ("thuong mai dien tu", "tmdt", "san", "online", "truc tuyen", "e-commerce",
                                     "ecommerce", "website")):  # fmt: skip
            return Kind.ECOMMERCE
        if any(w in folded for w in ("sieu thi", "ban le", "cua hang", "retail", "chuoi", "he thong")):
            return Kind.RETAIL
        if any(w in folded for w in ("xuat khau", "export", "nuoc ngoai")):
            return Kind.EXPORT
        return None
    named = vn_fold(name).strip()
    if named in PLATFORMS:
        return Kind.ECOMMERCE
    if named in CHAINS:
        return Kind.RETAIL
    return default or None


@dataclass
class RowOutcome:
    row: int
    status: str  # new, updated, unchanged, rejected
    product: str = ""
    channel: str = ""
    reason: str = ""


@dataclass
class ChannelImport:
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys(("new", "updated", "unchanged", "rejected"), 0)
        for outcome in self.outcomes:
            counted[outcome.status] += 1
        return counted

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status == "rejected"]


class _Products:
    """The products a row may name: by certificate number, or by folded name (and producer)."""

    def __init__(self, by: Any) -> None:
        products = Product.objects.exclude(status=Product.Status.DRAFT)
        if not is_central(by):
            products = products.filter(province_id=by.province_id or 0)
        rows = products.values_list("pk", "name", "producer__name", "certificates__number")
        self.by_certificate: dict[str, int] = {}
        self.by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        seen: set[int] = set()
        for pk, name, producer, number in rows:
            if number:
                self.by_certificate[_certificate_key(number)] = pk
            if pk not in seen:
                seen.add(pk)
                self.by_name[vn_fold(name).strip()].append((pk, name, vn_fold(producer or "").strip()))

    def find(self, certificate: str, name: str, producer: str) -> tuple[int | None, str]:
        if certificate:
            pk = self.by_certificate.get(_certificate_key(certificate))
            if pk is not None:
                return pk, ""
            if not name:
                return None, _("no product of your area holds certificate %(n)s") % {"n": certificate}
        if not name:
            return None, _("give the certificate number or the product name")
        found = self.by_name.get(vn_fold(name).strip(), [])
        if len(found) > 1 and producer:
            wanted = vn_fold(producer).strip()
            found = [f for f in found if f[2] == wanted or wanted in f[2] or f[2] in wanted]
        if not found:
            return None, _("no product of your area is named “%(name)s”") % {"name": name}
        if len(found) > 1:
            return None, _("%(n)s products are named “%(name)s”; give the certificate number or the producer") % {
                "n": len(found), "name": name}  # fmt: skip
        return found[0][0], ""


def _certificate_key(number: str) -> str:
    return _CERTIFICATE_SPACE.sub("", coercion.text(number)).upper()


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row (within the first 25) and field → column; it must name a product and a channel."""
    for index, row in enumerate(rows[:25]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = _field_for(cell) if cell not in (None, "") else None
            if name and name not in columns:
                columns[name] = col
        if ("certificate" in columns or "product_name" in columns) and "name" in columns:
            return index, columns
    raise ApplicationError(
        _("No header row names a product (“Số giấy chứng nhận” or “Tên sản phẩm”) and a channel (“Sàn thương mại "
          "điện tử”, “Hệ thống bán lẻ” or “Thị trường”); download the sample sheet to see the expected columns."),
        code="no_header",
    )  # fmt: skip


def channels_import(*, rows: list[list[Any]], by: Any, default_kind: str = "") -> ChannelImport:
    """Apply a channel list's rows; every row gets an outcome (see the module's docstring)."""
    if not (is_central(by) or getattr(by, "province_id", None)):
        raise ApplicationError(_("Sales channels are imported by the provinces' trade-promotion offices."),
                               code="forbidden")  # fmt: skip
    start, columns = _header(rows)
    products = _Products(by)
    result = ChannelImport()
    parsed: list[tuple[int, int, str, str, dict[str, Any]]] = []

    def cell(row: list[Any], name: str) -> Any:
        col = columns.get(name)
        return row[col] if col is not None and col < len(row) else None

    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(value not in (None, "") for value in row):
            continue
        product_name, channel_name = coercion.text(cell(row, "product_name")), coercion.text(cell(row, "name"))
        outcome = RowOutcome(row=number, status="rejected", product=product_name, channel=channel_name)
        result.outcomes.append(outcome)
        pk, reason = products.find(coercion.text(cell(row, "certificate")), product_name,
                                   coercion.text(cell(row, "producer_name")))  # fmt: skip
        if pk is None:
            outcome.reason = reason
            continue
        if not channel_name:
            outcome.reason = _("the platform, chain or country is empty")
            continue
        kind = kind_of(cell(row, "kind"), channel_name, default_kind)
        if kind is None:
            outcome.reason = _("say whether “%(name)s” is a platform, a retail chain or an export market") % {
                "name": channel_name}  # fmt: skip
            continue
        try:
            fields = _fields(row, cell, kind)
        except (coercion.CellError, ValueError) as error:
            outcome.reason = str(error)
            continue
        parsed.append((len(result.outcomes) - 1, pk, kind, plain_text(channel_name)[:120], fields))
    _apply(parsed, result, by)
    return result


def _fields(row: list[Any], cell: Any, kind: str) -> dict[str, Any]:
    url = coercion.text(cell(row, "url")).strip()
    if url and not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    if url and (len(url) > 200 or " " in url or "." not in url):
        raise ValueError(_("the link “%(url)s” is not a web address") % {"url": url[:60]})
    if kind == Kind.ECOMMERCE and not url:
        raise ValueError(_("an e-commerce listing needs its link"))
    stores = cell(row, "stores")
    count = None
    if stores not in (None, ""):
        try:
            count = int(float(coercion.text(stores).replace(".", "").replace(",", "")))
        except ValueError:
            raise ValueError(_("the number of stores “%(v)s” is not a whole number") % {"v": stores}) from None
        if count < 0 or count > 100_000:
            raise ValueError(_("the number of stores “%(v)s” is not plausible") % {"v": stores})
    dates = []
    for name in ("since", "until"):
        try:
            dates.append(coercion.date(cell(row, name)))
        except coercion.CellError as error:
            raise ValueError(_("“%(value)s” %(problem)s") % {"value": coercion.text(cell(row, name)),
                                                            "problem": error}) from None  # fmt: skip
    since, until = dates
    if since and until and until < since:
        raise ValueError(_("the end date is before the start date"))
    return {"url": url, "stores": count, "since": since, "until": until}


@transaction.atomic
def _apply(parsed: list[tuple[int, int, str, str, dict[str, Any]]], result: ChannelImport, by: Any) -> None:
    """Create or update the channels; one query reads the products' channels, writes touch only what changed."""
    product_ids = {pk for _i, pk, _k, _n, _f in parsed}
    existing: dict[tuple[int, str, str], SalesChannel] = {}
    for known in SalesChannel.objects.filter(product_id__in=product_ids).select_related("contract"):
        existing.setdefault((known.product_id, known.kind, vn_fold(known.name)), known)
    touched: set[int] = set()
    for index, pk, kind, name, fields in parsed:
        outcome = result.outcomes[index]
        found = existing.get((pk, kind, vn_fold(name)))
        if found is None:
            channel = SalesChannel(product_id=pk, kind=kind, name=name, **fields)
            channel.full_clean()
            channel.save()
            existing[(pk, kind, vn_fold(name))] = channel
            audit_log(code="market.saleschannel.added", obj=channel, actor=by, reason="import")
            outcome.status = "new"
            touched.add(pk)
            continue
        channel = found
        if hasattr(channel, "contract"):  # a missing reverse one-to-one raises an AttributeError
            outcome.status, outcome.reason = "unchanged", _("kept by its retail contract")
            continue
        before = {key: getattr(channel, key) for key in fields}
        changes = model_changes(before, fields)
        if not changes:
            outcome.status = "unchanged"
            continue
        for key, value in fields.items():
            setattr(channel, key, value)
        channel.full_clean()
        channel.save()
        audit_log(code="market.saleschannel.updated", obj=channel, actor=by, changes=changes, reason="import")
        outcome.status = "updated"
        touched.add(pk)
    if touched:
        products_sync_channels(touched)


class ChannelSampleExporter(Exporter):
    """The columns the import reads, with two example rows, as a sheet to fill in."""

    title = "DANH SÁCH SẢN PHẨM OCOP THAM GIA KÊNH PHÂN PHỐI"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda r: None, 6),
        ("Số giấy chứng nhận", lambda r: r[0], 22),
        ("Tên sản phẩm", lambda r: r[1], 36),
        ("Chủ thể", lambda r: r[2], 32),
        ("Loại kênh", lambda r: r[3], 18),
        ("Sàn thương mại điện tử / Hệ thống bán lẻ / Thị trường", lambda r: r[4], 30),
        ("Đường dẫn", lambda r: r[5], 40),
        ("Số cửa hàng", lambda r: r[6], 10),
        ("Từ ngày", lambda r: r[7], 14),
        ("Đến ngày", lambda r: r[8], 14),
    ]


SAMPLE_ROWS = [
    ("", "Miến dong Nguyên Bình", "Hợp tác xã Miến dong Nguyên Bình", "Sàn thương mại điện tử", "Shopee",
     "https://shopee.vn/mien-dong-nguyen-binh", None, "01/03/2025", ""),
    ("", "Miến dong Nguyên Bình", "Hợp tác xã Miến dong Nguyên Bình", "Siêu thị", "Co.opmart", "", 12,
     "15/06/2025", ""),
]  # fmt: skip
