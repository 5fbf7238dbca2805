"""The programme office's year, on the sentences provinces published."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.core.errors import ApplicationError
from ocop.dashboards.annual import annual_docx, annual_pdf, annual_report
from ocop.dashboards.narrative import narrative
from ocop.dashboards.selectors import dashboard_stats
from ocop.dashboards.tests.helpers import certify, holding, producers_in
from ocop.geo.models import LegacyProvince, Province
from ocop.geo.scope import Scope
from ocop.office import services
from ocop.office.models import Inspection, PlanTask, SupportActivity, SupportRequest, Target
from ocop.office.selectors import plan_reports, support_stats
from ocop.office.tests.helpers import SIX_TASKS, plan, support

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def bac_kan_2020(db):
    """Former Bắc Kạn (part of Thái Nguyên since 1 July 2025): its 2018–2020 plan set 40 products; 107 were
    certified in the period (and one after it, and one product twice)."""
    bac_kan = LegacyProvince.objects.get(code="06")
    thai_nguyen = Province.objects.get(code="19")
    owners = producers_in(thai_nguyen, 30, legacy_province=bac_kan)
    products = [ProductFactory(producer=owners[i % 30]) for i in range(107)]
    for index, product in enumerate(products):
        certify(product, 4 if index < 7 else 3, dt.date(2019, 3, 1) + dt.timedelta(days=index * 6))
    certify(products[0], 4, dt.date(2020, 12, 30))  # a second certificate of the same product counts once
    certify(ProductFactory(producer=owners[1]), 3, dt.date(2021, 2, 1))  # after the period
    return plan(bac_kan, 2018, 2020, tasks=SIX_TASKS, number="45/KH-UBND", signed_on=dt.date(2018, 4, 2),
                targets=[{"indicator": Target.Indicator.CERTIFIED, "value": 40}])  # fmt: skip


def test_a_former_provinces_plan_reproduces_the_published_achievement(bac_kan_2020):
    (report,) = plan_reports([bac_kan_2020], on=TODAY)
    (row,) = report.rows
    assert (row.actual, row.difference, row.percent) == (107, 67, Decimal("267.5"))
    d = dashboard_stats(scope=Scope.of(bac_kan_2020.legacy_province), on=dt.date(2020, 12, 31), year=2020)
    assert "vượt 67 sản phẩm, đạt 267,5% kế hoạch" in narrative(d, language="vi", today=TODAY)
    # the history rolls up into today's Thái Nguyên: its dashboard lists the former province's plan too
    today = dashboard_stats(scope=Scope.of(Province.objects.get(code="19")), on=dt.date(2020, 12, 31), year=2020)
    assert [r.actual for r in today.plans] == [107]
    assert "exceeding" in narrative(today, language="en", today=TODAY) or "above target" in narrative(
        today, language="en", today=TODAY
    )


def test_ten_promotion_videos_are_written_as_the_province_wrote_them(cao_bang):
    producers = producers_in(cao_bang, 10)
    for index, producer in enumerate(producers):
        support(cao_bang, SupportActivity.Kind.VIDEO, dt.date(2024, 3, 1) + dt.timedelta(days=index),
                producers=[producer], budget_province=15_000_000)  # fmt: skip
    support(cao_bang, SupportActivity.Kind.TRAINING, dt.date(2024, 5, 10), producers=producers[:4], participants=25,
            budget_central=40_000_000)  # fmt: skip
    support(cao_bang, SupportActivity.Kind.VIDEO, dt.date(2023, 12, 31))  # another year: not counted
    d = dashboard_stats(scope=Scope.of(cao_bang), on=dt.date(2024, 12, 31), year=2024)
    assert d.support.of("video").activities == 10 and d.support.total_budget == 190_000_000
    vi = narrative(d, language="vi", today=TODAY)
    assert "hỗ trợ" in vi and "xây dựng 10 video quảng bá" in vi
    assert "tổ chức 1 lớp tập huấn cho 25 lượt học viên" in vi
    assert "190.000.000 đồng" in vi and "ngân sách trung ương 40.000.000 đồng" in vi
    en = narrative(d, language="en", today=TODAY)
    assert "building 10 promotion videos" in en and "190,000,000 VND" in en


def test_the_annual_report_lists_the_plans_six_tasks_in_docx_and_pdf(bac_kan_2020, tmp_path):
    import shutil
    import subprocess

    from docx import Document

    with translation.override("vi"):
        report = annual_report(scope=Scope.of(bac_kan_2020.legacy_province), year=2020, today=TODAY)
        docx_bytes, pdf_bytes = annual_docx(report), annual_pdf(report)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM 2020" in text
    for index, task in enumerate(SIX_TASKS, start=1):
        assert f"{index}. {task}" in text
    assert "vượt 67 sản phẩm, đạt 267,5% kế hoạch" in text
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is installed by make test"
    pdf_text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True,  # noqa: S603
                              check=True).stdout  # fmt: skip
    flat = " ".join(pdf_text.split())
    assert "Kiểm tra, giám sát chu trình OCOP và sản phẩm đã được công nhận" in flat
    assert "đạt 267,5% kế hoạch" in flat
    # the same report again from the same records says the same (reproducible for a past year)
    with translation.override("vi"):
        again = annual_report(
            scope=Scope.of(bac_kan_2020.legacy_province), year=2020, today=TODAY + dt.timedelta(days=40)
        )
    assert again.text() == report.text()


def test_task_areas_are_read_from_the_plans_words(cao_bang, province_officer):
    saved = services.plan_save(by=province_officer, tasks=SIX_TASKS, kind="plan", name="Kế hoạch OCOP",
                               province=cao_bang, start_year=2021, end_year=2025)  # fmt: skip
    areas = list(saved.tasks.values_list("area", flat=True))
    assert areas == ["raw_materials", "value_chains", "cycle", "promotion", "digital", "inspection"]
    assert PlanTask.objects.filter(plan=saved).count() == 6


def test_only_the_own_province_records_plans_and_targets(cao_bang, ha_noi, province_officer, central_officer):
    with pytest.raises(ApplicationError) as refused:
        services.plan_save(by=province_officer, kind="plan", name="X", province=ha_noi, start_year=2021, end_year=2025)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        services.plan_save(by=province_officer, kind="plan", name="X", province=None, start_year=2021, end_year=2025)
    national = services.plan_save(by=central_officer, kind="programme", name="Chương trình OCOP 2021-2025",
                                  start_year=2021, end_year=2025)  # fmt: skip
    assert national.owner_province_id is None
    mine = services.plan_save(by=province_officer, kind="plan", name="KH", province=cao_bang, start_year=2021,
                              end_year=2025)  # fmt: skip
    services.target_save(by=province_officer, plan=mine, indicator="certified", stars=None, year=2023, value=20)
    with pytest.raises(ApplicationError) as outside:
        services.target_save(by=province_officer, plan=mine, indicator="certified", stars=None, year=2019, value=5)
    assert outside.value.field == "year"
    with pytest.raises(ApplicationError) as twice:
        services.target_save(by=province_officer, plan=mine, indicator="certified", stars=None, year=2023, value=9)
    assert twice.value.code == "duplicate"
    with pytest.raises(ApplicationError) as source:
        services.target_save(by=province_officer, plan=mine, indicator="trained", year=None, value=500,
                             entered_actual=480, entered_source="")  # fmt: skip
    assert source.value.field == "entered_source"


def test_actuals_come_from_the_records_or_are_entered_with_a_source(cao_bang, province_officer):
    products = holding(cao_bang, products=5, producers=3, levels={3: 4, 5: 1}, on=dt.date(2022, 6, 30))
    owners = list({p.producer for p in products})
    support(cao_bang, "training", dt.date(2022, 4, 1), producers=owners, participants=60)
    support(cao_bang, "training", dt.date(2022, 9, 1), producers=owners[:1], participants=15)
    from ocop.market.tests.factories import SalesChannelFactory

    SalesChannelFactory(product=products[0], kind="ecommerce", name="Shopee", since=dt.date(2022, 1, 1))
    SalesChannelFactory(product=products[1], kind="retail", name="WinMart", since=dt.date(2022, 1, 1))
    record = plan(cao_bang, 2021, 2025, targets=[
        {"indicator": "certified", "value": 4, "year": 2022},
        {"indicator": "certified", "stars": 5, "value": 2},
        {"indicator": "producers", "value": 2, "year": 2022},
        {"indicator": "trained", "value": 100, "year": 2022},
        {"indicator": "ecommerce", "value": 2},
        {"indicator": "sale_points", "value": 3, "entered_actual": 4, "entered_source": "Báo cáo 12/BC-SCT"},
    ])  # fmt: skip
    (report,) = plan_reports([record], on=dt.date(2022, 12, 31))
    got = {(r.target.indicator, r.target.stars): (r.actual, r.entered) for r in report.rows}
    assert got == {
        ("certified", None): (5, False),
        ("certified", 5): (1, False),
        ("producers", None): (3, False),
        ("trained", None): (75, False),
        ("ecommerce", None): (1, False),
        ("sale_points", None): (4, True),
    }


def test_plan_figures_take_a_fixed_number_of_queries(cao_bang):
    record = plan(cao_bang, 2021, 2025, targets=[{"indicator": "certified", "value": 4}])

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            plan_reports([record], on=TODAY)
        return len(context)

    before = count()
    for indicator in ("producers", "trained", "fairs", "ecommerce", "sale_points"):
        Target.objects.create(plan=record, indicator=indicator, value=3)
        Target.objects.create(plan=record, indicator=indicator, value=3, year=2023)
    Target.objects.create(plan=record, indicator="certified", value=3, stars=4)
    after = count()
    assert after <= before + 5  # one aggregate per kind of record, whatever the number of targets


def test_support_counts_each_producer_once_and_budget_by_source(cao_bang):
    producers = producers_in(cao_bang, 3)
    support(cao_bang, "packaging", dt.date(2024, 2, 1), producers=producers[:2], budget_local=10_000_000,
            budget_other=5_000_000)  # fmt: skip
    support(cao_bang, "packaging", dt.date(2024, 6, 1), producers=producers[1:], budget_province=20_000_000)
    figures = support_stats(scope=Scope.of(cao_bang), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    packaging = figures.of("packaging")
    assert (packaging.activities, packaging.producers, packaging.budget) == (2, 3, 35_000_000)
    assert figures.budget == {"budget_central": 0, "budget_province": 20_000_000, "budget_local": 10_000_000,
                              "budget_other": 5_000_000}  # fmt: skip


def test_an_inspection_proposes_revocation_and_the_province_decides_it(cao_bang, province_officer, commune_officer):
    product = holding(cao_bang, products=1, producers=1, levels={4: 1}, on=TODAY)[0]
    certificate = product.certificates.get()
    with pytest.raises(ApplicationError) as no_findings:
        services.inspection_save(by=province_officer, certificate=certificate, kind="unplanned",
                                 inspected_on=TODAY, outcome="revoke", findings="")  # fmt: skip
    assert no_findings.value.field == "findings"
    with pytest.raises(ApplicationError) as no_deadline:
        services.inspection_save(by=province_officer, certificate=certificate, kind="planned", inspected_on=TODAY,
                                 outcome="remedy", findings="Nhãn sai")  # fmt: skip
    assert no_deadline.value.field == "remedy_by"
    with pytest.raises(ApplicationError):
        services.inspection_save(by=commune_officer, certificate=certificate, planned_on=TODAY)
    inspection = services.inspection_save(
        by=province_officer, certificate=certificate, kind="unplanned", inspected_on=TODAY, outcome="revoke",
        findings="Sản phẩm không còn sản xuất theo hồ sơ được công nhận; dùng nhãn OCOP cho sản phẩm khác.",
        checklist={"dossier": False, "label": False},
    )  # fmt: skip
    assert inspection.outcome == Inspection.Outcome.REVOKE and certificate.refresh_from_db() is None
    assert certificate.status == Certificate.Status.VALID  # a proposal is not a decision
    services.inspection_revoke(by=province_officer, inspection=inspection, revoked_on=TODAY,
                               decision_number="88/QĐ-UBND", reason=inspection.findings)  # fmt: skip
    certificate.refresh_from_db()
    inspection.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revocation_decision == "88/QĐ-UBND"
    assert inspection.revocation_decided
    with pytest.raises(ApplicationError):
        services.inspection_revoke(by=province_officer, inspection=inspection, revoked_on=TODAY,
                                   decision_number="89/QĐ-UBND", reason="x")  # fmt: skip


def test_the_verification_page_shows_the_status_and_nothing_of_the_inspection(client, cao_bang, province_officer):
    product = holding(cao_bang, products=1, producers=1, levels={3: 1}, on=TODAY)[0]
    certificate = product.certificates.get()
    findings = "Phát hiện bí mật: kho chứa không đạt vệ sinh"
    inspection = services.inspection_save(by=province_officer, certificate=certificate, kind="planned",
                                           inspected_on=TODAY, outcome="revoke", findings=findings)  # fmt: skip
    page = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    assert page.status_code == 200 and findings not in page.content.decode()
    services.inspection_revoke(by=province_officer, inspection=inspection, revoked_on=TODAY,
                               decision_number="90/QĐ-UBND", reason="Không duy trì chất lượng")  # fmt: skip
    page = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    body = page.content.decode()
    assert "thu hồi" in body.lower() and findings not in body and "kho chứa" not in body


def test_a_producer_asks_for_support_and_the_province_answers(client, cao_bang, province_officer, producer_user):
    from ocop.producers.models import ProducerMembership

    producer = producers_in(cao_bang, 1)[0]
    ProducerMembership.objects.create(user=producer_user, producer=producer)
    client.force_login(producer_user)
    page = client.get(reverse("office:my-support"))
    assert page.status_code == 200
    sent = client.post(reverse("office:my-support"), {"producer": producer.pk, "kind": "packaging",
                                                      "message": "Cần thiết kế lại nhãn và bao bì"})  # fmt: skip
    assert sent.status_code == 302
    request = SupportRequest.objects.get()
    assert province_officer.notifications.filter(kind="support").exists()
    activity = support(cao_bang, "packaging", TODAY, title="Thiết kế bao bì 2026")
    client.force_login(province_officer)
    answered = client.post(reverse("office:request-answer", args=[request.pk]),
                           {"grant": "1", "answer": "Đã đưa vào đợt hỗ trợ", "activity": activity.pk})  # fmt: skip
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted" and producer in activity.producers.all()
    client.force_login(producer_user)
    assert "Thiết kế bao bì 2026" in client.get(reverse("office:my-support")).content.decode()


def test_a_remedy_is_checked_again_by_a_follow_up_inspection(cao_bang, province_officer):
    product = holding(cao_bang, products=1, producers=1, levels={3: 1}, on=TODAY)[0]
    certificate = product.certificates.get()
    first = services.inspection_save(
        by=province_officer,
        certificate=certificate,
        kind="planned",
        inspected_on=TODAY - dt.timedelta(days=60),
        outcome="remedy",
        remedy_by=TODAY - dt.timedelta(days=10),
        findings="Nhãn thiếu hạng sao",
    )
    again = services.inspection_save(by=province_officer, certificate=certificate, follow_up_of=first,
                                     kind="planned", inspected_on=TODAY, outcome="passed")  # fmt: skip
    assert list(first.follow_ups.all()) == [again] and again.remedy_by is None
    figures = dashboard_stats(scope=Scope.of(cao_bang), on=TODAY, year=TODAY.year).inspections
    assert (figures.total, figures.outcomes["remedy"], figures.outcomes["passed"]) == (2, 1, 1)
    vi = narrative(dashboard_stats(scope=Scope.of(cao_bang), on=TODAY, year=TODAY.year), language="vi", today=TODAY)
    assert (
        "đã kiểm tra, giám sát 2 sản phẩm OCOP sau công nhận (2 theo kế hoạch, 0 đột xuất): 1 đạt, 1 yêu cầu khắc phục"
        in vi
    )


def test_the_statistics_api_carries_plans_support_and_inspections(client, bac_kan_2020):
    thai_nguyen = Province.objects.get(code="19")
    support(thai_nguyen, "video", dt.date(2020, 6, 1), budget_province=12_000_000,
            producers=list(bac_kan_2020.legacy_province.producers.all()[:1]))  # fmt: skip
    answer = client.get("/api/v1/statistics", {"scope": "legacy_province", "code": "06", "on": "2020-12-31",
                                                "year": 2020}).json()  # fmt: skip
    (row,) = answer["plans"]
    assert (row["target"], row["actual"], row["difference"], row["percent"]) == (40, 107, 67, 267.5)
    assert answer["support"]["kinds"][0]["kind"] == "video" and answer["support"]["budget"]["province"] == 12_000_000
    assert answer["inspections"]["total"] == 0 and "đạt 267,5% kế hoạch" in answer["summary_vi"]
