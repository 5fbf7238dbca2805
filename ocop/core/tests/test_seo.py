import json
import re

import pytest
from django.urls import reverse

from ocop.catalog.tests.helpers import certified_product

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /quan-tri/" in text


def test_the_sitemap_lists_products_with_readable_slugs(client):
    product = certified_product("Mật ong bạc hà Đồng Văn")
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-products.xml" in index
    products = client.get("/sitemap-products.xml").content.decode()
    assert f"/san-pham/{product.pk}-mat-ong-bac-ha-dong-van/" in products


def test_the_product_page_has_title_open_graph_and_json_ld(client):
    product = certified_product("Bánh chưng Tranh Khúc", stars=4)
    html = client.get(reverse("site:product-detail", args=[product.pk, product.slug])).content.decode()
    assert "<title>Bánh chưng Tranh Khúc · OCOP Connect</title>" in html
    assert 'property="og:title" content="Bánh chưng Tranh Khúc — OCOP 4★"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product"
    assert data["name"] == "Bánh chưng Tranh Khúc"
    assert "OCOP 4★" in data["award"]


def test_json_ld_cannot_break_out_of_its_script_element(client):
    product = certified_product("Bánh </script><script>alert(1)</script>")
    html = client.get(reverse("site:product-detail", args=[product.pk, product.slug])).content.decode()
    assert "<script>alert(1)</script>" not in html
