"""A complete criteria set for tests (not official: the shipped 148 sets have no option points yet)."""

from __future__ import annotations

from typing import Any

from ocop.catalog.models import Regime
from ocop.evaluation.criteria import criteria_set_store

# Test-only points. Each part's criteria reach its 148 maximum (A 40, B 25, C 35).
TEST_SET: dict[str, Any] = {
    "code": "TEST-I.1.a", "name": "Rau, củ, quả, hạt tươi (bộ thử nghiệm)", "category": "I.1.a",
    "parts": [
        {"code": "A", "name": "Sản phẩm và sức mạnh cộng đồng", "max": 40, "sections": [
            {"code": "A1", "name": "Tổ chức sản xuất", "max": 20, "criteria": [
                {"code": "A1.1", "name": "Nguồn nguyên liệu", "options": [["< 50%", 0], ["50–75%", 5], ["> 75%", 10]],
                 "required": {"points": 5, "from_stars": 4}},
                {"code": "A1.2", "name": "Liên kết sản xuất", "options": [["Không", 0], ["Có", 5], ["Chuỗi", 10]]}]},
            {"code": "A2", "name": "Phát triển sản phẩm", "max": 20, "criteria": [
                {"code": "A2.1", "name": "Bao bì", "children": [
                    {"code": "A2.1.a", "name": "Nhãn", "options": [["Thiếu", 0], ["Đủ", 5], ["Truy xuất", 10]]},
                    {"code": "A2.1.b", "name": "Kiểu dáng", "options": [["Kém", 0], ["Đẹp", 10]]}]}]}]},
        {"code": "B", "name": "Khả năng tiếp thị", "max": 25, "sections": [
            {"code": "B4", "name": "Tiếp thị", "max": 25, "criteria": [
                {"code": "B4.1", "name": "Phân phối",
                 "options": [["Trong xã", 0], ["Trong tỉnh", 5], ["Toàn quốc", 15]]},
                {"code": "B4.2", "name": "Quảng bá", "options": [["Không", 0], ["Có", 5], ["Quốc tế", 10]]}]}]},
        {"code": "C", "name": "Chất lượng sản phẩm", "max": 35, "sections": [
            {"code": "C1", "name": "Chất lượng", "max": 35, "criteria": [
                {"code": "C1.1", "name": "Cảm quan", "options": [["Kém", 0], ["Khá", 10], ["Tốt", 20]]},
                {"code": "C1.2", "name": "Tiêu chuẩn", "options": [["Không", 0], ["Có", 8], ["Đầy đủ", 15]]}]}]},
    ],
}  # fmt: skip


def complete_test_set(regime: str = Regime.D148_2023):
    criteria_set, _created = criteria_set_store(data=TEST_SET, regime=regime, source="Bộ thử nghiệm")
    return criteria_set
