"""The certificate rules, each written once: the number format and its allocation, the status on a day (in
Python and as a database expression), who certifies at which level, and the regime in force on a day.

Everything that asks "is this certificate valid on D?" — verification, the product page, the API, open data,
the statistics projection, the importer and the demo data — reads it here. The plain programme facts these
rules build on (certified stars 3–5, the first year) are in `ocop.core.programme`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Case, CharField, F, Max, Q, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Substr

from ocop.catalog.models import CertificateStatus, Regime
from ocop.certification.models import Certificate, CertificateSequence
from ocop.core.dates import certificate_expiry
from ocop.core.programme import CERTIFIED_STARS, PROGRAMME_FIRST_YEAR, is_certified_level

__all__ = [
    "CERTIFIED_STARS",
    "PROGRAMME_FIRST_YEAR",
    "CertificateStatus",
    "certificate_expiry",
    "is_certified_level",
]

# ---------------------------------------------------------------------------------------------------------
# Numbers and verification codes

# OCOP-<today's province code>-<year of the decision>-<serial of five digits>, e.g. OCOP-19-2024-00042.
NUMBER_PATTERN = re.compile(r"^OCOP-(?P<province>\d{2})-(?P<year>\d{4})-(?P<serial>\d{5})$")

# Crockford-style alphabet: no 0/O, 1/I/L confusion when a code is typed from a label.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31^12 ≈ 7.9e17 codes: unguessable by enumeration.
CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def certificate_number_format(*, province_code: str, year: int, serial: int) -> str:
    """The printed number of a certificate: OCOP-<province>-<year>-<serial>."""
    return f"OCOP-{province_code}-{year}-{serial:05d}"


def certificate_number_prefix(*, province_code: str, year: int) -> str:
    return f"OCOP-{province_code}-{year}-"


def certificate_number_serial(number: str) -> int | None:
    """The serial of a well-formed number, None for anything else."""
    match = NUMBER_PATTERN.match(number or "")
    return int(match["serial"]) if match else None


def certificate_numbers_allocate(*, province_code: str, year: int, count: int = 1) -> list[str]:
    """`count` consecutive new numbers for a province and year (see `certificate_numbers_allocate_many`)."""
    return certificate_numbers_allocate_many({(province_code, year): count}).get((province_code, year), [])


def certificate_numbers_allocate_many(counts: dict[tuple[str, int], int]) -> dict[tuple[str, int], list[str]]:
    """Consecutive new numbers for each (province code, year): `counts` says how many; taken under row locks.

    The last serial of a province and year is kept in a `CertificateSequence` row locked with SELECT … FOR UPDATE
    (SQLite's writes are serialised anyway), so two officers issuing at once, or an import beside a council's
    decision, never get the same number. A missing row is created from the highest number already stored, so
    numbers that arrived by other ways (an old import, the admin) are never reused. A few queries whatever the
    number of series (an import names hundreds). Must run inside a transaction.
    """
    keys = sorted(key for key, count in counts.items() if count > 0)
    if not keys:
        return {}

    def locked() -> dict[tuple[str, int], CertificateSequence]:
        # The rows of the provinces and years named (a few more than asked when a province's years differ):
        # one plain condition, where one OR per series made the statement as long as the list.
        rows = CertificateSequence.objects.select_for_update().filter(
            province_code__in={code for code, _year in keys}, year__in={year for _code, year in keys}
        )
        return {(row.province_code, row.year): row for row in rows.order_by("province_code", "year")}

    sequences = locked()
    missing = [key for key in keys if key not in sequences]
    if missing:
        prefixes = {certificate_number_prefix(province_code=code, year=year): (code, year) for code, year in missing}
        highest: dict[str, str] = {}
        for length in {len(prefix) for prefix in prefixes}:  # one read for every missing series
            start = Substr("number", 1, length)
            highest.update(
                Certificate.objects.annotate(series=start)
                .filter(series__in=[prefix for prefix in prefixes if len(prefix) == length])
                .order_by()
                .values("series")
                .annotate(highest=Max("number"))
                .values_list("series", "highest")
            )
        created = [
            CertificateSequence(province_code=code, year=year, last=certificate_number_serial(highest.get(prefix, ""))
                                or 0)
            for prefix, (code, year) in prefixes.items()
        ]  # fmt: skip
        # Another transaction may create the same row meanwhile: its row is kept, and locked below.
        CertificateSequence.objects.bulk_create(created, ignore_conflicts=True)
        sequences = locked()
    allocated: dict[tuple[str, int], list[str]] = {}
    for key in keys:
        sequence = sequences[key]
        first = sequence.last + 1
        sequence.last += counts[key]
        allocated[key] = [
            certificate_number_format(province_code=key[0], year=key[1], serial=serial)
            for serial in range(first, sequence.last + 1)
        ]
    CertificateSequence.objects.bulk_update([sequences[key] for key in keys], ["last"])
    return allocated


_CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH


def verification_code_new(rand: Any = None) -> str:
    """A random verification code (one draw from the 31^12 codes, written in the code alphabet); `rand` (a
    random.Random) makes it reproducible for demo data."""
    number = rand.randrange(_CODE_SPACE) if rand is not None else secrets.randbelow(_CODE_SPACE)
    letters = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


# ---------------------------------------------------------------------------------------------------------
# Status on a day


class CertificateDatesLike(Protocol):
    """A certificate, or anything carrying its three dates."""

    @property
    def issued_on(self) -> dt.date: ...
    @property
    def expires_on(self) -> dt.date: ...
    @property
    def revoked_on(self) -> dt.date | None: ...


NOT_YET_IN_FORCE = ""


def certificate_status_on(certificate: CertificateDatesLike, day: dt.date) -> str:
    """valid, expired or revoked on `day`, from the dates alone (whether or not the nightly task has run);
    "" on a day before the decision date. A revocation counts from its own date."""
    if certificate.revoked_on is not None and certificate.revoked_on <= day:
        return CertificateStatus.REVOKED
    if day < certificate.issued_on:
        return NOT_YET_IN_FORCE
    if day >= certificate.expires_on:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def certificate_status_stored(certificate: CertificateDatesLike, today: dt.date) -> str:
    """The status kept on the row (and shown by verification): the status today, a certificate whose decision
    is dated later than today (recorded ahead of its date) counting as valid."""
    return certificate_status_on(certificate, today) or CertificateStatus.VALID


def certificate_status_expression(day: dt.date, *, prefix: str = "", not_yet: str = NOT_YET_IN_FORCE) -> Expression:
    """`certificate_status_on` as a database expression (annotate with it; `prefix` reaches a certificate
    through a relation, e.g. "certificates__")."""
    return Case(
        When(Q(**{f"{prefix}revoked_on__isnull": False, f"{prefix}revoked_on__lte": day}), then=Value("revoked")),
        When(Q(**{f"{prefix}issued_on__gt": day}), then=Value(not_yet)),
        When(Q(**{f"{prefix}expires_on__lte": day}), then=Value("expired")),
        default=Value("valid"),
        output_field=CharField(),
    )


def certificate_status_stored_expression(today: dt.date, *, prefix: str = "") -> Expression:
    """`certificate_status_stored` as a database expression."""
    return certificate_status_expression(today, prefix=prefix, not_yet=CertificateStatus.VALID)


def certificate_valid_on_q(day: dt.date, *, prefix: str = "") -> Q:
    """The filter "valid on `day`" (the same rule, as a WHERE condition an index can serve)."""
    return Q(**{f"{prefix}issued_on__lte": day, f"{prefix}expires_on__gt": day}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})
    )


def certificate_valid_until(certificate: CertificateDatesLike) -> dt.date:
    """The first day a certificate is no longer valid: its expiry, or its revocation if earlier."""
    if certificate.revoked_on is not None and certificate.revoked_on < certificate.expires_on:
        return max(certificate.revoked_on, certificate.issued_on)
    return certificate.expires_on


def valid_until_expression() -> Expression:
    """`certificate_valid_until` for queries."""
    from django.db.models.functions import Greatest

    return Case(
        When(Q(revoked_on__isnull=False, revoked_on__lt=F("expires_on")), then=Greatest("revoked_on", "issued_on")),
        default=F("expires_on"),
    )


# ---------------------------------------------------------------------------------------------------------
# Regimes and certifying levels

D148_IN_FORCE = dt.date(2023, 2, 24)  # Decision 148/QĐ-TTg, 24/02/2023
D1489_IN_FORCE = dt.date(2025, 7, 6)  # Decision 1489/QĐ-TTg, 06/07/2025 (district level abolished)
MINISTRY_RENAMED = dt.date(
    2025, 3, 1
)  # Agriculture and Rural Development + Natural Resources → Agriculture and Environment


def regime_on(day: dt.date) -> str:
    """The criteria regime in force on `day`."""
    if day >= D1489_IN_FORCE:
        return Regime.D1489_2025
    if day >= D148_IN_FORCE:
        return Regime.D148_2023
    return Regime.D1048_2019


@dataclass(frozen=True)
class CertifyingLevel:
    """Who recognises a product at some stars under a regime."""

    level: str  # Certificate.Level value: district, province, central
    regime: str


def certifying_level(*, regime: str, stars: int) -> CertifyingLevel:
    """The level that certifies `stars` under `regime` (ocop.md §4):
    1048 (2019–02/2023): province 3–4★, central 5★; 148 (02/2023–07/2025): district 3★, province 4★,
    central 5★; 1489 (from 06/07/2025): province 3–4★, central 5★."""
    if not is_certified_level(stars):
        raise ValueError(f"{stars} stars are not certified")
    if stars == 5:
        return CertifyingLevel("central", regime)
    if regime == Regime.D148_2023 and stars == 3:
        return CertifyingLevel("district", regime)
    return CertifyingLevel("province", regime)


def central_issuer(day: dt.date) -> str:
    """The ministry that recognised 5★ products on `day`."""
    if day >= MINISTRY_RENAMED:
        return "Bộ Nông nghiệp và Môi trường"
    return "Bộ Nông nghiệp và Phát triển nông thôn"
