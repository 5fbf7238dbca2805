"""The API v1: every endpoint, its errors, tokens and roles, paging, caching headers, CORS and throttling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.models import User
from ocop.accounts.services import api_token_create, api_token_revoke
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.selectors import product_search
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.services import products_sync_certification
from ocop.dashboards.tests.helpers import certify, holding, producers_in
from ocop.evaluation.models import Dossier
from ocop.geo.models import Province
from ocop.market.tests.factories import FairFactory, SalePointFactory
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def catalog(cao_bang):
    today = timezone.localdate()
    products = holding(cao_bang, products=9, producers=4, levels={3: 5, 4: 3, 5: 1}, on=today)
    products += holding(Province.objects.get(code="01"), products=6, producers=3, levels={3: 4, 4: 2}, on=today)
    products_sync_certification([p.pk for p in products])
    return products


def bearer(user) -> dict:
    _token, plain = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_products_are_the_catalog_pages_products_for_the_same_query(client, catalog):
    for query in ({}, {"province": "04"}, {"stars": "4"}, {"q": "ong"}, {"sort": "name"}, {"group": "I"}):
        form = ProductFilterForm(query)
        assert form.is_valid()
        expected = product_search(filters=form.cleaned_data).ids(limit=200)
        body = client.get(f"{API}/products", {**query, "limit": 200}).json()
        assert [p["id"] for p in body.get("results", [])] == expected, (query, body)


@pytest.mark.parametrize("query", [{}, {"sort": "name"}, {"sort": "newest"}, {"q": "a"}])
def test_pages_follow_the_next_link_without_gaps_or_repeats(client, catalog, query):
    form = ProductFilterForm(query)
    assert form.is_valid()
    expected = product_search(filters=form.cleaned_data).ids(limit=200)
    seen, url, params = [], f"{API}/products", {**query, "limit": 4}
    while url:
        body = client.get(url, params).json()
        seen += [p["id"] for p in body["results"]]
        url, params = body["next"], None
    assert seen == expected


def test_a_product_with_its_certificates_and_conditional_get(client, catalog):
    product = catalog[0]
    response = client.get(f"{API}/products/{product.pk}")
    body = response.json()
    assert body["name"] == product.name and body["certificates"][0]["status"] == "valid"
    assert response["Last-Modified"] and response["ETag"]
    again = client.get(f"{API}/products/{product.pk}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get(f"{API}/products/999999").json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_errors_name_the_parameter_in_the_requested_language(client, db):
    vi = client.get(f"{API}/products", {"stars": "7"}, HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vi["code"] == "invalid" and vi["detail"].startswith("Tham số không hợp lệ: 'stars'")
    en = client.get(f"{API}/products", {"year": "abc"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["detail"] == "Invalid parameters: 'year' must be a whole number"
    sort = client.get(f"{API}/products", {"sort": "price"}, HTTP_ACCEPT_LANGUAGE="vi").json()
    assert sort["detail"].endswith("'newest' hoặc 'name'") and " or " not in sort["detail"]
    unknown = client.get(f"{API}/products", {"province": "99"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert unknown["code"] == "invalid" and "99" in unknown["detail"]
    cursor = client.get(f"{API}/products", {"cursor": "%%%"}, HTTP_ACCEPT_LANGUAGE="en")
    assert cursor.status_code == 400 and "cursor" in cursor.json()["detail"]


def test_producers_places_certificates_and_statistics(client, catalog, cao_bang):
    producers = client.get(f"{API}/producers", {"province": "04", "limit": 2}).json()
    assert len(producers["results"]) == 2 and producers["next"]
    rest = client.get(producers["next"]).json()["results"]
    assert len(rest) == 2 and {p["province"]["code"] for p in rest} == {"04"}
    one = client.get(f"{API}/producers/{rest[0]['id']}").json()
    assert one["products"] and one["products"][0]["producer"]["id"] == rest[0]["id"]
    assert len(client.get(f"{API}/provinces").json()) == 34
    assert len(client.get(f"{API}/provinces/former").json()) == 63
    assert client.get(f"{API}/provinces/04/communes").json()[0]["code"]
    assert client.get(f"{API}/provinces/99/communes").status_code == 404
    certificate = Certificate.objects.filter(product=catalog[0]).first()
    for code in (certificate.verification_code, certificate.number):
        assert client.get(f"{API}/certificates/verify/{code}").json()["status"] == "valid"
    stats = client.get(f"{API}/statistics", {"scope": "province", "code": "04"}).json()
    assert (stats["products"], stats["producers"], stats["stars"]) == (9, 4, {"5": 1, "4": 3, "3": 5})
    assert stats["summary_vi"].startswith("Đến nay, toàn tỉnh duy trì 9 sản phẩm của 4 chủ thể")
    assert client.get(f"{API}/statistics", {"scope": "province"}).status_code == 422
    assert client.get(f"{API}/statistics", {"scope": "province", "code": "99"}).status_code == 404
    assert client.get(f"{API}/statistics", {"on": "2999-01-01"}).status_code == 422


def test_sale_points_and_events(client, cao_bang, catalog):
    point = SalePointFactory(province=cao_bang, commune=cao_bang.communes.first())
    point.products.add(catalog[0])
    SalePointFactory(province=cao_bang, commune=cao_bang.communes.first(), closed_on=dt.date(2024, 1, 1))
    FairFactory(province=cao_bang, starts_on=dt.date(2025, 11, 1))
    FairFactory(province=Province.objects.get(code="01"), starts_on=dt.date(2024, 5, 1))
    points = client.get(f"{API}/sale-points", {"province": "04"}).json()["results"]
    assert [p["product_ids"] for p in points] == [[catalog[0].pk]]
    events = client.get(f"{API}/events").json()["results"]
    assert [e["starts_on"] for e in events] == ["2025-11-01", "2024-05-01"]
    assert len(client.get(f"{API}/events", {"since": "2025-01-01"}).json()["results"]) == 1


def test_tokens_act_with_their_users_role_and_revoked_ones_do_not(client, cao_bang, province_officer):
    assert client.get(f"{API}/me").status_code == 401
    _token, plain = api_token_create(user=province_officer, name="Hệ thống tỉnh")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    me = client.get(f"{API}/me", **headers).json()
    assert (me["role"], me["province"]["code"]) == ("province_officer", "04")
    api_token_revoke(token=_token, by=province_officer)
    assert client.get(f"{API}/me", **headers).status_code == 401
    for bad in ("Bearer nonsense", f"Bearer {plain[:-2]}xx", "Token abc"):
        assert client.get(f"{API}/me", HTTP_AUTHORIZATION=bad).status_code == 401


def test_dossiers_and_imports_follow_the_scope_of_the_token(client, cao_bang, province_officer, central_officer):
    from ocop.dashboards.tests.helpers import registrations

    registrations(cao_bang, 2026, {"new": 2})
    registrations(Province.objects.get(code="01"), 2026, {"new": 3})
    other = UserFactory(username="tinh-hn", role=User.Role.PROVINCE_OFFICER, province=Province.objects.get(code="01"))
    mine = client.get(f"{API}/dossiers", **bearer(province_officer)).json()["results"]
    assert len(mine) == 2 and all(d["commune"]["code"] for d in mine)
    theirs = client.get(f"{API}/dossiers", **bearer(other)).json()["results"]
    assert len(theirs) == 3 and not {d["id"] for d in mine} & {d["id"] for d in theirs}
    assert client.get(f"{API}/dossiers/{theirs[0]['id']}", **bearer(province_officer)).status_code == 404
    assert client.get(f"{API}/dossiers/{mine[0]['id']}", **bearer(province_officer)).json()["actions"] == []
    assert len(client.get(f"{API}/dossiers", **bearer(central_officer)).json()["results"]) == 5
    producer = UserFactory(username="cs", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=producer, producer=Dossier.objects.first().producer)
    own = client.get(f"{API}/dossiers", **bearer(producer)).json()["results"]
    assert len(own) >= 1
    # a submitted dossier: its commune's officers pre-check it, its producer waits (the page says the same)
    assert client.get(f"{API}/dossiers/{own[0]['id']}", **bearer(producer)).json()["actions"] == []
    assert client.get(f"{API}/imports", **bearer(producer)).status_code == 403
    assert client.get(f"{API}/imports", **bearer(province_officer)).json() == {"results": [], "next": None}


def test_a_producer_token_lists_its_own_products_only(client, cao_bang):
    producer = producers_in(cao_bang, 1)[0]
    own = ProductFactory(producer=producer)
    ProductFactory(producer=producers_in(cao_bang, 1)[0])
    user = UserFactory(username="htx-api", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=user, producer=producer)
    assert [p["id"] for p in client.get(f"{API}/me/products", **bearer(user)).json()] == [own.pk]


def test_cors_is_open_for_public_reads_only(client, db):
    response = client.get(f"{API}/provinces", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/me", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )  # fmt: skip
    assert "authorization" not in preflight.get("Access-Control-Allow-Headers", "").lower()
    post = client.options(f"{API}/products", HTTP_ORIGIN="https://x.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "POST" not in post.get("Access-Control-Allow-Methods", "")


def test_too_many_requests_get_429_with_retry_after(client, db):
    cache.clear()
    statuses = [client.get(f"{API}/provinces/former").status_code for _ in range(125)]
    assert statuses[:120] == [200] * 120 and statuses[-1] == 429
    response = client.get(f"{API}/provinces/former")
    assert int(response["Retry-After"]) > 0 and response.json()["code"] == "throttled"


def test_the_schema_and_the_docs_are_served_locally(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/products" in schema["paths"]
    docs = client.get(f"{API}/docs").content.decode()
    assert "cdn." not in docs and "/static/ninja/swagger-ui" in docs


def test_the_profile_page_creates_shows_once_and_revokes_a_token(client, province_officer):
    client.force_login(province_officer)
    client.post(reverse("accounts:token-create"), {"name": "Cổng dữ liệu tỉnh"})
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Cổng dữ liệu tỉnh" in page and "ocop_" in page
    assert "ocop_" not in client.get(reverse("accounts:profile")).content.decode().split("Cổng dữ liệu tỉnh")[0][-200:]
    token = province_officer.api_tokens.get()
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    intruder = UserFactory(username="other", role=User.Role.BUYER)
    client.force_login(intruder)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404


def test_a_certificate_changed_through_services_shows_in_the_api(client, cao_bang):
    product = ProductFactory(producer=producers_in(cao_bang, 1)[0])
    certify(product, 4, timezone.localdate() - dt.timedelta(days=3))
    products_sync_certification([product.pk])
    assert client.get(f"{API}/products/{product.pk}").json()["stars"] == 4


def test_lists_do_a_constant_number_of_queries(client, cao_bang, django_assert_max_num_queries):
    today = timezone.localdate()
    products_sync_certification([p.pk for p in holding(cao_bang, products=3, producers=2, levels={3: 3}, on=today)])
    paths = [
        f"{API}/products",
        f"{API}/producers",
        f"{API}/products?sort=name&province=04",
        f"{API}/statistics?scope=province&code=04",
    ]
    counts = []
    for path in paths:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured.captured_queries))
    products = holding(cao_bang, products=30, producers=12, levels={4: 10, 3: 20}, on=today)
    products_sync_certification([p.pk for p in products])
    cache.clear()
    for path, count in zip(paths, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(path)


def test_a_producer_token_reads_its_inbox_and_a_buyer_its_sent_inquiries(client, cao_bang):
    from ocop.market import trade

    producer = producers_in(cao_bang, 1)[0]
    product = ProductFactory(producer=producer)
    owner = UserFactory(username="htx-hop-thu", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=producer)
    buyer = UserFactory(username="nguoi-mua-api", role=User.Role.BUYER)
    inquiry = trade.inquiry_send(product=product, buyer=buyer, name="B", email="b@example.vn", quantity=3,
                                 unit="kg", message="Báo giá")  # fmt: skip
    stranger = UserFactory(username="la-api", role=User.Role.PRODUCER)
    for user, expected in ((owner, [inquiry.pk]), (buyer, [inquiry.pk]), (stranger, [])):
        body = client.get(f"{API}/me/inquiries", **bearer(user)).json()
        assert [i["id"] for i in body["results"]] == expected


def test_every_operation_is_documented_and_its_allowed_values_come_from_the_models():
    from config.api import api
    from ocop.catalog.models import CertificateStatus
    from ocop.evaluation.models import Dossier
    from ocop.producers.models import Producer

    spec = api.get_openapi_schema()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert operations and all(op.get("summary") and op.get("description") for op in operations)

    def enum(path: str, name: str) -> list[str]:
        for parameter in spec["paths"][path]["get"]["parameters"]:
            if parameter["name"] == name:
                schema = parameter["schema"]
                return next(s["enum"] for s in schema.get("anyOf", [schema]) if "enum" in s)
        raise AssertionError(name)

    assert enum("/api/v1/products", "status") == CertificateStatus.values
    assert enum("/api/v1/products", "producer_kind") == Producer.Kind.values
    assert enum("/api/v1/producers", "kind") == Producer.Kind.values
    assert enum("/api/v1/dossiers", "status") == Dossier.Status.values


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("on=2017-01-01", "on: Chương trình OCOP bắt đầu từ năm 2018"),
        ("on=2999-01-01", "on: Không thể thống kê cho một ngày trong tương lai."),
        ("on=2023-06-30&year=2024", "year: Năm không được sau ngày tính số liệu."),
    ],
)
def test_the_statistics_api_checks_the_period_as_the_pages_do_and_names_its_own_parameters(client, query, message):
    response = client.get(f"{API}/statistics?{query}", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422
    assert message in response.json()["detail"]
