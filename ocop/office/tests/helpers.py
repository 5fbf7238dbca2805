"""Plans, support and inspections as provinces record them, in data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ocop.office.models import Plan, PlanTask, SupportActivity, Target

SIX_TASKS = [
    "Tổ chức sản xuất gắn với vùng nguyên liệu địa phương",
    "Tiêu chuẩn hóa, phát triển sản phẩm theo chuỗi giá trị",
    "Triển khai chu trình OCOP thường niên",
    "Đào tạo, tập huấn, xúc tiến thương mại, hội chợ và kết nối cung cầu",
    "Ứng dụng công nghệ thông tin, chuyển đổi số",
    "Kiểm tra, giám sát chu trình OCOP và sản phẩm đã được công nhận",
]


def plan(place: Any = None, start: int = 2021, end: int = 2025, *, tasks: list[str] | None = None,
         targets: list[dict[str, Any]] | None = None, **fields: Any) -> Plan:  # fmt: skip
    """A plan of a province (or a former province, or the nation when `place` is None) with its targets."""
    from ocop.geo.models import LegacyProvince

    legacy = isinstance(place, LegacyProvince)
    record = Plan.objects.create(
        name=fields.pop("name", f"Kế hoạch thực hiện Chương trình OCOP giai đoạn {start}-{end}"),
        province=None if legacy else place, legacy_province=place if legacy else None,
        owner_province_id=(place.successor_id if legacy else place.pk) if place is not None else None,
        start_year=start, end_year=end, **fields,
    )  # fmt: skip
    for index, title in enumerate(tasks or []):
        PlanTask.objects.create(plan=record, position=index, title=title)
    for target in targets or []:
        Target.objects.create(plan=record, **target)
    return record


def support(province: Any, kind: str, held_on: dt.date, *, producers: list[Any] = (), **fields: Any) -> SupportActivity:
    activity = SupportActivity.objects.create(
        province=province, kind=kind, held_on=held_on, title=fields.pop("title", f"Hỗ trợ {kind}"), **fields
    )
    activity.producers.set(producers)
    return activity
