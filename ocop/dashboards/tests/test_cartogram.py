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


def test_a_long_label_is_cut_at_its_end_and_kept_whole_in_its_tooltip():
    from ocop.dashboards.charts import CHAR_WIDTH, fit_label, horizontal_bars
    from ocop.dashboards.charts import Series as ChartSeries

    label = "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
    shown = fit_label(label, 250)
    assert shown.startswith("Dịch vụ du lịch") and shown.endswith("…") and len(shown) * CHAR_WIDTH <= 250
    svg = str(horizontal_bars("Nhóm", [label, "Gạo"], [ChartSeries("Sản phẩm", "#b3261e", [3, 1])], label_width=260))
    assert f"<title>{label}</title>" in svg and ">Gạo</text>" in svg
