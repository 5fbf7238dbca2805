"""The public product page, read in one statement and drawn by Jinja2 (ocop.site.product_page): everything the
page shows, in both languages, the same for anonymous and signed-in visitors, on SQLite and PostgreSQL."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from ocop.catalog.models import Product, ProductImage
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.certification.services import products_sync_certification
from ocop.certification.tests.factories import CertificateFactory
from ocop.geo.models import LegacyDistrict
from ocop.market.models import PromotionMaterial
from ocop.market.tests.factories import SalesChannelFactory
from ocop.site.product_page import product_page

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _url(product):
    return reverse("site:product-detail", args=[product.pk, product.slug])


@pytest.fixture
def honey():
    product = certified_product("Mật ong bạc hà Đồng Văn", stars=4, issued_on=TODAY - dt.timedelta(days=100))
    Product.objects.filter(pk=product.pk).update(
        description="Mật ong từ hoa bạc hà.\nThu hoạch mùa đông.", story="Nghề nuôi ong <truyền thống>.",
        packaging="Chai thủy tinh", unit="chai", price_min=165000, price_max=1250000, annual_capacity=12000,
        capacity_unit="lít",
    )  # fmt: skip
    current = product.certificates.get()
    Certificate.objects.filter(pk=current.pk).update(score=Decimal("85.5"))
    CertificateFactory(product=product, stars=3, issued_on=TODAY - dt.timedelta(days=1500), number="OLD-2021-07",
                       status=Certificate.Status.EXPIRED)  # fmt: skip
    products_sync_certification([product.pk])
    SalesChannelFactory(product=product, kind="ecommerce", name="Sàn Postmart", url="https://postmart.vn/x",
                        since=TODAY - dt.timedelta(days=30), until=None)  # fmt: skip
    SalesChannelFactory(product=product, kind="retail", name="Co.opmart", url="", stores=12, since=None)
    SalesChannelFactory(product=product, kind="retail", name="Kênh đã dừng", since=TODAY - dt.timedelta(days=90),
                        until=TODAY - dt.timedelta(days=1))  # fmt: skip
    PromotionMaterial.objects.create(producer=product.producer, product=product, kind="video", title="Phim ong",
                                     url="https://video.example/ong")  # fmt: skip
    PromotionMaterial.objects.create(producer=product.producer, product=product, kind="video", title="Bị ẩn",
                                     url="https://video.example/an", hidden=True)  # fmt: skip
    ProductImage.objects.create(product=product, image="products/2026/12/ong.jpg", width=1200, height=900,
                                caption="Chai mật ong", position=0)  # fmt: skip
    ProductImage.objects.create(product=product, image="products/2026/12/an.jpg", hidden=True, position=1)
    product.refresh_from_db()
    return product


def test_the_page_shows_what_the_product_holds_and_nothing_hidden(client, honey, django_assert_num_queries):
    client.get(_url(honey))  # on PostgreSQL a connection's first page prepares the statement
    with django_assert_num_queries(1):
        html = client.get(_url(honey)).content.decode()
    current = honey.certificates.get(status="valid")
    assert "<h1>Mật ong bạc hà Đồng Văn</h1>" in html
    assert "Mật ong từ hoa bạc hà.<br>Thu hoạch mùa đông." in html  # lines kept, text escaped
    assert "Nghề nuôi ong &lt;truyền thống&gt;." in html
    assert "165.000 – 1.250.000 ₫ / chai" in html and "12.000 lít" in html  # Vietnamese numbers
    assert current.number in html and "(85,50 điểm)" in html
    assert reverse("certification:verify-detail", args=[current.verification_code]) in html
    assert "OLD-2021-07 · 3★" in html and "Hết hiệu lực" in html  # the earlier certificate, in the history
    assert "Sàn Postmart" in html and "Co.opmart" in html and "12 cửa hàng" in html
    assert "Kênh đã dừng" not in html  # ended yesterday
    assert "Phim ong" in html and "Bị ẩn" not in html
    assert "ong.jpg" in html and "an.jpg" not in html and "Chai mật ong" in html
    assert f'href="{reverse("site:producer-detail", args=[honey.producer.pk, honey.producer.slug])}"' in html
    assert f"{honey.producer.place}</p>" in html and "Khun Há" in honey.producer.place
    assert f'href="{reverse("market:inquiry-new", args=[honey.pk])}"' in html
    assert f'<link rel="canonical" href="http://testserver{_url(honey)}">' in html
    assert '"award": "OCOP 4★' in html and '"lowPrice": 165000' in html  # schema.org data


def test_related_products_are_the_best_certified_of_the_group(client, honey):
    best = certified_product("Mật ong rừng U Minh", stars=5)
    second = certified_product("Mật ong hoa nhãn", stars=4, issued_on=TODAY - dt.timedelta(days=10))
    third = certified_product("Mật ong hoa cà phê", stars=4, issued_on=TODAY - dt.timedelta(days=50))
    certified_product("Mật ong hoa xuyến chi", stars=3)
    fifth = certified_product("Mật ong hoa keo", stars=3, issued_on=TODAY - dt.timedelta(days=900))
    draft = certified_product("Mật ong bản nháp", stars=5)
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    html = client.get(_url(honey)).content.decode()
    related = html[html.index("Sản phẩm liên quan") :]
    names = [best.name, second.name, third.name]
    assert [related.index(name) for name in names] == sorted(related.index(name) for name in names)
    assert related.count('<article class="card">') == 4
    assert fifth.name not in related and draft.name not in related and honey.name not in related
    # The section is drawn once per process for what it shows: a change to one of them shows at once.
    Product.objects.filter(pk=second.pk).update(name="Mật ong hoa nhãn Hưng Yên")
    assert "Mật ong hoa nhãn Hưng Yên" in client.get(_url(honey)).content.decode()


def test_anonymous_and_signed_in_visitors_see_the_same_page_in_their_frames(client, honey, province_officer):
    anonymous = client.get(_url(honey), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in anonymous
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in anonymous  # the search box keeps it
    assert "?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E" in anonymous  # the language switch's way back
    client.force_login(province_officer)
    signed_in = client.get(_url(honey), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert province_officer.display_name in signed_in and province_officer.display_name not in anonymous
    for start, end in [("<head>", "</head>"), ('<article class="product">', "</article>")]:
        assert (
            anonymous[anonymous.index(start) : anonymous.index(end)]
            == signed_in[signed_in.index(start) : signed_in.index(end)]
        )
    assert "Hỗ trợ đã nhận" in signed_in and "Hỗ trợ đã nhận" not in anonymous  # for officers only


def test_the_english_page_and_a_page_without_group_or_text(client, honey):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(_url(honey)).content.decode()
    assert 'lang="en"' in html and "OCOP certificate" in html and "(85.50 points)" in html
    assert "165,000 – 1,250,000 ₫" in html and "12 stores" in html and "Expired" in html
    Product.objects.filter(pk=honey.pk).update(category=None, text_hidden=True)
    html = client.get(_url(honey)).content.decode()
    assert "not yet classified" in html and "Related products" not in html
    assert "Mật ong từ hoa bạc hà" not in html  # hidden while the office checks it, also in the head's tags
    assert f'<meta name="description" content="{honey.name}">' in html


def test_a_former_district_is_named_when_the_commune_is_not_known(client, honey):
    district = LegacyDistrict.objects.filter(province__code=honey.producer.province.code).first() or (
        LegacyDistrict.objects.first()
    )
    honey.producer.__class__.objects.filter(pk=honey.producer.pk).update(commune=None, legacy_district=district)
    html = client.get(_url(honey)).content.decode()
    assert f"{district.name} (cũ), {honey.producer.province.name}" in html


def test_drafts_and_unknown_products_are_404_and_an_old_slug_redirects(client, honey):
    assert client.get(reverse("site:product-detail", args=[honey.pk, "ten-cu"])).status_code == 301
    assert client.get(reverse("site:product-detail", args=[987654, "x"])).status_code == 404
    Product.objects.filter(pk=honey.pk).update(status=Product.Status.DRAFT)
    assert client.get(_url(honey)).status_code == 404


def test_related_products_are_the_best_of_the_group_but_itself_and_follow_changes():
    def related(product):
        return [values[1] for values in json.loads(product_page(product.pk).related)]

    first = certified_product("Mật ong hoa nhãn", stars=3, leaf_code="I.2.b")
    second = certified_product("Mật ong rừng", stars=4, leaf_code="I.2.b")
    certified_product("Mây tre đan", stars=5, leaf_code="IV.1")
    assert related(first) == [second.name]
    assert related(second) == [first.name]
    best = certified_product("Mật ong bạc hà", stars=5, leaf_code="I.2.b")  # a new certificate: seen at once
    assert related(first) == [best.name, second.name]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_template_with_its_text_folded_in_draws_what_the_runtime_calls_drew(honey, language):
    # ocop.core.jinja.template translates each plain _("…") once per language; Django's Jinja2 engine would call
    # the catalogue at every render. The two must draw the same page.
    from django.template import engines
    from django.utils import translation

    from ocop.site.product_page import page_parts

    with translation.override(language):
        page = product_page(honey.pk)
        parts = page_parts(page, base="https://ocop.example")
        body = parts["body"]
        runtime_env = engines["jinja2"].env
        # The environment's own `_` (ocop.core.jinja._translate) looks each text up as the page is drawn.
        context = {"page": page, "base": "https://ocop.example", "absolute": lambda base, url: base + url,
                   "json_ld": "", "og_description": "", "related": ""}  # fmt: skip
        drawn = runtime_env.get_template("site/product.html").render(context)
    assert ("Mô tả" if language == "vi" else "Description") in body
    assert body.replace(_related_section(body), "") == drawn.replace(_related_section(drawn), "")
    assert "Mật ong từ hoa bạc hà" in drawn  # the comparison is of whole pages, not of two empty strings


def _related_section(html: str) -> str:
    """The related products' section (drawn apart, from the record): left out of the comparison."""
    start = html.find("<section><h2>")
    return html[start : html.find("</section>", start) + len("</section>")] if start >= 0 else ""
