"""What a scan says about a stamp: its status now and on the production date, and the counterfeit signals.

The rules (documented in docs/domain.md, tested in tests/test_scan.py):

- **many_scans** — one code scanned `MANY_IN_A_DAY` times within 24 hours, or `MANY_IN_ALL` times in all: a
  package is scanned by its buyer and a few people around them; a printed copy of one genuine stamp is scanned by
  everyone who buys a copy.
- **far_apart** — scans of one code placed in `PROVINCES_IN_A_DAY` different provinces within 24 hours, or in two
  provinces whose centres are farther apart than a person travels in the time between the scans
  (`TRAVEL_KMH`, beyond `NEAR_KM`). Places are the provinces people chose or their browsers granted.
- **unknown_code** — a code that was never issued, read from a product's own GS1 Digital Link address (its GTIN),
  or well formed (its check letter right) on the short address: someone printed codes of their own.
- **wrong_product** — an issued code read from the address of another product or lot: a genuine code copied.
- **not_printed** — a scan of a series whose labels were never downloaded: the codes leaked before printing.
- **after_revocation** — a stamp of a revoked certificate scanned after the revocation: the goods still carry
  the stars on the shelves.
Bots (crawlers, link previews) are not counted.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ocop.catalog.models import CertificateStatus
from ocop.certification.rules import certificate_status_on, certificate_status_stored
from ocop.core import gs1
from ocop.stamps import codes
from ocop.stamps import services as stamp_services
from ocop.stamps.models import Scan, Signal, Stamp

MANY_IN_A_DAY = 20
MANY_IN_ALL = 100
PROVINCES_IN_A_DAY = 3
TRAVEL_KMH = 120
NEAR_KM = 100
COPIED_RULES = (Signal.Rule.MANY_SCANS, Signal.Rule.FAR_APART, Signal.Rule.NOT_PRINTED, Signal.Rule.WRONG_PRODUCT)

_AGENTS = [  # first match wins: in-app browsers before the engines they embed
    ("bot", re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|curl|wget|python-|okhttp|go-http", re.I)),
    ("Zalo", re.compile(r"Zalo", re.I)),
    ("Facebook", re.compile(r"FBAN|FBAV|FB_IAB", re.I)),
    ("TikTok", re.compile(r"TikTok|musical_ly|BytedanceWebview", re.I)),
    ("Cốc Cốc", re.compile(r"coc_coc_browser", re.I)),
    ("Samsung Internet", re.compile(r"SamsungBrowser", re.I)),
    ("Edge", re.compile(r"Edg/|EdgA/|EdgiOS/", re.I)),
    ("Opera", re.compile(r"OPR/|Opera", re.I)),
    ("Firefox", re.compile(r"Firefox/|FxiOS/", re.I)),
    ("Chrome", re.compile(r"Chrome/|CriOS/", re.I)),
    ("Safari", re.compile(r"Safari/", re.I)),
]


def agent_family(user_agent: str) -> str:
    """The browser's family from its User-Agent ("Zalo", "Chrome", "Safari", …; "bot" for crawlers)."""
    for family, pattern in _AGENTS:
        if pattern.search(user_agent or ""):
            return family
    return "other"


