"""The demo's living world: a training round with dossiers in every state and its council, a fair with booth
types and requests, sale points, buyer demands and inquiries. Built through the same services people use (events,
audit entries, e-mails queued), so every menu of every demo account opens on something real.

Scoring uses the training criteria set ("Bộ tiêu chí mẫu để tập huấn — không dùng để công nhận") in a training
round: nothing in it can be recognised, so the demo never issues a certificate from invented points.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ocop.accounts.invitations import invitation_accept, invitation_send
from ocop.accounts.models import User
from ocop.catalog.models import Category, Product, Regime
from ocop.evaluation import services as evaluation
from ocop.evaluation.criteria import training_set_load
from ocop.evaluation.models import Council, CouncilMember, Dossier, EvaluationRound
from ocop.geo.models import Commune, Province
from ocop.market import trade
from ocop.market.models import BoothType, Fair, SalePoint
from ocop.producers.models import Producer
from ocop.producers.services import claim_start

DOSSIERS = [  # product, group, the state it is left in
    ("Trà hoa vàng túi lọc Ba Vì", "I.2.b", Dossier.Status.DRAFT),
    ("Cốm làng Vòng hộp quà", "I.3.b", Dossier.Status.SUBMITTED),
    ("Tương bần Mỹ Hào", "I.3.c", Dossier.Status.RETURNED),
    ("Giò lụa Ước Lễ", "I.3.d", Dossier.Status.AT_PROVINCE),
    ("Mật ong hoa nhãn Hưng Yên", "I.2.b", Dossier.Status.SCORED),
]
MISSING = ["Phiếu kết quả kiểm nghiệm chất lượng sản phẩm", "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"]


def _leaves(dossier: Dossier) -> list[Any]:
    return list(dossier.scoring_set.criteria.filter(children__isnull=True).prefetch_related("options"))


def _choices(dossier: Dossier, step: int) -> dict[int, int]:
    """Mostly the best option, one place lower on every `step`-th criterion (a product of about 4 stars);
    members scoring with nearby steps differ by a few points, as councils do."""
    chosen = {}
    for index, criterion in enumerate(_leaves(dossier)):
        options = sorted(criterion.options.all(), key=lambda option: option.points)
        lower = index % step == 0
        chosen[criterion.pk] = options[len(options) - 2 if lower else len(options) - 1].pk
    return chosen


def _council_members(province: Any, password: str) -> list[User]:
    """The demo council member ("hoidong") chairs; two more members score beside them."""
    chair = User.objects.get(username="hoidong")
    members = [chair]
    for username, full_name in (("hoidong2", "Trần Thị Lan"), ("hoidong3", "Phạm Văn Minh")):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": User.Role.COUNCIL_MEMBER, "province": province, "full_name": full_name,
                      "email": f"{username}@ocop.localhost"},
        )  # fmt: skip
        if created:
            user.set_password(password)
            user.save()
        members.append(user)
    return members


@transaction.atomic
def world_build(*, password: str) -> dict[str, int]:
    """Build the demo world once (a second call finds the training round and does nothing)."""
    if EvaluationRound.objects.filter(training=True).exists():
        return {}
    today = timezone.localdate()
    officer = User.objects.get(username="tinh")
    commune_officer = User.objects.get(username="xa")
    owner = User.objects.get(username="chuthe")
    buyer = User.objects.get(username="nguoimua")
    producer = Producer.objects.get(memberships__user=owner)
    province = officer.province
    if province is None or producer.commune is None:
        raise ValueError("The demo province officer and producer need their province and commune.")
    training_set_load()

    evaluation_round = evaluation.round_open(
        province=province, year=today.year, number=1, opens_on=today - dt.timedelta(days=20),
        submission_deadline=today + dt.timedelta(days=40), scoring_deadline=today + dt.timedelta(days=70),
        regime=Regime.D1489_2025, by=officer, training=True,
    )  # fmt: skip
    members = _council_members(province, password)
    evaluation.council_create(
        evaluation_round=evaluation_round, level=Council.Level.PROVINCE,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {province.name} (tập huấn)",
        members=[(members[0], CouncilMember.Role.CHAIR), *((m, CouncilMember.Role.MEMBER) for m in members[1:])],
        by=officer,
    )  # fmt: skip

    dossiers = []
    for name, group, state in DOSSIERS:
        category = Category.objects.get(regime=Regime.D148_2023, code=group)
        dossier = evaluation.dossier_create(
            evaluation_round=evaluation_round, producer=producer, product_name=name, category=category, by=owner,
            description=f"{name}: sản phẩm của {producer.name}, làm từ nguyên liệu địa phương.",
        )  # fmt: skip
        dossiers.append(dossier)
        choices = _choices(dossier, step=2 + len(dossiers) % 2)
        if state == Dossier.Status.DRAFT:  # half done: the producer carries on
            half = dict(list(choices.items())[: len(choices) // 2])
            evaluation.dossier_self_assess(dossier=dossier, choices=half, by=owner)
            continue
        evaluation.dossier_self_assess(dossier=dossier, choices=choices, by=owner)
        evaluation.dossier_submit(dossier=dossier, by=owner)
        if state == Dossier.Status.SUBMITTED:
            continue
        if state == Dossier.Status.RETURNED:
            evaluation.dossier_precheck(dossier=dossier, by=commune_officer, forward=False, missing=MISSING)
            continue
        evaluation.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
        if state == Dossier.Status.AT_PROVINCE:  # the council member's work: a sheet to fill
            continue
        dossier.refresh_from_db()  # the services moved it on a locked copy
        for index, member in enumerate(members):
            sheet = evaluation.scoresheet_get_or_create(dossier=dossier, by=member)
            evaluation.scoresheet_save(sheet=sheet, choices=_choices(dossier, step=2 + index % 2), by=member)
            evaluation.scoresheet_finalise(sheet=sheet, by=member)

    counts = {"dossiers": len(dossiers), **_market(province=province, officer=officer, buyer=buyer, owner=owner,
                                                    producer=producer, today=today)}  # fmt: skip
    counts["claims"] = _claims(commune=producer.commune, password=password)
    counts["invitations"] = _invitations(password=password)
    counts["stamps"] = _stamps(producer=producer, owner=owner, today=today)
    counts.update(_office(province=province, officer=officer, owner=owner, producer=producer, today=today))
    return counts


OFFICE_TASKS = [
    "Tổ chức sản xuất gắn với vùng nguyên liệu địa phương",
    "Tiêu chuẩn hóa, phát triển sản phẩm theo chuỗi giá trị",
    "Triển khai chu trình OCOP thường niên",
    "Đào tạo, tập huấn, xúc tiến thương mại, hội chợ và kết nối cung cầu",
    "Ứng dụng công nghệ thông tin, chuyển đổi số trong quản lý và quảng bá sản phẩm",
    "Kiểm tra, giám sát chu trình OCOP và sản phẩm đã được công nhận",
]


def _office(*, province: Any, officer: User, owner: User, producer: Producer, today: dt.date) -> dict[str, int]:
    """The province office's year: its 2021–2025 plan with the six core tasks and targets, a former province's
    2018–2020 plan, support given last year and this (a training course, packaging, promotion videos, fair places),
    a producer's request waiting, and inspections (passed, remedy, a revocation proposal)."""
    from ocop.certification.models import Certificate
    from ocop.geo.models import LegacyProvince
    from ocop.office import services as office
    from ocop.office.models import Plan, SupportActivity

    plan = office.plan_save(
        by=officer, kind="plan", name=f"Kế hoạch thực hiện Chương trình OCOP tỉnh {province.name} giai đoạn 2021-2025",
        number="45/KH-UBND", signed_on=dt.date(2021, 3, 15), province=province, start_year=2021, end_year=2025,
        legal_basis="Quyết định 919/QĐ-TTg ngày 01/7/2022 của Thủ tướng Chính phủ", tasks=OFFICE_TASKS,
    )  # fmt: skip
    for target in ({"indicator": "certified", "stars": None, "year": None, "value": 120},
                   {"indicator": "certified", "stars": 4, "year": None, "value": 15},
                   {"indicator": "trained", "stars": None, "year": None, "value": 500,
                    "entered_actual": 465, "entered_source": "Báo cáo 112/BC-UBND ngày 10/12/2025"},
                   {"indicator": "ecommerce", "stars": None, "year": None, "value": 60},
                   {"indicator": "fairs", "stars": None, "year": None, "value": 30}):  # fmt: skip
        office.target_save(by=officer, plan=plan, **target)
    if today.year >= 2026:
        current = office.plan_save(
            by=officer, kind="plan", name=f"Kế hoạch phát triển sản phẩm OCOP tỉnh {province.name} năm {today.year}",
            number="12/KH-UBND", signed_on=dt.date(today.year, 2, 1), province=province, start_year=today.year,
            end_year=today.year, tasks=OFFICE_TASKS,
        )  # fmt: skip
        office.target_save(by=officer, plan=current, indicator="certified", stars=None, year=today.year, value=25)
        office.target_save(by=officer, plan=current, indicator="trained", stars=None, year=today.year, value=150)
    former = LegacyProvince.objects.filter(successor=province).order_by("code").first()
    if former is not None:
        old = office.plan_save(
            by=officer, kind="plan", name=f"Kế hoạch thực hiện Chương trình OCOP tỉnh {former.name} 2018-2020",
            number="28/KH-UBND", signed_on=dt.date(2018, 5, 10), legacy_province=former, start_year=2018,
            end_year=2020, tasks=OFFICE_TASKS[:4],
        )  # fmt: skip
        office.target_save(by=officer, plan=old, indicator="certified", stars=None, year=None, value=40)
    producers = list(Producer.objects.filter(province=province).order_by("pk")[:25])
    products = list(Product.objects.filter(province=province, certificate_status="valid").order_by("pk")[:12])
    activities = 0
    for year in (today.year - 1, today.year):
        day = min(dt.date(year, 5, 20), today)
        office.support_save(by=officer, kind="training", title=f"Lớp tập huấn kiến thức OCOP năm {year}",
                            held_on=day, province=province, plan=plan if year <= 2025 else None,
                            provider="Sở Nông nghiệp và Môi trường", participants=len(producers) * 2,
                            budget_central=60_000_000, budget_province=25_000_000, producers=producers,
                            products=[])  # fmt: skip
        for index, product in enumerate(products[:5]):
            office.support_save(by=officer, kind="video", title=f"Video quảng bá {product.name}",
                                held_on=min(dt.date(year, 6, 1) + dt.timedelta(days=index * 9), today),
                                province=province, provider="Trung tâm Xúc tiến thương mại",
                                budget_province=12_000_000, producers=[product.producer],
                                products=[product])  # fmt: skip
        office.support_save(by=officer, kind="packaging", title=f"Hỗ trợ thiết kế bao bì, nhãn mác năm {year}",
                            held_on=min(dt.date(year, 8, 15), today), province=province, budget_province=45_000_000,
                            budget_local=10_000_000, producers=[p.producer for p in products[5:9]],
                            products=products[5:9])  # fmt: skip
        office.support_save(by=officer, kind="fair", title=f"Gian hàng OCOP tại Hội chợ nông sản năm {year}",
                            held_on=min(dt.date(year, 10, 5), today), province=province, budget_province=30_000_000,
                            budget_other=8_000_000, producers=producers[:6], products=[])  # fmt: skip
        activities += 8
    office.support_request_send(by=owner, producer=producer, kind=SupportActivity.Kind.PACKAGING,
                                message="Đề nghị hỗ trợ thiết kế lại nhãn mác theo quy định ghi nhãn mới.")  # fmt: skip
    inspections = 0
    valid = Certificate.objects.filter(product__province=province, status="valid").select_related("product")
    certificates = [*valid.exclude(product__producer=producer).order_by("pk")[:4],
                    *valid.filter(product__producer=producer).order_by("pk")[:4]][:4]  # fmt: skip
    outcomes = [("revoke", None, "Chủ thể ngừng sản xuất theo hồ sơ được công nhận; sản phẩm trên thị trường "
                                 "dùng nguyên liệu khác với hồ sơ."),
                ("remedy", 45, "Nhãn sản phẩm chưa ghi đúng hạng sao và số giấy chứng nhận."), ("passed", None, ""),
                ("open", None, "")]  # fmt: skip
    for certificate, (outcome, days, findings) in zip(certificates, outcomes, strict=False):
        inspected = None if outcome == "open" else today - dt.timedelta(days=20 + inspections * 7)
        office.inspection_save(
            by=officer, certificate=certificate, kind="planned" if inspections % 2 == 0 else "unplanned",
            planned_on=inspected or today + dt.timedelta(days=14), inspected_on=inspected,
            inspectors="Đoàn kiểm tra liên ngành tỉnh", findings=findings, outcome=outcome,
            remedy_by=inspected + dt.timedelta(days=days) if days and inspected else None,
            checklist={"dossier": outcome != "revoke", "label": outcome == "passed", "quality": True},
        )  # fmt: skip
        inspections += 1
    return {"plans": Plan.objects.count(), "support": activities, "inspections": inspections}


