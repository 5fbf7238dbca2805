"""The accounts a province (or the central office) manages, as a spreadsheet."""

from __future__ import annotations

from typing import ClassVar

from ocop.core.exporting import Column, Exporter


class PeopleExporter(Exporter):
    title = "DANH SÁCH TÀI KHOẢN"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda u: None, 6),
        ("Họ và tên", lambda u: u.full_name, 28),
        ("Tên đăng nhập", lambda u: u.username, 20),
        ("E-mail", lambda u: u.email, 30),
        ("Vai trò", lambda u: str(u.get_role_display()), 20),
        ("Tỉnh/thành phố", lambda u: u.province.name if u.province_id else "", 18),
        ("Xã/phường", lambda u: u.commune.name if u.commune_id else "", 22),
        ("Đơn vị", lambda u: u.organisation, 28),
        ("Đang hoạt động", lambda u: "Có" if u.is_active else "Không", 10),
        ("Lần đăng nhập cuối", lambda u: u.last_login.date() if u.last_login else None, 14),
    ]
