"""The tile map of the 34 provinces: every province once, no two on one square, coloured by its products."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.catalog.tests.helpers import certified_product
from ocop.dashboards.cartogram import TILES, cartogram
from ocop.geo.models import Province

pytestmark = pytest.mark.django_db


def test_every_province_has_one_square_of_its_own():
    assert set(TILES) == set(Province.objects.values_list("code", flat=True))
    squares = [(row, col) for row, col, _name in TILES.values()]
    assert len(set(squares)) == len(squares) == 34


def test_the_nation_page_draws_the_map_coloured_by_products(client):
    for name in ("Mật ong bạc hà", "Chè Shan tuyết", "Miến dong"):
        certified_product(name, stars=3)  # Lai Châu
    response = client.get(reverse("dashboards:nation"))
    tiles = response.context["tiles"]
    assert len(tiles) == 34
    heat = {t.code: (t.products, t.heat) for t in tiles}
    assert heat["12"] == (3, 4) and heat["01"] == (0, 0)
    assert response.content.decode().count('class="heat-') >= 34
    assert cartogram([]) == []  # any other breakdown has no map
