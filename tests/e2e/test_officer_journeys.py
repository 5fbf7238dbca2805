"""The officers' days in the browser, each from its invitation e-mail, never opening /admin/: a council member
invited by the province office scores on the council it sets up; the province office decides the result and
then revokes two certificates by one decision; a trade-promotion officer invited by the central office
announces a fair with booth types and decides the producers' booth requests."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Regime
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.evaluation import services
from ocop.evaluation.models import Dossier
from ocop.evaluation.tests.helpers import complete_test_set
from ocop.geo.models import Commune, Province
from ocop.market import trade
from ocop.market.models import BoothBooking, Fair
from ocop.producers.models import ProducerMembership
from ocop.producers.tests.factories import ProducerFactory
from tests.e2e.steps import invite, login
from tests.e2e.test_evaluation_journey import choose_best
from tests.e2e.test_role_journeys import PASSWORD, _link, _work


def _best(dossier: Dossier) -> dict[int, int]:
    chosen = {}
    for criterion in dossier.criteria_set.criteria.filter(children__isnull=True).prefetch_related("options"):
        chosen[criterion.pk] = max(criterion.options.all(), key=lambda option: option.points).pk
    return chosen


def _accept(page, site, email: str, username: str) -> None:
    _work()
    page.context.clear_cookies()
    page.goto(_link(email, "/nhan-loi-moi/"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_council_member_from_the_invitation_scores_the_province_decides_and_revokes_two(site, page):
    complete_test_set()
    province = Province.objects.get(code="04")
    commune = Commune.objects.filter(province=province).order_by("code").first()
    producer = ProducerFactory(commune=commune, province=province, name="Hợp tác xã Miến dong Nguyên Bình")
    owner = UserFactory(username="htx", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=producer)
    commune_officer = UserFactory(username="xa", role=User.Role.COMMUNE_OFFICER, commune=commune, province=province)
    UserFactory(username="tinh", role=User.Role.PROVINCE_OFFICER, province=province, email="tinh@example.vn")
    seated = [UserFactory(username=f"hd{i}", role=User.Role.COUNCIL_MEMBER, province=province,
                          full_name=f"Thành viên {i}") for i in range(2)]  # fmt: skip
    today = dt.date.today()
    evaluation_round = services.round_open(
        province=province, year=today.year, number=1, opens_on=today - dt.timedelta(days=5),
        submission_deadline=today + dt.timedelta(days=30), scoring_deadline=today + dt.timedelta(days=60),
        regime=Regime.D1489_2025, by=User.objects.get(username="tinh"),
    )  # fmt: skip
    older = certified_product("Bánh cuốn Cao Bằng", stars=3, producer=producer)  # revoked with the new one
    page.on("dialog", lambda dialog: dialog.accept())

    # The province office invites a council member; he accepts from the e-mail.
    login(page, site, "tinh")
    invite(page, site, email="pham.cham@example.vn", full_name="Phạm Văn Chấm", role="council_member")
    _accept(page, site, "pham.cham@example.vn", "phamcham")
    member = User.objects.get(username="phamcham")
    assert (member.role, member.province_id) == (User.Role.COUNCIL_MEMBER, province.pk)

    # The province office sets up the round's council with him in it, by full name.
    login(page, site, "tinh")
    page.goto(f"{site.url}/ho-so/dot-danh-gia/")
    page.get_by_role("link", name="Lập hội đồng").first.click()
    page.locator("input[name=name]").fill("Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Cao Bằng")
    page.locator("select[name=chair]").select_option(label="Thành viên 0")
    page.locator("fieldset, div.field").filter(has_text="Thành viên chấm điểm").get_by_label("Thành viên 1").check()
    page.locator("fieldset, div.field").filter(has_text="Thành viên chấm điểm").get_by_label("Phạm Văn Chấm").check()
    page.get_by_role("button", name="Lưu hội đồng").click()
    expect(page.locator(".messages")).to_be_visible()

    # A dossier reaches the council (the producer's and the commune's parts are their own journeys).
    category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
    dossier = services.dossier_create(evaluation_round=evaluation_round, producer=producer, category=category,
                                      product_name="Miến dong Nguyên Bình", by=owner)  # fmt: skip
    services.dossier_self_assess(dossier=dossier, choices=_best(dossier), by=owner)
    services.dossier_submit(dossier=dossier, by=owner)
    services.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
    dossier.refresh_from_db()  # the services moved a locked copy on
    for seat in seated:
        sheet = services.scoresheet_get_or_create(dossier=dossier, by=seat)
        services.scoresheet_save(sheet=sheet, choices=_best(dossier), by=seat)
        services.scoresheet_finalise(sheet=sheet, by=seat)

    # The invited member hears of the sheet waiting for him and scores it.
    login(page, site, "phamcham", PASSWORD)
    expect(page.locator(".notif-link .count")).to_be_visible()
    page.goto(f"{site.url}/ho-so/{dossier.pk}/")
    page.get_by_role("link", name="Phiếu chấm của bạn").click()
    choose_best(page)
    expect(page.locator("#sheet-total")).to_have_text("100")
    page.get_by_role("button", name="Lưu và hoàn tất (khóa phiếu)").click()
    expect(page.locator(".result")).to_contain_text("100")

    # The province office records the decision, then revokes both certificates by one decision.
    login(page, site, "tinh")
    page.goto(f"{site.url}/ho-so/quyet-dinh/moi/")
    page.get_by_label("Số quyết định").fill("120/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Người ký").fill("Nguyễn Văn B")
    page.get_by_label("Miến dong Nguyên Bình").check()
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator(".messages")).to_contain_text("120/QĐ-UBND")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RECOGNISED and dossier.certificate_id
    numbers = [dossier.certificate.number, Certificate.objects.get(product=older).number]

    page.goto(f"{site.url}/giay-chung-nhan/thu-hoi/")
    page.get_by_label("Số quyết định thu hồi").fill("15/QĐ-UBND")
    page.get_by_label("Ngày thu hồi").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Số giấy chứng nhận", exact=False).fill("\n".join(numbers))
    page.get_by_label("Lý do").fill("Kiểm tra sau chứng nhận: nhãn không đúng hồ sơ đã công nhận.")
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.locator(".messages")).to_contain_text("15/QĐ-UBND")
    assert set(Certificate.objects.filter(number__in=numbers).values_list("status", flat=True)) == {"revoked"}
    page.context.clear_cookies()
    page.goto(f"{site.url}/verify/{dossier.certificate.verification_code}/")
    expect(page.locator(".verdict")).to_contain_text("THU HỒI")
    assert "/quan-tri/" not in page.url


def test_a_trade_promotion_officer_from_the_invitation_announces_a_fair_and_decides_booths(site, page):
    province = Province.objects.get(code="04")
    UserFactory(username="trunguong", role=User.Role.CENTRAL_OFFICER, email="tw@example.vn")
    products = [certified_product(name, stars=4) for name in ("Miến dong Nguyên Bình", "Mật ong bạc hà")]
    owners = []
    for index, product in enumerate(products):
        owner = UserFactory(username=f"chuthe{index}", role=User.Role.PRODUCER)
        ProducerMembership.objects.create(user=owner, producer=product.producer)
        owners.append(owner)
    page.on("dialog", lambda dialog: dialog.accept())

    # The central office invites the province's trade-promotion officer.
    login(page, site, "trunguong")
    invite(page, site, email="xttm@caobang.example.vn", full_name="Nông Thị Hoa", role="province_officer",
           province=str(province.pk))  # fmt: skip
    _accept(page, site, "xttm@caobang.example.vn", "nongthihoa")

    # She announces a fair with two booth types and prices.
    login(page, site, "nongthihoa", PASSWORD)
    page.goto(f"{site.url}/giao-thuong/hoi-cho/")
    page.get_by_role("link", name="Thông báo hội chợ mới").click()
    today = dt.date.today()
    page.get_by_label("Tên *", exact=True).fill("Hội chợ OCOP Cao Bằng mùa thu")
    page.get_by_label("Đơn vị tổ chức").fill("Trung tâm Xúc tiến đầu tư, thương mại và du lịch Cao Bằng")
    page.get_by_label("Địa điểm").fill("Quảng trường Cao Bằng")
    page.get_by_label("Tỉnh/thành phố", exact=False).select_option(str(province.pk))
    page.get_by_label("Ngày bắt đầu").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Ngày kết thúc").fill((today + dt.timedelta(days=33)).isoformat())
    rows = page.locator("fieldset tbody tr")
    for index, (name, count, price) in enumerate([("Gian tiêu chuẩn 3×3 m", "1", "4500000"),
                                                  ("Gian góc 3×6 m", "2", "9000000")]):  # fmt: skip
        rows.nth(index).locator("input[name$='-name']").fill(name)
        rows.nth(index).locator("input[name$='-count']").fill(count)
        rows.nth(index).locator("input[name$='-price']").fill(price)
    page.get_by_role("button", name="Lưu hội chợ").click()
    expect(page.locator(".messages")).to_be_visible()
    fair = Fair.objects.get(name="Hội chợ OCOP Cao Bằng mùa thu")
    assert sorted(fair.booth_types.values_list("count", "price")) == [(1, 4_500_000), (2, 9_000_000)]

    # Two producers ask for the one standard booth; she accepts one and refuses the other.
    standard = fair.booth_types.get(count=1)
    for owner, product in zip(owners, products, strict=True):
        trade.booth_request(booth_type=standard, producer=product.producer, products=[product], by=owner)
    page.reload()
    requests = page.locator("table.requests tbody tr")
    expect(requests).to_have_count(2)
    requests.filter(has_text=products[0].producer.name).first.get_by_role("button", name="Chấp nhận").click()
    expect(page.locator("table.requests tbody tr").first).to_contain_text("Được chấp nhận")
    page.locator("table.requests tbody tr").filter(has_text="Chờ").get_by_role("button", name="Từ chối").click()
    expect(page.locator("table.requests tbody tr").filter(has_text="Bị từ chối")).to_have_count(1)
    statuses = set(BoothBooking.objects.filter(booth_type=standard).values_list("status", flat=True))
    assert statuses == {"accepted", "refused"}
    assert re.search(r"/giao-thuong/hoi-cho/\d+/$", page.url)
