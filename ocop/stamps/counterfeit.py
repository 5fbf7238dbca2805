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
import functools
import ipaddress
import math
import re
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ocop.catalog.models import CertificateStatus
from ocop.certification.rules import certificate_status_on, certificate_status_stored
from ocop.core import gs1
from ocop.core.db import fetch_prepared
from ocop.stamps import codes, scanlog
from ocop.stamps import services as stamp_services
from ocop.stamps.models import Scan, Signal

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


@functools.lru_cache(maxsize=4096)  # a few hundred user agents make most of the scans
def agent_family(user_agent: str) -> str:
    """The browser's family from its User-Agent ("Zalo", "Chrome", "Safari", …; "bot" for crawlers)."""
    for family, pattern in _AGENTS:
        if pattern.search(user_agent or ""):
            return family
    return "other"


@functools.lru_cache(maxsize=4096)
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
    """What the scan page shows. `stamp`, `batch` and `certificate` are light read-only records (see `_lookup`)
    with the attribute paths of the models (batch.product.producer.province.name, …)."""

    code: str
    outcome: str
    stamp: Any = None
    token: str = ""  # the stored scan's (ocop/stamps/scanlog.py)
    status_now: str = ""
    status_when_made: str = ""
    scans: int = 0
    copied: bool = False
    well_formed: bool = False

    @property
    def batch(self) -> Any:
        return self.stamp.series.batch if self.stamp else None

    @property
    def certificate(self) -> Any:
        return self.batch.certificate if self.batch else None

    @property
    def scan(self) -> Scan | None:
        """The stored scan (read from the database: the page itself needs only its token)."""
        return scanlog.scan_by_token(self.token, self.code) if self.token else None


# The scan page is the busiest page of a campaign and every opening writes. Its read is one statement over the
# stamp and its series, with the stamp's scan counts and whether a copy signal is open; what the page shows of the
# batch, its product, producer, province and certificate is read by a second statement, once per batch and process
# for `OCOP_SCAN_FLUSH_MS` (1 s in production, every scan in the tests): a change shows within that second, as the
# scans of other processes count within it (scanlog.py). The scan itself goes to the scan log. (Through the ORM
# the same reads cost 3 ms of query building; on PostgreSQL they are prepared once per connection: planning the
# joins costs more than running them, and Django's client-side binding would plan them at every scan.) A signal's
# code is the code read, the stamp's own for a stamp's signal: matched by `code`, the open signals' unique index
# (rule, code) answers; a scalar subquery with LIMIT, not EXISTS, which PostgreSQL may turn into a hash of every
# open signal built at each scan (1 ms with 3,500 open signals).
_LOOKUP = """
SELECT st.code, st.serial, se.printed_at IS NOT NULL, se.batch_id,
       (SELECT COUNT(*) FROM stamps_scan sc WHERE sc.stamp_id = st.code),
       (SELECT COUNT(*) FROM stamps_scan sc WHERE sc.stamp_id = st.code AND sc.at >= %s),
       (SELECT 1 FROM stamps_signal sg WHERE sg.code = st.code AND sg.status = 'open'
        AND sg.rule IN ('many_scans', 'far_apart', 'not_printed', 'wrong_product') LIMIT 1)
FROM stamps_stamp st
JOIN stamps_stampseries se ON se.id = st.series_id
WHERE st.code = %s
"""
_BATCH = """
SELECT b.lot, b.produced_on, b.best_before,
       p.id, p.name, p.slug, p.gtin, p.stars, p.certificate_status, pr.name, pv.name,
       c.number, c.verification_code, c.stars, c.issued_on, c.expires_on, c.revoked_on, c.revocation_decision
FROM stamps_batch b
JOIN catalog_product p ON p.id = b.product_id
JOIN producers_producer pr ON pr.id = p.producer_id
LEFT JOIN geo_province pv ON pv.id = pr.province_id
JOIN certification_certificate c ON c.id = b.certificate_id
WHERE b.id = %s
"""
assert set(COPIED_RULES) == {"many_scans", "far_apart", "not_printed", "wrong_product"}  # the literal above


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


_BATCHES: dict[int, tuple[float, SimpleNamespace]] = {}  # batch id → (read at, its read-only record)


def _batch(cursor: Any, batch_id: int) -> SimpleNamespace:
    """The batch's read-only record (with the attribute paths of the models: product.producer.province.name, …);
    `key` holds every value the page shows (the page's cache key)."""
    seconds = settings.OCOP_SCAN_FLUSH_MS / 1000
    now = time.monotonic()
    cached = _BATCHES.get(batch_id)
    if cached is not None and now - cached[0] < seconds:
        return cached[1]
    key = tuple(fetch_prepared(cursor, "ocop_stamp_batch", "(bigint)", _BATCH, [batch_id]) or ())
    (lot, produced_on, best_before, product_id, name, slug, gtin, stars, status, producer, province, number,
     verification, cert_stars, issued_on, expires_on, revoked_on, decision) = key  # fmt: skip
    maker = SimpleNamespace(name=producer, province=SimpleNamespace(name=province or ""))
    product = SimpleNamespace(pk=product_id, id=product_id, name=name, slug=slug, gtin=gtin, stars=stars,
                              certificate_status=status, producer=maker)  # fmt: skip
    certificate = SimpleNamespace(number=number, verification_code=verification, stars=cert_stars,
                                  issued_on=_day(issued_on), expires_on=_day(expires_on), revoked_on=_day(revoked_on),
                                  revocation_decision=decision)  # fmt: skip
    batch = SimpleNamespace(lot=lot, produced_on=_day(produced_on), best_before=_day(best_before), product=product,
                            certificate=certificate, key=key)  # fmt: skip
    if seconds > 0:
        if len(_BATCHES) > 4096:
            _BATCHES.clear()
        _BATCHES[batch_id] = (now, batch)
    return batch


