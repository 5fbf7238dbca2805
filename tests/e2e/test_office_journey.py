"""The programme office's year in a real browser: a province officer records a plan with its six tasks and a
target, a training course for 25 producers, an inspection (with a phone photo) that ends in a proposal to revoke,
decides the revocation, then downloads the annual report — the .docx read back with python-docx, the PDF with
pdftotext, Vietnamese intact; the verification page shows the revocation and nothing of the inspection."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

from docx import Document
from PIL import Image
from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.dashboards.tests.helpers import producers_in
from ocop.geo.models import Commune
from ocop.office.models import Inspection, Plan, SupportActivity
from ocop.office.tests.helpers import SIX_TASKS
from tests.e2e.steps import login
from tests.e2e.test_portal_look import _axe

FINDINGS = "Cơ sở đã ngừng sản xuất theo quy trình trong hồ sơ; nhãn ghi sai hạng sao."


def _phone_photo(path) -> None:
    """A photo as a phone takes it: a large JPEG lying on its side (EXIF orientation 6)."""
    picture = Image.new("RGB", (1600, 1200), (150, 110, 70))
    exif = Image.Exif()
    exif[0x0112] = 6
    picture.save(path, "JPEG", quality=85, exif=exif)


def test_a_province_officers_year_ends_in_the_annual_report(site, page, shoot, tmp_path):
    commune = Commune.objects.select_related("province").filter(province__code="04").order_by("code").first()
    cao_bang = commune.province
    product = certified_product("Miến dong Nguyên Bình", stars=3, commune=commune, province=cao_bang,
                                issued_on=dt.date.today() - dt.timedelta(days=300))  # fmt: skip
    certificate = Certificate.objects.get(product=product)
    producers = producers_in(cao_bang, 25)
    UserFactory(username="tinh", role=User.Role.PROVINCE_OFFICER, province=cao_bang, email="tinh@example.vn")
    year = dt.date.today().year
    page.on("dialog", lambda dialog: dialog.accept())

    # A plan with its six tasks and a target.
    login(page, site, "tinh")
    page.locator("#main-nav").get_by_role("link", name="Văn phòng OCOP").click()
    page.get_by_role("link", name="Ghi nhận kế hoạch").click()
    page.locator("select[name=kind]").select_option("plan")
    page.locator("input[name=name]").fill(f"Kế hoạch phát triển sản phẩm OCOP tỉnh Cao Bằng năm {year}")
    page.locator("input[name=number]").fill("12/KH-UBND")
    page.locator("select[name=province]").select_option(str(cao_bang.pk))
    page.locator("input[name=start_year]").fill(str(year))
    page.locator("input[name=end_year]").fill(str(year))
    page.locator("textarea[name=tasks]").fill("\n".join(SIX_TASKS))
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu kế hoạch")
    expect(page.locator("ol li")).to_have_count(6)
    page.locator("select[name=indicator]").select_option("trained")
    page.locator("input[name=value]").fill("20")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu chỉ tiêu")
    expect(page.locator("table")).to_contain_text("Lượt người được tập huấn")
    assert _axe(page) == []
    plan = Plan.objects.get()

    # A training course for 25 producers.
    page.locator(".crumbs").get_by_role("link", name="Hỗ trợ đã thực hiện", exact=True).click()
    page.get_by_role("link", name="Ghi nhận hỗ trợ").click()
    page.locator("select[name=kind]").select_option("training")
    page.locator("input[name=title]").fill(f"Lớp tập huấn kiến thức OCOP năm {year}")
    page.locator("input[name=held_on]").fill(dt.date.today().isoformat())
    page.locator("select[name=province]").select_option(str(cao_bang.pk))
    page.locator("select[name=plan]").select_option(str(plan.pk))
    page.locator("input[name=provider]").fill("Sở Nông nghiệp và Môi trường")
    page.locator("input[name=budget_central]").fill("40000000")
    page.locator("select[name=producers]").select_option([str(p.pk) for p in producers])
    page.get_by_role("button", name="Lưu hoạt động hỗ trợ").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận hoạt động hỗ trợ")
    expect(page.locator("h2").first).to_contain_text("25 chủ thể được hỗ trợ")
    activity = SupportActivity.objects.get()
    assert activity.producers.count() == 25 and activity.participants == 25
    shoot("office-support")

    # An inspection with a photo ends in a proposal to revoke; the province decides it.
    page.locator(".crumbs").get_by_role("link", name="Kiểm tra", exact=True).click()
    page.get_by_label("Kiểm tra sản phẩm có giấy chứng nhận số").fill(certificate.number)
    page.get_by_role("button", name="Lập kế hoạch hoặc ghi nhận kiểm tra").click()
    page.locator("select[name=kind]").select_option("unplanned")
    page.locator("input[name=inspected_on]").fill(dt.date.today().isoformat())
    page.locator("input[name=inspectors]").fill("Đoàn kiểm tra liên ngành tỉnh")
    page.locator("select[name=check_dossier]").select_option("no")
    page.locator("select[name=check_label]").select_option("no")
    page.locator("textarea[name=findings]").fill(FINDINGS)
    page.locator("select[name=outcome]").select_option("revoke")
    photo = tmp_path / "IMG_20261120_101500.jpg"
    _phone_photo(photo)
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.get_by_role("button", name="Lưu cuộc kiểm tra").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu cuộc kiểm tra")
    expect(page.locator(".facts")).to_contain_text("Đề nghị thu hồi")
    inspection = Inspection.objects.get()
    assert inspection.photos.count() == 1
    page.locator("input[name=decision_number]").fill("88/QĐ-UBND")
    page.locator("input[name=revoked_on]").fill(dt.date.today().isoformat())
    page.locator("textarea[name=reason]").fill("Không duy trì điều kiện sản xuất theo hồ sơ được công nhận.")
    page.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã thu hồi giấy chứng nhận")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revocation_decision == "88/QĐ-UBND"
    assert _axe(page) == []
    shoot("office-inspection")

    # The public verification page: the revocation, nothing of the inspection.
    page.context.clear_cookies()
    page.goto(f"{site.url}/verify/{certificate.verification_code}/")
    body = page.locator("main").inner_text()
    assert "88/QĐ-UBND" in body and FINDINGS not in body and "nhãn ghi sai" not in body and "Đoàn kiểm tra" not in body

    # The annual report, downloaded in both formats.
    login(page, site, "tinh")
    page.goto(f"{site.url}/thong-ke/bao-cao-nam/")
    page.locator("input[name=nam]").fill(str(year))
    page.locator("select[name=tinh]").select_option(cao_bang.slug)
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("article.report")).to_contain_text("Báo cáo kết quả thực hiện Chương trình OCOP")
    assert _axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải .docx").click()
    docx_path = tmp_path / "bao-cao.docx"
    download.value.save_as(docx_path)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM {year}" in text
    for index, task in enumerate(SIX_TASKS, start=1):
        assert f"{index}. {task}" in text
    assert "tổ chức 1 lớp tập huấn cho 25 lượt học viên" in text
    assert "1 đề nghị thu hồi" in text and "đã thu hồi 1 giấy chứng nhận" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    pdf_path = tmp_path / "bao-cao.pdf"
    download.value.save_as(pdf_path)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext
    pdf = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    flat = " ".join(pdf.split())
    assert "Đào tạo, tập huấn, xúc tiến thương mại, hội chợ và kết nối cung cầu" in flat
    assert "lượt học viên" in flat and "Kiểm tra, giám sát" in flat
