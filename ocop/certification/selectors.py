"""Reads for certificates: public verification."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.certification.rules import CODE_PATTERN, NUMBER_PATTERN, certificate_status_stored


def normalise_code(text: str) -> str:
    """What a person typed or a scanner read, as a verification code or certificate number candidate."""
    return re.sub(r"[\s.]+", "", text or "").upper()[:64]


def _certificates():
    return Certificate.objects.select_related(
        "product__producer__province", "product__producer__commune", "product__category", "province", "legacy_province"
    )


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code, or None (malformed codes never reach the database)."""
    code = normalise_code(code)
    if not CODE_PATTERN.match(code):
        return None
    return _certificates().filter(verification_code=code).first()


def certificate_find(*, text: str) -> Certificate | None:
    """Find a certificate by its verification code or its printed number."""
    candidate = normalise_code(text)
    if CODE_PATTERN.match(candidate):
        return certificate_get_by_code(code=candidate)
    if NUMBER_PATTERN.match(candidate):
        return _certificates().filter(number=candidate).first()
    return None


@dataclass(frozen=True)
class Verification:
    """What the public verification page says about a certificate today."""

    certificate: Certificate
    status: str
    checked_on: dt.date

    @property
    def is_valid(self) -> bool:
        return self.status == Certificate.Status.VALID


def certificate_verify(*, certificate: Certificate, on: dt.date | None = None) -> Verification:
    """The certificate's status on a date (today by default), whether or not the expiry task has run."""
    day = on or timezone.localdate()
    return Verification(certificate=certificate, status=certificate_status_stored(certificate, day), checked_on=day)


def product_certificates(*, product: Any) -> list[Certificate]:
    """A product's certificates, newest first."""
    return list(product.certificates.select_related("province", "legacy_province").order_by("-issued_on", "-id"))


def certificates_expiring(*, user: Any, today: dt.date, within_days: int) -> QuerySet[Certificate]:
    """Valid certificates expiring within `within_days`, soonest first, scoped to what the user answers for:
    a producer's own, a commune's, a province's, or all for the central office."""
    return (
        Certificate.objects.restrict(user)
        .filter(
            status=Certificate.Status.VALID,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("product__producer__commune", "province")
        .order_by("expires_on", "number")
    )
