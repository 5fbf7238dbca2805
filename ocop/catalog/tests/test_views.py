import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.services import products_sync_certification
from ocop.certification.tests.factories import CertificateFactory
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def certified(name=None, stars=4, **producer_kwargs):
    """A product with a valid certificate issued a year ago."""
    producer = ProducerFactory(**producer_kwargs)
    product = ProductFactory(producer=producer, **({"name": name} if name else {}))
    CertificateFactory(product=product, stars=stars, issued_on=dt.date.today() - dt.timedelta(days=365))
    products_sync_certification([product.pk])
    product.refresh_from_db()
    return product


def test_the_home_page_shows_figures_and_products(client):
    product = certified("Mật ong bạc hà Đồng Văn", stars=5)
    response = client.get(reverse("site:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mật ong bạc hà Đồng Văn" in html
    assert 'lang="vi"' in html
    assert reverse("site:product-detail", args=[product.pk, product.slug]) in html


def test_the_home_page_does_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        certified()
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("site:home"))
    for _ in range(12):
        certified()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("site:home"))


def test_searching_without_accents_finds_the_accented_name(client):
    certified("Bánh chưng Tranh Khúc")
    certified("Chè Shan tuyết")
    response = client.get(reverse("catalog:product-list"), {"q": "banh chung"})
    html = response.content.decode()
    assert "Bánh chưng Tranh Khúc" in html
    assert "Chè Shan tuyết" not in html


def test_the_product_list_does_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        certified()
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("catalog:product-list"), {"q": "a"})
    for _ in range(20):
        certified()
    cache.clear()
    # Relevance pages read up to three tiers (phrase in name, words in name, elsewhere): how many of them a
    # page needs depends on where the matches fall, never on how many rows there are.
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(reverse("catalog:product-list"), {"q": "a"})


def test_an_htmx_request_gets_only_the_results(client):
    certified("Đậu phụ")
    response = client.get(reverse("catalog:product-list"), {"q": "dau phu"}, HTTP_HX_REQUEST="true")
    assert "Đậu phụ" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_bad_filter_value_is_explained_not_a_500(client):
    certified("Đậu phụ")
    response = client.get(reverse("catalog:product-list"), {"stars": "9", "province": "zz", "year": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“zz”" in html
    assert "Đậu phụ" in html  # the valid part of the query still answers


def test_the_product_page_shows_the_certificate_and_producer(client, django_assert_max_num_queries):
    product = certified("Miến dong Tài Hoan")
    url = reverse("site:product-detail", args=[product.pk, product.slug])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert product.certificates.first().number in html
    assert product.producer.name in html


def test_an_old_slug_redirects_and_an_unknown_product_is_404(client):
    product = certified()
    response = client.get(reverse("site:product-detail", args=[product.pk, "old-name"]))
    assert response.status_code == 301
    assert client.get(reverse("site:product-detail", args=[999999, "x"])).status_code == 404


def test_the_producer_page_lists_its_products(client, django_assert_max_num_queries):
    product = certified("Chè Shan tuyết Suối Giàng")
    producer = product.producer
    url = reverse("site:producer-detail", args=[producer.pk, producer.slug])
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert "Chè Shan tuyết Suối Giàng" in response.content.decode()


def test_the_province_page_shows_its_figures(client, cao_bang, commune, django_assert_max_num_queries):
    certified("Hạt dẻ Trùng Khánh", commune=commune, province=cao_bang)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("site:province-detail", args=[cao_bang.slug]))
    assert "Hạt dẻ Trùng Khánh" in response.content.decode()


def test_the_province_list_does_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("site:province-list"))
    assert response.content.decode().count("/dia-phuong/") >= 34


def test_the_group_page_lists_products_of_the_group(client):
    product = certified()
    response = client.get(reverse("catalog:category-detail", args=[product.category.group.slug]))
    assert product.name in response.content.decode()


def test_the_english_switch_translates_the_interface(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("site:home")).content.decode()
    assert 'lang="en"' in html
    assert "Search" in html


def test_an_english_browser_still_gets_vietnamese_until_it_switches(client):
    html = client.get(reverse("site:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html


def test_filters_load_after_the_results_and_inline_without_javascript(client, django_assert_max_num_queries):
    certified("Đậu phụ")
    html = client.get(reverse("catalog:product-list"), {"q": "dau"}).content.decode()
    assert 'hx-get="/san-pham/bo-loc/?q=dau"' in html
    assert "facets=1" in html  # the <noscript> link
    with django_assert_max_num_queries(14):
        fragment = client.get(reverse("catalog:product-facets"), {"q": "dau"}).content.decode()
    assert 'data-facet="stars"' in fragment
    inline = client.get(reverse("catalog:product-list"), {"q": "dau", "facets": "1"}).content.decode()
    assert 'data-facet="stars"' in inline
    assert "facets=1" in inline.split('data-facet="stars"')[0].rsplit("href=", 1)[1]
