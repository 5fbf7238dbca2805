"""The OCOP product classification as data (Decision 148/QĐ-TTg, Phụ lục I; Decision 1048/QĐ-TTg sectors).

Each entry: (code, Vietnamese name, English name, children). A node without children is a leaf,
i.e. it has its own criteria set. 148: 6 groups → 17 subgroups → 26 criteria sets.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ocop.catalog.models import Category, Regime
from ocop.core.text import nfc, slugify_vn

Node = tuple[str, str, str, list[Any]]

CLASSIFICATION_148: list[Node] = [
    ("I", "Thực phẩm", "Food", [
        ("I.1", "Thực phẩm tươi sống", "Fresh food", [
            ("I.1.a", "Rau, củ, quả, hạt tươi", "Fresh vegetables, tubers, fruit and nuts", []),
            ("I.1.b", "Thịt, thủy sản, trứng, sữa tươi", "Fresh meat, seafood, eggs and milk", []),
        ]),
        ("I.2", "Thực phẩm thô, sơ chế", "Raw and lightly processed food", [
            ("I.2.a", "Gạo, ngũ cốc, hạt sơ chế khác", "Rice, cereals and other processed grains", []),
            ("I.2.b", "Mật ong, mật khác và nông sản thực phẩm khác",
             "Honey, other syrups and other farm food", []),
        ]),
        ("I.3", "Thực phẩm chế biến", "Processed food", [
            ("I.3.a", "Đồ ăn nhanh", "Fast food", []),
            ("I.3.b", "Chế biến từ gạo, ngũ cốc", "Made from rice and cereals", []),
            ("I.3.c", "Chế biến từ rau, củ, quả, hạt", "Made from vegetables, tubers, fruit and nuts", []),
            ("I.3.d", "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong, mật khác và nông sản thực phẩm khác",
             "Made from meat, eggs, milk, seafood, honey and other farm food", []),
        ]),
        ("I.4", "Gia vị", "Condiments", [
            ("I.4.a", "Tương, nước mắm, gia vị dạng lỏng khác", "Sauces, fish sauce and other liquid condiments", []),
            ("I.4.b", "Gia vị khác (muối, hành, tỏi, tiêu…)", "Other condiments (salt, shallot, garlic, pepper…)", []),
        ]),
        ("I.5", "Chè", "Tea", [
            ("I.5.a", "Chè tươi, chè chế biến", "Fresh and processed tea", []),
            ("I.5.b", "Sản phẩm chè (trà) từ thực vật khác", "Tea from other plants", []),
        ]),
        ("I.6", "Cà phê, ca cao", "Coffee and cocoa", []),
    ]),
    ("II", "Đồ uống", "Beverages", [
        ("II.1", "Đồ uống có cồn", "Alcoholic beverages", [
            ("II.1.a", "Rượu trắng", "White spirits", []),
            ("II.1.b", "Đồ uống có cồn khác", "Other alcoholic beverages", []),
        ]),
        ("II.2", "Đồ uống không cồn", "Non-alcoholic beverages", [
            ("II.2.a", "Nước khoáng thiên nhiên, nước uống đóng chai", "Natural mineral and bottled water", []),
            ("II.2.b", "Đồ uống không cồn khác", "Other non-alcoholic beverages", []),
        ]),
    ]),
    ("III", "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products", [
        ("III.1", "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",
         "Functional food, herbal and traditional medicine", []),
        ("III.2", "Mỹ phẩm có thành phần từ dược liệu", "Cosmetics with herbal ingredients", []),
        ("III.3", "Tinh dầu và dược liệu khác", "Essential oils and other herbal products", []),
    ]),
    ("IV", "Hàng thủ công mỹ nghệ", "Handicrafts", [
        ("IV.1", "Thủ công mỹ nghệ gia dụng, trang trí", "Household and decorative handicrafts", []),
        ("IV.2", "Vải, may mặc", "Textiles and garments", []),
    ]),
    ("V", "Sinh vật cảnh", "Ornamental plants and animals", [
        ("V.1", "Hoa", "Flowers", []),
        ("V.2", "Cây cảnh", "Ornamental plants", []),
        ("V.3", "Động vật cảnh", "Ornamental animals", []),
    ]),
    ("VI", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
     "Community tourism, eco-tourism and destinations", [
        ("VI.1", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
         "Community tourism, eco-tourism and destinations", []),
    ]),
]  # fmt: skip

# Decision 1048/QĐ-TTg (2019) sectors; their ~25 criteria sets are not all known, so only the sectors
# are kept (plus the one set whose criteria are known). Not mapped one-to-one onto 148.
CLASSIFICATION_1048: list[Node] = [
    ("1", "Thực phẩm", "Food", [
        ("1.1", "Rau, củ, quả, hạt tươi", "Fresh vegetables, tubers, fruit and nuts", []),
    ]),
    ("2", "Đồ uống", "Beverages", []),
    ("3", "Thảo dược", "Herbs", []),
    ("4", "Vải và may mặc", "Textiles and garments", []),
    ("5", "Lưu niệm – nội thất – trang trí", "Souvenirs, furniture and decoration", []),
    ("6", "Dịch vụ du lịch nông thôn, bán hàng", "Rural tourism services and sales", []),
]  # fmt: skip

CLASSIFICATIONS = {Regime.D148_2023: CLASSIFICATION_148, Regime.D1048_2019: CLASSIFICATION_1048}


def _load_nodes(
    regime: str, nodes: list[Node], parent: Category | None, group: Category | None, counter: list[int]
) -> None:
    for code, name, name_en, children in nodes:
        counter[0] += 1
        node, _ = Category.objects.update_or_create(
            regime=regime,
            code=code,
            defaults={
                "name": nfc(name),
                "name_en": name_en,
                "slug": slugify_vn(f"{code} {name}", max_length=100),
                "level": Category.Level.GROUP if parent is None else parent.level + 1,
                "parent": parent,
                "is_leaf": not children,
                "position": counter[0],
            },
        )
        top = group or node
        if node.group_id != top.pk:
            node.group = top
            node.save(update_fields=["group"])
        _load_nodes(regime, children, node, top, counter)


@transaction.atomic
def category_load_reference() -> int:
    """Create or update the classification trees; running it twice changes nothing."""
    counter = [0]
    for regime, tree in CLASSIFICATIONS.items():
        _load_nodes(regime, tree, None, None, counter)
    return counter[0]