def _lookup(code: str, since: dt.datetime) -> tuple[Any, int, int, bool] | None:
    """(stamp, scans in all, scans since `since`, a copy signal open) for an issued code, else None."""
    with connection.cursor() as cursor:
        row = fetch_prepared(cursor, "ocop_stamp_lookup", "(timestamptz, varchar)", _LOOKUP,
                             [connection.ops.adapt_datetimefield_value(since), code])  # fmt: skip
        if row is None:
            return None
        batch = _batch(cursor, row[3])
    stamp = SimpleNamespace(code=row[0], pk=row[0], serial=row[1],
                            series=SimpleNamespace(printed=bool(row[2]), batch=batch))  # fmt: skip
    return stamp, int(row[4]), int(row[5]), bool(row[6])


def scan_take(*, code: str, network: str, agent: str, gtin: str = "", lot: str = "") -> ScanResult:
    """Read a stamp as scanned (from /t/{code} or its GS1 Digital Link), store the scan, raise the signals."""
    with scanlog.consistent():  # the counts read and the scan recorded with no write of the log between
        return _scan_take(code=code, network=network, agent=agent, gtin=gtin, lot=lot)


def _scan_take(*, code: str, network: str, agent: str, gtin: str, lot: str) -> ScanResult:
    from ocop.catalog.models import Product

    code = codes.normalise(code)
    counted = agent != "bot"
    result = ScanResult(code=code, outcome=Scan.Outcome.UNKNOWN, well_formed=codes.is_well_formed(code))
    found = _lookup(code, timezone.now() - dt.timedelta(hours=24)) if result.well_formed else None
    path_product = None
    if gtin:
        path_product = Product.objects.filter(gtin__in={gtin, gs1.gtin14(gtin), gtin.lstrip("0")}).only("id").first()
    if found is None:
        result.outcome = Scan.Outcome.MISTYPED if codes.looks_like_a_code(code) and not result.well_formed else (
            Scan.Outcome.UNKNOWN)  # fmt: skip
        product_id = path_product.pk if path_product else None
        if counted:
            result.token, _pending = scanlog.record(code=code, stamp_code=None, product_id=product_id,
                                                    outcome=result.outcome, network=network, agent=agent)  # fmt: skip
            if result.outcome == Scan.Outcome.UNKNOWN and (product_id or result.well_formed):
                stamp_services.signal_raise(rule=Signal.Rule.UNKNOWN_CODE, code=code, stamp_code=None,
                                            product_id=product_id, facts={"gtin": gtin} if gtin else {})  # fmt: skip
        return result

    stamp, total, day, flagged = found
    batch = stamp.series.batch
    product = batch.product
    result.stamp = stamp
    result.status_now = certificate_status_stored(batch.certificate, timezone.localdate())
    result.status_when_made = certificate_status_on(batch.certificate, batch.produced_on)
    wrong_path = bool(gtin) and (
        gs1.gtin14(gtin) != gs1.gtin14(product.gtin or "") or lot.casefold() != batch.lot.casefold()
    )
    result.outcome = Scan.Outcome.MISMATCH if wrong_path else result.status_now
    result.copied = flagged or wrong_path
    if not counted:
        result.scans = total + scanlog.pending(stamp.code)
        return result
    result.token, pending = scanlog.record(code=code, stamp_code=stamp.code, product_id=product.pk,
                                           outcome=result.outcome, network=network, agent=agent)  # fmt: skip
    # The database's counts and the scans this process holds unwritten (this one included) never overlap.
    total, day = total + pending, day + pending
    result.scans = total

    def signal(rule: str, facts: dict | None = None) -> None:
        stamp_services.signal_raise(rule=rule, code=code, stamp_code=stamp.code, product_id=product.pk, facts=facts)
        if rule in COPIED_RULES:
            result.copied = True

    if day >= MANY_IN_A_DAY or total >= MANY_IN_ALL:
        signal(Signal.Rule.MANY_SCANS, {"day": day, "total": total})
    if wrong_path:
        signal(Signal.Rule.WRONG_PRODUCT, {"gtin": gtin, "lot": lot})
    if not stamp.series.printed:
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
        stamp_services.signal_raise(rule=Signal.Rule.FAR_APART, code=scan.code, stamp_code=scan.stamp_id,
                                    product_id=scan.product_id, facts=reason)  # fmt: skip
    return bool(reason)
