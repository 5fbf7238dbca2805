"""A tile map of Vietnam's 34 provinces (since 1 July 2025): one square per province, placed roughly where it
lies (north at the top, the Mekong delta at the bottom), coloured by its certified products. A tile map needs no
boundary data and reads on a phone; the table beside it holds the exact figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# province code → (row, column, short name): five columns, fourteen rows
TILES: dict[str, tuple[int, int, str]] = {
    "12": (0, 0, "Lai Châu"), "15": (0, 1, "Lào Cai"), "08": (0, 2, "Tuyên Quang"), "04": (0, 3, "Cao Bằng"),
    "11": (1, 0, "Điện Biên"), "14": (1, 1, "Sơn La"), "19": (1, 2, "Thái Nguyên"), "20": (1, 3, "Lạng Sơn"),
    "25": (2, 1, "Phú Thọ"), "01": (2, 2, "Hà Nội"), "24": (2, 3, "Bắc Ninh"), "22": (2, 4, "Quảng Ninh"),
    "37": (3, 2, "Ninh Bình"), "33": (3, 3, "Hưng Yên"), "31": (3, 4, "Hải Phòng"),
    "38": (4, 1, "Thanh Hóa"),
    "40": (5, 1, "Nghệ An"), "42": (5, 2, "Hà Tĩnh"),
    "44": (6, 2, "Quảng Trị"),
    "46": (7, 2, "Huế"), "48": (7, 3, "Đà Nẵng"),
    "51": (8, 3, "Quảng Ngãi"),
    "52": (9, 2, "Gia Lai"), "66": (9, 3, "Đắk Lắk"), "56": (9, 4, "Khánh Hòa"),
    "80": (10, 1, "Tây Ninh"), "75": (10, 2, "Đồng Nai"), "68": (10, 3, "Lâm Đồng"),
    "91": (11, 0, "An Giang"), "82": (11, 1, "Đồng Tháp"), "79": (11, 2, "TP HCM"),
    "92": (12, 0, "Cần Thơ"), "86": (12, 1, "Vĩnh Long"),
    "96": (13, 0, "Cà Mau"),
}  # fmt: skip
HEAT_LEVELS = 4


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    full_name: str
    slug: str
    row: int
    col: int
    products: int
    heat: int


def cartogram(areas: list[Any]) -> list[Tile]:
    """Tiles for the areas of a nation-wide breakdown by today's provinces (empty for any other breakdown)."""
    placed = [a for a in areas if getattr(a, "code", None) in TILES]
    if len(placed) != len(TILES):
        return []
    most = max((a.products for a in placed), default=0)
    tiles = []
    for area in placed:
        row, col, short = TILES[area.code]
        heat = 0 if not area.products or not most else max(1, -(-HEAT_LEVELS * area.products // most))
        tiles.append(Tile(area.code, short, area.name, area.slug, row, col, area.products, heat))
    return sorted(tiles, key=lambda t: (t.row, t.col))
