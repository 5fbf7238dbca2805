"""The OCOP cycle in a real browser: registration, return and resubmission, three council members, the
decision, the certificate PDF and its verification link."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Regime
from ocop.evaluation import services
from ocop.evaluation.models import Dossier
from ocop.evaluation.tests.helpers import complete_test_set
from ocop.evaluation.tests.test_services import self_assess_all
from ocop.geo.models import Commune, Province
from ocop.producers.models import ProducerMembership
from ocop.producers.tests.factories import ProducerFactory
from tests.e2e.steps import login


def _cast():
    complete_test_set()
    province = Province.objects.get(code="04")
    commune = Commune.objects.filter(province=province).order_by("code").first()
    producer = ProducerFactory(commune=commune, province=province, name="Hợp tác xã Miến dong Nguyên Bình")
    owner = UserFactory(username="htx", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=producer)  # type: ignore[misc]
    UserFactory(username="xa", role=User.Role.COMMUNE_OFFICER, commune=commune, province=province)
    officer = UserFactory(username="tinh", role=User.Role.PROVINCE_OFFICER, province=province)
    today = dt.date.today()
    evaluation_round = services.round_open(
        province=province, year=today.year, number=1, opens_on=today - dt.timedelta(days=5),
        submission_deadline=today + dt.timedelta(days=30), scoring_deadline=today + dt.timedelta(days=60),
        regime=Regime.D1489_2025, by=officer,
    )  # fmt: skip
    members = [UserFactory(username=f"hd{i}", role=User.Role.COUNCIL_MEMBER, province=province) for i in range(3)]
    services.council_create(
        evaluation_round=evaluation_round, level="province", name="Hội đồng OCOP tỉnh Cao Bằng",
        members=[(members[0], "chair"), (members[1], "member"), (members[2], "member")], by=officer,
    )  # fmt: skip
    return {"round": evaluation_round, "producer": producer, "owner": owner}


def choose_best(page):
    # all() does not wait: right after a click that navigates, the old page may still be there (CI once scored
    # nothing, the sheet's page arriving after the loop), so the criteria must be on the page first.
    expect(page.locator("fieldset.criterion").first).to_be_visible()
    for fieldset in page.locator("fieldset.criterion").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.last.check()


def test_a_product_goes_from_registration_to_a_verified_certificate(site, page, shoot, tmp_path):
    _cast()
    asked = []  # submitting and finalising ask first; the journey agrees
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    login(page, site, "htx")
    page.goto(f"{site.url}/ho-so/moi/")
    page.get_by_label("Tên sản phẩm").fill("Miến dong Nguyên Bình")
    page.get_by_label("Nhóm sản phẩm").select_option(label="I.1.a Rau, củ, quả, hạt tươi")
    page.get_by_label("Đợt").select_option(index=1)
    page.get_by_label("Chủ thể").select_option(index=1)
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Miến dong Nguyên Bình")
    choose_best(page)
    page.get_by_role("button", name="Lưu phần tự đánh giá").click()
    page.get_by_role("button", name="Nộp cho xã").click()
    expect(page.locator(".facts")).to_contain_text("Đã nộp cho xã")
    shoot("dossier-submitted")
    dossier_url = page.url

    login(page, site, "xa")
    page.goto(dossier_url)
    page.get_by_label("Trả lại chủ thể").check()
    page.get_by_label("Nội dung còn thiếu (mỗi dòng một mục)").fill("Phiếu kết quả kiểm nghiệm")
    page.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()
    expect(page.locator(".facts")).to_contain_text("Trả lại chủ thể")

    login(page, site, "htx")
    page.goto(dossier_url)
    expect(page.locator(".notice")).to_contain_text("Phiếu kết quả kiểm nghiệm")
    page.get_by_role("button", name="Nộp cho xã").click()
    expect(page.locator(".facts")).to_contain_text("Đã nộp cho xã")

    login(page, site, "xa")
    page.goto(dossier_url)
    page.get_by_label("Chuyển Hội đồng cấp tỉnh").check()
    page.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()
    expect(page.locator(".facts")).to_contain_text("Tại Hội đồng cấp tỉnh")

    for member in ("hd0", "hd1", "hd2"):
        login(page, site, member)
        page.goto(dossier_url)
        page.get_by_role("link", name="Phiếu chấm của bạn").click()
        choose_best(page)
        expect(page.locator("#sheet-total")).to_have_text("100")  # the running total, before anything is saved
        if member == "hd2":
            shoot("score-sheet")
        page.get_by_role("button", name="Lưu và hoàn tất (khóa phiếu)").click()
    expect(page.locator(".result")).to_contain_text("100.00")
    assert any("Nộp hồ sơ cho xã?" in message for message in asked)
    assert any("Hoàn tất phiếu chấm?" in message for message in asked)

    login(page, site, "tinh")
    page.goto(f"{site.url}/ho-so/quyet-dinh/moi/")
    page.get_by_label("Số quyết định").fill("88/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Người ký").fill("Nguyễn Văn B")
    page.get_by_label("Miến dong Nguyên Bình").check()
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator(".messages")).to_contain_text("88/QĐ-UBND")
    assert Dossier.objects.get().status == Dossier.Status.RECOGNISED

    login(page, site, "htx")
    page.goto(dossier_url)
    pdf_link = page.get_by_role("link", name="Giấy chứng nhận (PDF)")
    response = page.request.get(site.url + pdf_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    path = Path(tmp_path) / "gcn.pdf"
    path.write_bytes(response.body())
    pdftotext = shutil.which("pdftotext")
    assert pdftotext
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "Miến dong Nguyên Bình" in text
    verification_url = re.search(r"https?://\S+/verify/\S+/", text).group(0)  # the QR code's address
    page.context.clear_cookies()
    page.goto(verification_url)
    expect(page.locator(".verdict")).to_contain_text("CÒN HIỆU LỰC")
    shoot("certificate-verified")


def test_choices_made_before_the_pages_script_runs_count_in_the_running_total(site, page):
    """On a slow connection a council member can click options before the page's script has arrived."""
    cast = _cast()
    dossier = services.dossier_create(
        evaluation_round=cast["round"], producer=cast["producer"], product_name="Miến dong Nguyên Bình",
        category=Category.objects.get(regime=Regime.D148_2023, code="I.1.a"), by=cast["owner"],
    )  # fmt: skip
    self_assess_all(dossier, cast["owner"])
    services.dossier_submit(dossier=dossier, by=cast["owner"], today=dt.date.today())
    services.dossier_precheck(dossier=dossier, by=User.objects.get(username="xa"), forward=True)
    login(page, site, "hd0")
    held = []  # the script's request, answered only once every option is chosen
    page.route("**/js/site*.js", lambda route: held.append(route))
    page.goto(f"{site.url}/ho-so/{dossier.pk}/phieu-cham/", wait_until="commit")
    expect(page.locator("fieldset.criterion").last).to_be_visible()
    choose_best(page)
    expect(page.locator("#sheet-total")).to_have_text("0")  # nothing counted yet: no script
    assert held
    for route in held:
        route.continue_()
    expect(page.locator("#sheet-total")).to_have_text("100")