def _stamps(*, producer: Producer, owner: User, today: dt.date) -> int:
    """A batch of the demo producer's certified product with 60 printed stamps; scans from a few provinces, one
    stamp copied (scanned in three provinces in a day) and a consumer's report of it."""
    from decimal import Decimal

    from ocop.certification.services import certificate_issue
    from ocop.stamps import counterfeit
    from ocop.stamps import services as stamps
    from ocop.stamps.models import Scan, Stamp

    product = Product.objects.filter(producer=producer, certificate_status="valid").order_by("pk").first()
    if product is None:  # the demo producer's certificate has expired: re-evaluated and recognised again this year
        product = Product.objects.filter(producer=producer).order_by("pk").first()
        if product is None:
            return 0
        certificate_issue(product=product, stars=4, score=Decimal("82.5"), decision_number="215/QĐ-UBND",
                          issued_on=today - dt.timedelta(days=60), issuer=f"UBND {producer.province.full_name}",
                          by=User.objects.get(username="tinh"))  # fmt: skip
        product.refresh_from_db()
    certificate = product.certificates.order_by("-issued_on").first()
    made = max(today - dt.timedelta(days=30), certificate.issued_on) if certificate else today
    batch = stamps.batch_create(product=product, lot=f"L{made:%Y%m}-01", produced_on=made, quantity=5000,
                                best_before=made + dt.timedelta(days=365), by=owner)  # fmt: skip
    series = stamps.series_order(batch=batch, quantity=60, by=owner)
    stamps.series_mark_printed(series=series, by=owner)
    provinces = {p.code: p for p in Province.objects.filter(code__in=["01", "79", "48", "31", "33"])}
    codes = list(Stamp.objects.filter(series=series).order_by("serial").values_list("code", flat=True))
    for index, code in enumerate(codes[:12]):  # ordinary buyers: one scan each, some say where
        result = counterfeit.scan_take(
            code=code, network=f"113.160.{index}.0/24", agent=("Zalo", "Chrome", "Safari")[index % 3]
        )
        if result.scan and index % 2 == 0:
            stamps.scan_place(scan=result.scan, province=list(provinces.values())[index % 5], source=Scan.Source.CHOSEN)
    copied = codes[-1]
    for index, code in enumerate(["01", "79", "48"]):  # one genuine code printed again and sold far apart
        result = counterfeit.scan_take(code=copied, network=f"27.72.{index}.0/24", agent="Chrome")
        if result.scan:
            stamps.scan_place(scan=result.scan, province=provinces[code], source=Scan.Source.BROWSER)
            counterfeit.place_check(result.scan)
    stamp = Stamp.objects.get(code=copied)
    stamps.report_submit(
        code=copied, stamp=stamp, product=product, province=provinces["79"], place="Chợ Bến Thành", contact="",
        description="Tem giống hệt tem trên hộp mua ở Hà Nội, nhưng nắp chai khác màu.",
    )  # fmt: skip
    return len(codes)


