import datetime as dt
import json

import pytest
from django.urls import reverse

from ocop.catalog.tests.helpers import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid():
    return certified_product("Miến dong Tài Hoan", stars=4).certificates.get()


@pytest.fixture
def expired():
    return certified_product("Chè Shan tuyết", issued_on=dt.date(2020, 5, 4)).certificates.get()


@pytest.fixture
def revoked():
    return certified_product("Rượu Làng Vân", status="revoked").certificates.get()


def page(client, certificate):
    response = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_valid_certificate_shows_green_with_product_and_stars(client, valid, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        html = page(client, valid)
    assert "verdict-valid" in html
    assert "Miến dong Tài Hoan" in html
    assert valid.number in html


def test_an_expired_certificate_shows_amber_with_its_expiry_date(client, expired):
    html = page(client, expired)
    assert "verdict-expired" in html
    assert "04/05/2023" in html


def test_a_certificate_past_its_date_shows_expired_even_before_the_nightly_task(client, valid):
    valid.issued_on, valid.expires_on = dt.date(2019, 1, 2), dt.date(2022, 1, 2)
    valid.save()
    assert "verdict-expired" in page(client, valid)


def test_a_revoked_certificate_shows_red_with_the_decision(client, revoked):
    html = page(client, revoked)
    assert "verdict-revoked" in html
    assert "99/QĐ-UBND" in html


def test_typing_the_number_or_the_code_leads_to_the_verification(client, valid):
    for typed in (valid.number, valid.number.lower(), valid.verification_code, f" {valid.verification_code.lower()} "):
        response = client.get(reverse("certification:verify"), {"q": typed})
        assert response.status_code == 302
        assert response["Location"] == reverse("certification:verify-detail", args=[valid.verification_code])


@pytest.mark.parametrize(
    "garbage",
    ["nope", "A" * 12, "x" * 150, "<script>alert(1)</script>", "' OR 1=1 --", "%00", "ĐÂY-LÀ-GÌ", "../../etc"],
)
def test_unknown_or_garbage_codes_get_a_clear_not_found(client, garbage, valid):
    response = client.get(reverse("certification:verify"), {"q": garbage})
    assert response.status_code == 404
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "verdict-unknown" in html


@pytest.mark.parametrize("garbage", ["nope", "x" * 200, "<b>", "'%20OR%201=1", "ZZZZZZZZZZZZ"])
def test_unknown_codes_in_the_url_are_not_found_pages(client, garbage):
    response = client.get(f"/verify/{garbage}/")
    assert response.status_code == 404
    assert client.get(f"/verify/{garbage}.json").status_code == 404


def test_a_very_long_code_is_a_404_not_a_500(client):
    assert client.get("/verify/" + "A" * 5000 + "/").status_code == 404


def test_the_json_twin_answers_for_apps(client, valid, revoked):
    data = json.loads(client.get(reverse("certification:verify-json", args=[valid.verification_code])).content)
    assert data["status"] == "valid"
    assert data["certificate"]["stars"] == 4
    assert data["product"]["name"] == "Miến dong Tài Hoan"
    data = json.loads(client.get(reverse("certification:verify-json", args=[revoked.verification_code])).content)
    assert data["status"] == "revoked"
    assert data["certificate"]["revocation_decision"] == "99/QĐ-UBND"
    missing = client.get(reverse("certification:verify-json", args=["ZZZZZZZZZZZZ"]))
    assert json.loads(missing.content)["code"] == "not_found"


def test_the_qr_code_encodes_the_verification_page(client, valid):
    svg = client.get(reverse("certification:verify-qr", args=[valid.verification_code, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("certification:verify-qr", args=[valid.verification_code, "png"]))
    assert png.content.startswith(b"\x89PNG")


def test_verification_codes_are_unique_and_unguessable(valid, expired, revoked):
    codes = {valid.verification_code, expired.verification_code, revoked.verification_code}
    assert len(codes) == 3
    assert all(len(code) == 12 and code.isalnum() and code.isupper() for code in codes)
