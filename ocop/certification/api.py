"""API: certificate verification by verification code or printed number."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ocop.api.schemas import ERRORS
from ocop.certification.selectors import certificate_find
from ocop.certification.views import verification_data

router = Router(tags=["certificates"])


class VerifiedCertificate(Schema):
    number: str
    verification_code: str
    stars: int
    score: str | None
    issuer: str
    decision_number: str
    issued_on: str
    expires_on: str
    revoked_on: str | None
    revocation_decision: str | None
    revocation_reason: str | None


class VerifiedProduct(Schema):
    id: int
    name: str
    url: str


class VerifiedProducer(Schema):
    name: str
    province: str


class VerificationOut(Schema):
    status: str
    checked_on: str
    certificate: VerifiedCertificate
    product: VerifiedProduct
    producer: VerifiedProducer
    verification_url: str


@router.get("/verify/{code}", response={200: VerificationOut, **ERRORS}, summary="Verify a certificate")
def certificate_verify_api(request: HttpRequest, code: str):
    """VALID, EXPIRED or REVOKED today, for a verification code (as in the QR code) or a certificate
    number (OCOP-04-2023-00012)."""
    certificate = certificate_find(text=code)
    if certificate is None:
        raise Http404
    return verification_data(request, certificate)