def _invitations(*, password: str) -> int:
    """The central office invited a province officer of Hải Phòng, the site admin a second central officer; both
    accepted (their inviters have a notification, the people page lists them)."""
    made = 0
    for inviter, username, role, full_name, province_code in (
        ("trunguong", "tinhhaiphong", User.Role.PROVINCE_OFFICER, "Phạm Minh Tuấn", "31"),
        ("admin", "trunguong2", User.Role.CENTRAL_OFFICER, "Trần Thị Lan", None),
    ):
        by = User.objects.filter(username=inviter).first()
        if by is None or User.objects.filter(username=username).exists():
            continue
        province = Province.objects.filter(code=province_code).first() if province_code else None
        invitation = invitation_send(by=by, email=f"{username}@ocop.localhost", role=role, full_name=full_name,
                                     province=province)  # fmt: skip
        secret = invitation.link_secret  # type: ignore[attr-defined]  # set by invitation_send, in memory only
        invitation_accept(secret=secret, username=username, password=password, full_name=full_name)
        made += 1
    officer = User.objects.filter(username="tinh").select_related("province").first()
    if officer is not None and officer.province is not None:  # the province office's invitation, not yet accepted
        commune = Commune.objects.filter(province=officer.province).exclude(pk=officer.commune_id or 0).order_by(
            "code").last()  # fmt: skip
        invitation_send(by=officer, email="canboxa.moi@ocop.localhost", role=User.Role.COMMUNE_OFFICER,
                        full_name="Đặng Văn Khoa", province=officer.province, commune=commune)  # fmt: skip
        made += 1
    return made