def network_of(address: str | None) -> str:
    """The address cut to its network: IPv4 to /24, IPv6 to /48 (a person is not identified by it)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def nearest_province(lat: float, lon: float, provinces: list[Any]) -> Any | None:
    """The province whose centre is nearest a point (the point itself is not kept)."""
    placed = [p for p in provinces if p.lat is not None and p.lon is not None]
    if not placed or not (8 <= lat <= 24 and 102 <= lon <= 110):
        return None
    return min(placed, key=lambda p: distance_km((lat, lon), (p.lat, p.lon)))


@dataclass
class ScanResult:
    """What the scan page shows."""

    code: str
    outcome: str
    stamp: Stamp | None = None
    scan: Scan | None = None
    status_now: str = ""
    status_when_made: str = ""
    scans: int = 0
    copied: bool = False
    well_formed: bool = False

    @property
    def batch(self):
        return self.stamp.series.batch if self.stamp else None

    @property
    def certificate(self):
        return self.batch.certificate if self.batch else None


def _stamp(code: str) -> Stamp | None:
    open_copy_signal = Signal.objects.filter(stamp=OuterRef("pk"), status=Signal.Status.OPEN, rule__in=COPIED_RULES)
    return (
        Stamp.objects.select_related(
            "series__batch__certificate",
            "series__batch__product__producer__province",
        )
        .annotate(flagged=Exists(open_copy_signal))
        .filter(code=code)
        .first()
    )  # fmt: skip


def scan_take(*, code: str, network: str, agent: str, gtin: str = "", lot: str = "") -> ScanResult:
    """Read a stamp as scanned (from /t/{code} or its GS1 Digital Link), store the scan, raise the signals."""
    from ocop.catalog.models import Product

    code = codes.normalise(code)
    counted = agent != "bot"
    result = ScanResult(code=code, outcome=Scan.Outcome.UNKNOWN, well_formed=codes.is_well_formed(code))
    stamp = _stamp(code) if result.well_formed else None
    path_product = None
    if gtin:
        path_product = Product.objects.filter(gtin__in={gtin, gs1.gtin14(gtin), gtin.lstrip("0")}).only("id").first()
    if stamp is None:
        result.outcome = Scan.Outcome.MISTYPED if codes.looks_like_a_code(code) and not result.well_formed else (
            Scan.Outcome.UNKNOWN)  # fmt: skip
        product_id = path_product.pk if path_product else None
        if counted:
            result.scan = stamp_services.scan_record(code=code, stamp=None, product_id=product_id,
                                                     outcome=result.outcome, network=network, agent=agent)  # fmt: skip
            if result.outcome == Scan.Outcome.UNKNOWN and (product_id or result.well_formed):
                stamp_services.signal_raise(rule=Signal.Rule.UNKNOWN_CODE, code=code, stamp=None,
                                            product_id=product_id, facts={"gtin": gtin} if gtin else {})  # fmt: skip
        return result

    batch = stamp.series.batch
    product = batch.product
    today = timezone.localdate()
    result.stamp = stamp
    result.status_now = certificate_status_stored(batch.certificate, today)
    result.status_when_made = certificate_status_on(batch.certificate, batch.produced_on)
    wrong_path = bool(gtin) and (
        gs1.gtin14(gtin) != gs1.gtin14(product.gtin or "") or lot.casefold() != batch.lot.casefold()
    )
    result.outcome = Scan.Outcome.MISMATCH if wrong_path else result.status_now
    since = timezone.now() - dt.timedelta(hours=24)
    history = Scan.objects.filter(stamp=stamp).aggregate(
        total=Count("id"), day=Count("id", filter=Q(at__gte=since)),
    )  # fmt: skip
    result.scans = history["total"] + (1 if counted else 0)
    result.copied = bool(getattr(stamp, "flagged", False)) or wrong_path
    if not counted:
        return result
    result.scan = stamp_services.scan_record(code=code, stamp=stamp, product_id=product.pk, outcome=result.outcome,
                                             network=network, agent=agent)  # fmt: skip

    def signal(rule: str, facts: dict | None = None) -> None:
        stamp_services.signal_raise(rule=rule, code=code, stamp=stamp, product_id=product.pk, facts=facts)
        if rule in COPIED_RULES:
            result.copied = True

    if history["day"] + 1 >= MANY_IN_A_DAY or history["total"] + 1 >= MANY_IN_ALL:
        signal(Signal.Rule.MANY_SCANS, {"day": history["day"] + 1, "total": history["total"] + 1})
    if wrong_path:
        signal(Signal.Rule.WRONG_PRODUCT, {"gtin": gtin, "lot": lot})
    if stamp.series.printed_at is None:
        signal(Signal.Rule.NOT_PRINTED)
    if result.status_now == CertificateStatus.REVOKED:
        signal(Signal.Rule.AFTER_REVOCATION)
    return result


def place_check(scan: Scan) -> bool:
    """After a scan was placed in a province: raise far_apart when the code's placed scans of the last 24 hours
    span too many provinces or provinces too far apart for the time between them. True when raised."""
    if scan.stamp_id is None or scan.province is None:
        return False
    since = scan.at - dt.timedelta(hours=24)
    placed = list(
        Scan.objects.filter(stamp_id=scan.stamp_id, province__isnull=False, at__gte=since)
        .exclude(pk=scan.pk)
        .select_related("province")
        .order_by("-at")[:200]
    )
    provinces = {s.province_id for s in placed} | {scan.province_id}
    reason: dict = {}
    if len(provinces) >= PROVINCES_IN_A_DAY:
        reason = {"provinces": len(provinces)}
    here = scan.province
    for other in placed:
        there = other.province
        if reason or there is None or there.pk == here.pk or None in (here.lat, here.lon, there.lat, there.lon):
            continue
        km = distance_km((float(here.lat), float(here.lon)), (float(there.lat), float(there.lon)))  # type: ignore[arg-type]
        hours = abs((scan.at - other.at).total_seconds()) / 3600
        if km > NEAR_KM and km > TRAVEL_KMH * hours:
            reason = {"from": there.name, "to": here.name, "km": round(km), "minutes": round(hours * 60)}
    if reason:
        stamp_services.signal_raise(rule=Signal.Rule.FAR_APART, code=scan.code, stamp=scan.stamp,
                                    product_id=scan.product_id, facts=reason)  # fmt: skip
    return bool(reason)
