"""Whole public pages from the cache for anonymous visitors (ocop.core.pagecache): never stale, never someone's own."""

import pytest
from django.conf import settings
from django.urls import reverse

from ocop.catalog.services import product_update
from ocop.catalog.tests.helpers import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return certified_product("Mật ong bạc hà Đồng Văn", stars=4)


def _url(product):
    return reverse("site:product-detail", args=[product.pk, product.slug])


def _producer_url(product):
    return reverse("site:producer-detail", args=[product.producer.pk, product.producer.slug])


def test_a_repeat_is_served_from_the_cache_and_a_change_shows_at_once(client, product, django_assert_num_queries):
    first = client.get(_producer_url(product))
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=30" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(_producer_url(product))
    assert again.content == first.content
    product_update(product=product, name="Mật ong hoa bạc hà cao nguyên đá")
    changed = client.get(_producer_url(product))
    assert "cao nguyên đá" in changed.content.decode()


def test_a_product_page_is_one_query_never_stored_and_a_change_shows_at_once(
    client, product, django_assert_num_queries
):
    # Every product's page is often a first render: read in one statement, not stored, so never stale.
    client.get(_url(product))  # on PostgreSQL a connection's first page prepares the statement
    with django_assert_num_queries(1):
        first = client.get(_url(product))
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=30" in first["Cache-Control"]
    product_update(product=product, description="Mật ong từ hoa bạc hà trên cao nguyên đá.")
    changed = client.get(_url(product))
    assert "cao nguyên đá" in changed.content.decode()
    assert "cao nguyên đá" not in first.content.decode()


def test_a_repeat_with_its_etag_is_a_304(client, product):
    first = client.get(_url(product))
    assert first.has_header("ETag")
    repeat = client.get(_url(product), headers={"If-None-Match": first["ETag"]})
    assert repeat.status_code == 304


def test_each_language_search_and_fragment_is_its_own_page(client, product):
    search = reverse("catalog:product-list")
    vietnamese = client.get(search, {"q": "mat ong"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(search, {"q": "mat ong"}).content.decode()
    fragment = client.get(search, {"q": "mat ong"}, headers={"HX-Request": "true"}).content.decode()
    other = client.get(search, {"q": "qqqxxzz"}).content.decode()
    assert 'lang="vi"' in vietnamese and 'lang="en"' in english
    assert "<html" not in fragment and product.name in fragment
    assert product.name not in other


def test_signed_in_visitors_get_their_own_page(client, product, province_officer):
    client.get(_url(product))  # stored for anonymous visitors
    client.force_login(province_officer)
    own = client.get(_url(product))
    assert "public" not in own.get("Cache-Control", "")
    assert province_officer.display_name in own.content.decode()