def _claims(*, commune: Any, password: str) -> int:
    """A producer who signed up and asks to act for its (new) cooperative: work for `xa` and `tinh`."""
    person, created = User.objects.get_or_create(
        username="chuthemoi", defaults={"role": User.Role.PRODUCER, "full_name": "Lò Thị Mai",
                                        "email": "chuthemoi@ocop.localhost", "phone": "0912345678"},
    )  # fmt: skip
    if created:
        person.set_password(password)
        person.save()
    claim_start(user=person, tax_code="0109990001", name=f"Hợp tác xã Nông sản sạch {commune.name.split(' ', 1)[-1]}",
                kind=Producer.Kind.COOPERATIVE, province=commune.province, commune=commune, address="Thôn 2",
                position="Giám đốc")  # fmt: skip
    return 1


def _market(*, province: Any, officer: User, buyer: User, owner: User, producer: Producer, today: dt.date) -> dict:
    assert producer.commune is not None  # checked by world_build
    """A fair with booth types and requests, sale points with products, buyer demands and inquiries."""
    certified = list(
        Product.objects.filter(producer__province=province, certificate_status="valid").order_by("pk")[:12]
    )
    fair = Fair.objects.create(
        name=f"Hội chợ sản phẩm OCOP {province.name} {today.year}", organiser="Trung tâm Xúc tiến thương mại",
        place="Cung Văn hóa Hữu nghị", province=province, starts_on=today + dt.timedelta(days=25),
        ends_on=today + dt.timedelta(days=29), registration_until=today + dt.timedelta(days=15),
        description="Trưng bày, giới thiệu và bán các sản phẩm OCOP 3–5 sao; gian hàng tiêu chuẩn 3×3 m.",
        created_by=officer,
    )  # fmt: skip
    standard = BoothType.objects.create(fair=fair, name="Gian tiêu chuẩn 3×3 m", count=40, price=4_500_000)
    BoothType.objects.create(fair=fair, name="Gian góc 3×6 m", count=6, price=9_000_000)
    own = [p for p in Product.objects.filter(producer=producer).order_by("pk")[:2]]
    requests = 0
    if own:
        trade.booth_request(booth_type=standard, producer=producer, products=own, by=owner)
        requests += 1

    points = 0
    for name, operator in (
        (f"Điểm giới thiệu và bán sản phẩm OCOP {province.name}", "Trung tâm Xúc tiến thương mại"),
        ("Cửa hàng OCOP phố cổ", "Hợp tác xã Thương mại Hoàn Kiếm"),
    ):
        point = SalePoint.objects.create(
            name=name, operator=operator, province=province,
            commune=producer.commune, address="Số 1, phố Tràng Tiền", opening_hours="8:00–21:00 hằng ngày",
            phone="02438250000", opened_on=today - dt.timedelta(days=400),
        )  # fmt: skip
        point.products.set(certified[points * 6 : points * 6 + 6])
        points += 1

    honey = Category.objects.filter(regime=Regime.D148_2023, code="I.2.b").first()
    trade.demand_post(
        buyer=buyer, organisation=buyer.organisation or "Siêu thị Xanh", title="Cần mua mật ong OCOP 4 sao",
        description="Nhập đều hằng tháng cho chuỗi 12 cửa hàng; yêu cầu tem truy xuất nguồn gốc.",
        category=honey, quantity=Decimal("800"), unit="chai 500 ml", frequency="monthly", min_stars=4,
        deadline=today + dt.timedelta(days=30),
    )  # fmt: skip
    gifts = trade.demand_post(
        buyer=buyer, organisation=buyer.organisation or "Siêu thị Xanh", title="Đặc sản làm quà Tết",
        description="Hộp quà đặc sản vùng miền, giao trước 20 tháng Chạp.", quantity=Decimal("2000"), unit="hộp",
        frequency="yearly", min_stars=3, deadline=today + dt.timedelta(days=45),
    )  # fmt: skip
    inquiries = 0
    for product in own[:1] + certified[:1]:
        inquiry = trade.inquiry_send(
            product=product, buyer=buyer, name="Nguyễn Thu Hà", organisation=buyer.organisation or "Siêu thị Xanh",
            phone="0912345678", email="thumua@sieuthixanh.example.vn", quantity=Decimal("500"),
            unit="sản phẩm", message=f"Chúng tôi muốn nhập {product.name} cho hệ thống cửa hàng; xin báo giá sỉ.",
        )  # fmt: skip
        inquiries += 1
        if product in own and inquiries == 1:  # the producer answers; a certified one is offered for the gifts
            trade.inquiry_reply(inquiry=inquiry, by=owner, body="Chào chị Hà, giá sỉ từ 500 sản phẩm giảm 12%; "
                                "chúng tôi gửi báo giá chi tiết qua e-mail.")  # fmt: skip
            if product.certificate_status == "valid" and (product.stars or 0) >= gifts.min_stars:
                trade.offer_make(demand=gifts, product=product, by=owner, price=185000,
                                 message="Hộp quà 2 sản phẩm OCOP, in logo theo yêu cầu.")  # fmt: skip
    contracts = _contracts(certified=certified, officer=officer, today=today)
    return {"fairs": 1, "booth_requests": requests, "sale_points": points, "demands": 2, "inquiries": inquiries,
            "contracts": contracts}  # fmt: skip


