"""Each role's day from its first e-mail, in the browser, never opening /admin/: a commune officer invited by the
province office, a producer who signs up, claims its producer, puts three photos on its product, registers a
dossier with evidence on one criterion and submits it, and the invited commune officer who pre-checks it."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.catalog.models import ProductImage
from ocop.catalog.tests.helpers import certified_product
from ocop.evaluation.models import Dossier
from ocop.producers.models import Producer, ProducerMembership
from tests.e2e.steps import invite, login
from tests.e2e.test_evaluation_journey import _cast, choose_best

PASSWORD = "Mật-khẩu-đủ-dài-2026"


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _link(to: str, fragment: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(rf"https?://\S*{fragment}\S*", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no e-mail to {to} with {fragment}: {[m.subject for m in mail.outbox]}")


def _photo(path, colour) -> str:
    picture = Image.new("RGB", (1600, 1200), colour)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_from_the_first_e_mail_to_the_days_work(site, page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _cast()
    producer = Producer.objects.get(name="Hợp tác xã Miến dong Nguyên Bình")
    producer.tax_code = "4800123456"
    producer.save(update_fields=["tax_code"])
    product = certified_product("Miến dong Nguyên Bình loại đặc biệt", producer=producer, stars=3)
    ProducerMembership.objects.filter(producer=producer).delete()  # the producer has no account yet
    tinh = User.objects.get(username="tinh")
    tinh.email = "tinh@example.vn"
    tinh.save(update_fields=["email"])
    page.on("dialog", lambda dialog: dialog.accept())

    # The province office invites a commune officer; she accepts from the e-mail.
    login(page, site, "tinh")
    invite(page, site, email="can.bo.xa@example.vn", full_name="Hoàng Thị Mai", role="commune_officer",
           commune=str(producer.commune_id))  # fmt: skip
    _work()
    page.context.clear_cookies()
    page.goto(_link("can.bo.xa@example.vn", "/nhan-loi-moi/"))
    page.locator("input[name=username]").fill("maihoang")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Hoàng Thị Mai")
    assert User.objects.get(username="maihoang").commune_id == producer.commune_id

    # A producer signs up, confirms its address, claims its cooperative; the province office confirms.
    page.context.clear_cookies()
    page.goto(f"{site.url}/tai-khoan/dang-ky/")
    page.locator("input[name=role][value=producer]").check()
    page.locator("input[name=full_name]").fill("Lý Văn Páo")
    page.locator("input[name=organisation]").fill("HTX Miến dong Nguyên Bình")
    page.locator("input[name=email]").fill("pao@example.vn")
    page.locator("input[name=username]").fill("lyvanpao")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hãy kiểm tra hộp thư")
    _work()
    page.goto(_link("pao@example.vn", "/dang-ky/xac-nhan/"))
    expect(page).to_have_url(re.compile(r"/chu-the/cua-toi/$"))
    page.get_by_role("link", name="Nhận chủ thể của tôi").click()
    page.locator("input[name=tax_code]").fill("480 012 3456")
    page.locator("input[name=position]").fill("Giám đốc")
    page.get_by_role("button", name="Gửi cơ quan OCOP").click()
    expect(page.locator(".messages")).to_contain_text("Hợp tác xã Miến dong Nguyên Bình")
    login(page, site, "tinh")
    page.goto(f"{site.url}/chu-the/xac-nhan/")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".messages")).to_be_visible()

    # The producer edits its product's page with three photos, registers a dossier, attaches evidence, submits.
    page.context.clear_cookies()
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill("lyvanpao")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/chu-the/cua-toi/$"))
    page.get_by_role("link", name="Sửa trang và ảnh").click()
    for index, colour in enumerate([(170, 96, 38), (34, 120, 80), (40, 100, 160)]):
        page.locator("input[name=upload]").set_input_files(_photo(tmp_path / f"anh-{index}.jpg", colour))
        page.get_by_role("button", name="Thêm ảnh").click()
        expect(page.locator(".messages")).to_contain_text("Đã thêm ảnh")
    assert ProductImage.objects.filter(product=product).count() == 3
    page.locator("textarea[name=story]").fill("Miến làm từ củ dong riềng trồng trên nương Nguyên Bình.")
    page.get_by_role("button", name="Lưu và đăng").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu")
    page.goto(f"{site.url}/san-pham/{product.pk}-{product.slug}/")
    expect(page.locator(".gallery picture")).to_have_count(3)

    page.goto(f"{site.url}/ho-so/moi/")
    page.get_by_label("Tên sản phẩm").fill("Miến dong Nguyên Bình")
    page.get_by_label("Nhóm sản phẩm").select_option(label="I.1.a Rau, củ, quả, hạt tươi")
    page.get_by_label("Đợt").select_option(index=1)
    page.get_by_label("Chủ thể").select_option(index=1)
    page.get_by_role("button", name="Tạo hồ sơ").click()
    choose_best(page)
    page.get_by_role("button", name="Lưu phần tự đánh giá").click()
    page.locator("input[name=file]").set_input_files({"name": "hop-dong.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.4\n%hop dong\n"})  # fmt: skip
    page.locator("input[name=title]").fill("Hợp đồng vùng nguyên liệu")
    page.locator("select[name=criterion]").select_option(index=2)
    page.get_by_role("button", name="Thêm minh chứng").click()
    expect(page.locator("fieldset.criterion .evidence-for")).to_contain_text("Hợp đồng vùng nguyên liệu")
    page.get_by_role("button", name="Nộp cho xã").click()
    expect(page.locator(".facts")).to_contain_text("Đã nộp cho xã")
    dossier = Dossier.objects.get(product_name="Miến dong Nguyên Bình")

    # The invited commune officer hears of it in her notifications and forwards it.
    page.context.clear_cookies()
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill("maihoang")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".notif-link .count")).to_be_visible()
    page.goto(f"{site.url}/thong-bao/")
    page.get_by_role("button", name=re.compile("Miến dong Nguyên Bình")).first.click()
    expect(page).to_have_url(re.compile(rf"/ho-so/{dossier.pk}/$"))
    page.get_by_label("Chuyển Hội đồng cấp tỉnh").check()
    page.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()
    expect(page.locator(".facts")).to_contain_text("Hội đồng")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AT_PROVINCE
    assert "/quan-tri/" not in page.url


def test_a_buyer_signs_up_from_the_e_mail_posts_a_demand_and_hears_of_an_offer(site, page):
    product = certified_product("Miến dong Nguyên Bình", stars=4, leaf_code="I.3.b")
    owner = User.objects.create_user("htx", password=PASSWORD, role=User.Role.PRODUCER, email="htx@example.vn")
    ProducerMembership.objects.create(user=owner, producer=product.producer)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site.url}/tai-khoan/dang-ky/")
    page.locator("input[name=role][value=buyer]").check()
    page.locator("input[name=full_name]").fill("Trần Thị Bình")
    page.locator("input[name=organisation]").fill("Siêu thị Xanh")
    page.locator("input[name=email]").fill("binh@sieuthixanh.example.vn")
    page.locator("input[name=username]").fill("sieuthixanh")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    _work()
    page.goto(_link("binh@sieuthixanh.example.vn", "/dang-ky/xac-nhan/"))
    expect(page).to_have_url(re.compile(r"/giao-thuong/can-mua/$"))
    page.goto(f"{site.url}/giao-thuong/can-mua/moi/")
    page.get_by_label("Sản phẩm cần mua").fill("Cần mua miến dong sạch")
    page.get_by_label("Số lượng").fill("2")
    page.get_by_label("Đơn vị", exact=False).first.fill("tấn")
    page.get_by_role("button", name="Đăng và xem sản phẩm phù hợp").click()
    expect(page.locator(".matches")).to_contain_text("Miến dong Nguyên Bình")
    demand_url = page.url

    page.context.clear_cookies()  # the producer offers its product for the demand
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill("htx")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(demand_url)
    page.get_by_label("Sản phẩm của bạn").select_option(label="Miến dong Nguyên Bình")
    page.locator("textarea[name=message]").fill("Miến dong sạch, giao 2 tấn mỗi tháng.")
    page.locator("form:has(textarea[name=message]) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Đã gửi chào hàng tới bên mua.")

    page.context.clear_cookies()
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill("sieuthixanh")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".notif-link .count")).to_have_text("1")
    page.goto(f"{site.url}/thong-bao/")
    expect(page.locator(".notifications")).to_contain_text("Miến dong Nguyên Bình")
