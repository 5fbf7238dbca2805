"""The office's pages: who records what, what bad input gets, and a fixed number of queries per list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.dashboards.tests.helpers import holding, producers_in
from ocop.geo.models import LegacyProvince, Province
from ocop.office.models import Inspection, Plan, SupportActivity, Target
from ocop.office.tests.helpers import SIX_TASKS, plan, support

pytestmark = pytest.mark.django_db


def test_a_province_officer_records_a_plan_with_tasks_and_targets(client, cao_bang, province_officer):
    client.force_login(province_officer)
    response = client.post(reverse("office:plan-create"), {
        "kind": "plan", "name": "Kế hoạch OCOP 2021-2025", "number": "45/KH-UBND", "province": cao_bang.pk,
        "start_year": 2021, "end_year": 2025, "tasks": "\n".join(SIX_TASKS),
    })  # fmt: skip
    assert response.status_code == 302
    saved = Plan.objects.get()
    assert saved.tasks.count() == 6 and saved.owner_province == cao_bang
    url = reverse("office:plan-detail", args=[saved.pk])
    assert client.post(url, {"indicator": "certified", "value": 120}).status_code == 302
    again = client.post(url, {"indicator": "certified", "value": 90})
    assert again.status_code == 400 and "Kế hoạch đã có chỉ tiêu này" in again.content.decode()
    outside = client.post(url, {"indicator": "certified", "year": 2019, "value": 5})
    assert outside.status_code == 400 and "nằm ngoài giai đoạn 2021–2025" in outside.content.decode()
    hostile = client.post(url, {"indicator": "<script>", "value": "-1"})
    assert hostile.status_code == 400 and Target.objects.count() == 1
    page = client.get(url).content.decode()
    assert "Tổ chức sản xuất gắn với vùng nguyên liệu địa phương" in page and "Đếm từ dữ liệu" in page


def test_a_province_officer_cannot_record_for_another_province(client, ha_noi, province_officer):
    client.force_login(province_officer)
    response = client.post(reverse("office:plan-create"), {
        "kind": "plan", "name": "X", "province": ha_noi.pk, "start_year": 2021, "end_year": 2025})  # fmt: skip
    assert response.status_code == 400 and not Plan.objects.exists()  # not a choice for them
    theirs = plan(ha_noi, 2021, 2025)
    assert client.post(reverse("office:plan-detail", args=[theirs.pk]), {"indicator": "certified",
                                                                        "value": 3}).status_code == 404  # fmt: skip


def test_a_former_provinces_plan_is_recorded_by_its_successor(client, province_officer, central_officer):
    thai_nguyen = Province.objects.get(code="19")
    bac_kan = LegacyProvince.objects.get(code="06")
    officer = UserFactory(username="tn", role=User.Role.PROVINCE_OFFICER, province=thai_nguyen)
    client.force_login(officer)
    response = client.post(reverse("office:plan-create"), {
        "kind": "plan", "name": "KH OCOP Bắc Kạn 2018-2020", "legacy_province": bac_kan.pk, "start_year": 2018,
        "end_year": 2020})  # fmt: skip
    assert response.status_code == 302
    saved = Plan.objects.get()
    assert saved.legacy_province == bac_kan and saved.owner_province == thai_nguyen and saved.province is None
    client.force_login(province_officer)  # Cao Bằng
    assert client.get(reverse("office:plan-detail", args=[saved.pk])).status_code == 404


def test_the_office_lists_take_a_fixed_number_of_queries(client, cao_bang, province_officer):
    client.force_login(province_officer)
    urls = [reverse("office:plan-list"), reverse("office:support-list"), reverse("office:inspection-list"),
            reverse("office:request-list")]  # fmt: skip

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context))
        return result

    plan(cao_bang, 2021, 2025, tasks=SIX_TASKS, targets=[{"indicator": "certified", "value": 5}])
    products = holding(cao_bang, products=2, producers=2, levels={3: 2}, on=dt.date(2026, 6, 1))
    support(cao_bang, "training", dt.date(2026, 3, 1), producers=producers_in(cao_bang, 3))
    Inspection.objects.create(certificate=products[0].certificates.get(), planned_on=dt.date(2026, 12, 20))
    before = counts()
    for index in range(6):
        plan(cao_bang, 2021, 2025, name=f"Kế hoạch {index}", tasks=SIX_TASKS)
        support(cao_bang, "video", dt.date(2026, 4, 1 + index), producers=producers_in(cao_bang, 2))
        Inspection.objects.create(certificate=products[index % 2].certificates.get(), inspected_on=dt.date(2026, 5, 1),
                                  outcome="passed")  # fmt: skip
    assert counts() == before


def test_plan_detail_and_annual_report_take_a_fixed_number_of_queries(client, cao_bang, province_officer):
    client.force_login(province_officer)
    record = plan(cao_bang, 2021, 2025, tasks=SIX_TASKS, targets=[{"indicator": "certified", "value": 5}])
    url = reverse("office:plan-detail", args=[record.pk])
    annual = reverse("dashboards:annual-report") + f"?nam=2025&tinh={cao_bang.slug}"

    def count(address: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(address).status_code == 200
        return len(context)

    before = count(url), count(annual)
    for indicator in ("producers", "trained", "fairs", "ecommerce", "sale_points"):
        Target.objects.create(plan=record, indicator=indicator, value=3)
        Target.objects.create(plan=record, indicator=indicator, value=3, year=2023)
    plan(cao_bang, 2024, 2026, tasks=SIX_TASKS[:2], targets=[{"indicator": "trained", "value": 9}])
    for index in range(4):
        support(cao_bang, ("video", "training", "packaging", "fair")[index], dt.date(2025, 3, 1 + index),
                producers=producers_in(cao_bang, 2), budget_province=1_000_000)  # fmt: skip
    after = count(url), count(annual)
    assert after[0] <= before[0] + 5  # one aggregate per kind of record now present
    assert after[1] <= before[1] + 10  # + the support figures (3), the targets' kinds of record, the second plan


def test_a_training_course_by_tax_codes_and_bad_lines_named(client, cao_bang, province_officer):
    client.force_login(province_officer)
    producers = producers_in(cao_bang, 3)
    for index, producer in enumerate(producers):
        producer.tax_code = f"470000000{index}"
        producer.save()
    data = {"kind": "training", "title": "Lớp tập huấn OCOP", "held_on": "2026-05-20", "province": cao_bang.pk,
            "budget_central": "", "budget_province": "25000000", "budget_local": "", "budget_other": "",
            "producer_lines": "4700000000\n4700000001\nKhông có ai", "action": "save"}  # fmt: skip
    refused = client.post(reverse("office:support-create"), data)
    assert refused.status_code == 400 and "Không có ai" in refused.content.decode()
    assert not SupportActivity.objects.exists()
    data["producer_lines"] = f"4700000000\n{producers[1].name}\n4700000002"
    saved = client.post(reverse("office:support-create"), data)
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    activity = SupportActivity.objects.get()
    assert activity.producers.count() == 3 and activity.participants == 3 and activity.budget == 25_000_000


def test_support_shows_on_the_producers_page_to_officers_only(client, cao_bang, province_officer, buyer):
    producer = producers_in(cao_bang, 1)[0]
    support(cao_bang, "video", dt.date(2026, 2, 1), producers=[producer], title="Video quảng bá miến dong")
    url = reverse("site:producer-detail", args=[producer.pk, producer.slug])
    assert "Video quảng bá miến dong" not in client.get(url).content.decode()
    client.force_login(buyer)
    assert "Video quảng bá miến dong" not in client.get(url).content.decode()
    client.force_login(province_officer)
    assert "Video quảng bá miến dong" in client.get(url).content.decode()


def test_inspection_bad_input_is_named_and_nothing_is_lost(client, cao_bang, province_officer):
    client.force_login(province_officer)
    product = holding(cao_bang, products=1, producers=1, levels={3: 1}, on=dt.date(2026, 6, 1))[0]
    certificate = product.certificates.get()
    unknown = client.get(reverse("office:inspection-create") + "?so=KHONG-CO")
    assert unknown.status_code == 400 and "KHONG-CO" in unknown.content.decode()
    url = reverse("office:inspection-create") + f"?so={certificate.number}"
    assert client.get(url).status_code == 200
    future = client.post(url, {"kind": "planned", "inspected_on": "2099-01-01", "outcome": "passed"})
    assert future.status_code == 400 and "không thể ở tương lai" in future.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = SimpleUploadedFile("anh.jpg", b"not a photo", content_type="image/jpeg")
    response = client.post(url, {"kind": "planned", "inspected_on": "2026-11-20", "outcome": "remedy",
                                 "remedy_by": "2026-12-30", "findings": "Nhãn sai", "photos": broken})  # fmt: skip
    assert response.status_code == 400 and not Inspection.objects.exists()


def test_detail_pages_and_the_producers_own_page_take_a_fixed_number_of_queries(
    client, cao_bang, province_officer, producer_user
):
    from ocop.office.models import SupportRequest
    from ocop.producers.models import ProducerMembership

    own = producers_in(cao_bang, 1)[0]
    ProducerMembership.objects.create(user=producer_user, producer=own)
    product = holding(cao_bang, products=1, producers=1, levels={3: 1}, on=dt.date(2026, 6, 1))[0]
    activity = support(cao_bang, "training", dt.date(2026, 3, 1), producers=[own, *producers_in(cao_bang, 2)])
    inspection = Inspection.objects.create(
        certificate=product.certificates.get(),
        inspected_on=dt.date(2026, 5, 1),
        outcome="remedy",
        remedy_by=dt.date(2026, 7, 1),
        findings="Nhãn",
    )
    SupportRequest.objects.create(producer=own, kind="video", message="Cần video")

    def count(user, url: str) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    pages = [(province_officer, reverse("office:support-detail", args=[activity.pk])),
             (province_officer, reverse("office:inspection-detail", args=[inspection.pk])),
             (producer_user, reverse("office:my-support"))]  # fmt: skip
    before = [count(user, url) for user, url in pages]
    activity.producers.add(*producers_in(cao_bang, 5))
    for index in range(4):
        Inspection.objects.create(certificate=product.certificates.get(), follow_up_of=inspection,
                                  inspected_on=dt.date(2026, 7, 2 + index), outcome="passed")  # fmt: skip
        SupportRequest.objects.create(producer=own, kind="fair", message=f"Hội chợ {index}")
        support(cao_bang, "video", dt.date(2026, 4, 1 + index), producers=[own])
    assert [count(user, url) for user, url in pages] == before


def test_the_annual_report_command_writes_the_docx(tmp_path, cao_bang):
    from django.core.management import call_command
    from docx import Document

    plan(cao_bang, 2025, 2025, tasks=SIX_TASKS, number="7/KH-UBND", targets=[{"indicator": "certified", "value": 3}])
    target = tmp_path / "bao-cao.docx"
    call_command("annual_report", "--year", "2025", "--province", "04", "-o", str(target))
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM 2025" in text and "Tỉnh Cao Bằng" in text
    assert "6. Kiểm tra, giám sát chu trình OCOP và sản phẩm đã được công nhận" in text