def _contracts(*, certified: list[Product], officer: User, today: dt.date) -> int:
    """Contracts with retail chains at every stage of the pipeline."""
    from ocop.market.contracts import contract_save

    stages: list[tuple[str, str, dict[str, Any]]] = [
        ("Co.opmart", "negotiating", {}),
        ("WinMart", "signed", {"signed_on": today - dt.timedelta(days=20), "stores": 35}),
        ("MM Mega Market", "supplying", {"signed_on": today - dt.timedelta(days=200),
                                         "supply_from": today - dt.timedelta(days=170), "stores": 4}),
        ("Bách hóa Xanh", "ended", {"signed_on": today - dt.timedelta(days=900),
                                    "supply_from": today - dt.timedelta(days=880),
                                    "ended_on": today - dt.timedelta(days=30), "stores": 120}),
    ]  # fmt: skip
    made = 0
    if not certified:
        return 0
    for index, (chain, stage, fields) in enumerate(stages):
        product = certified[-1 - index % len(certified)]  # from the end: the sale points show the first ones
        contract_save(by=officer, product=product, chain=chain, stage=stage, volume=Decimal("12"), unit="tấn/năm",
                      value=360_000_000, note="Hợp đồng nguyên tắc; giao hàng hằng tháng.", **fields)  # fmt: skip
        made += 1
    return made
