"""Who gets what: every URL of the site and the API, for each kind of outsider, generated from the URL conf.

The world belongs to a producer in Cao Bằng (its product, certificate, dossier, import, inquiry, fair booking…).
Each role below is someone who should *not* own it: another producer, a commune officer of another commune,
a province officer and a council member of another province; then the central office and a site admin, who
see everything. Every named URL must have a rule here: a new view without one fails this test, so its access
is decided, written down and checked. Requests are GETs (POST-only views: an empty POST, which must not
succeed for an outsider).
"""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ocop.accounts.invitations import invitation_send
from ocop.accounts.models import User
from ocop.accounts.services import api_token_create
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.core.models import Notification
from ocop.evaluation import services
from ocop.evaluation.tests.conftest import cycle  # noqa: F401  (the fixture)
from ocop.evaluation.tests.test_services import new_dossier
from ocop.geo.models import Commune, Province
from ocop.market import trade
from ocop.market.models import BoothType, BuyerDemand, RetailContract, SalePoint, SalesChannel
from ocop.market.tests.factories import FairFactory
from ocop.office.models import Inspection, InspectionPhoto, SupportRequest
from ocop.office.tests.helpers import plan, support
from ocop.producers.models import ProducerClaim, ProducerMembership
from ocop.spreadsheets.services import import_session_create
from ocop.stamps import services as stamp_services
from ocop.stamps.models import Signal, Stamp

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "producer", "commune", "province", "council", "central", "admin"]
OK, FOUND, FORBIDDEN, MISSING, NOT_ALLOWED, BAD = 200, 302, 403, 404, 405, 400

# Shorthands for a whole row: (visitor, other producer, other commune officer, other province officer,
# council member elsewhere, central officer, site admin).
PUBLIC = (OK,) * 7
SIGNED_IN = (FOUND, OK, OK, OK, OK, OK, OK)
HIDDEN = (FOUND, MISSING, MISSING, MISSING, MISSING, OK, OK)  # someone else's object: it does not exist for you
OFFICERS = (FOUND, FORBIDDEN, OK, OK, FORBIDDEN, OK, OK)

RULES: dict[str, tuple[int, ...] | int] = {
    # site
    "site:home": PUBLIC, "core:ping": PUBLIC, "core:healthz": PUBLIC, "core:readyz": PUBLIC, "site:robots": PUBLIC,
    "site:sitemap": PUBLIC, "site:sitemap-section": PUBLIC,
    "site:design-system": SIGNED_IN,
    "site:audit-trail": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK), "set_language": (FOUND,) * 7,
    # A private file needs the signed, expiring address a view handed out after its own check: none here.
    "core:private-file": (MISSING,) * 7,
    "core:notifications": SIGNED_IN, "core:notification-open": (FOUND,) + (MISSING,) * 6,  # not theirs
    "site:opendata-index": PUBLIC, "site:opendata-file": (MISSING,) * 7,  # not generated in this world
    "site:opendata-refresh": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "certificates-expiring": (FOUND, OK, OK, OK, OK, OK, OK),
    "certificates-revoke": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    # accounts
    "accounts:login": (OK, FOUND, FOUND, FOUND, FOUND, FOUND, FOUND), "accounts:logout": (FOUND,) * 7,
    "accounts:profile": SIGNED_IN, "accounts:token-create": (FOUND,) * 7,
    "accounts:token-revoke": (*HIDDEN[:5], MISSING, MISSING),  # only the token's owner
    "accounts:password-change": SIGNED_IN, "accounts:password-change-done": SIGNED_IN,
    "accounts:password-reset": PUBLIC, "accounts:password-reset-done": PUBLIC,
    "accounts:password-reset-confirm": PUBLIC, "accounts:password-reset-complete": PUBLIC,
    "accounts:home": (FOUND,) * 7, "accounts:invitation-accept": (MISSING,) * 7,  # an unknown link opens nothing
    "accounts:people": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    # The invitation and the account belong to Cao Bằng: Hà Nội's officer may not touch them.
    "accounts:invitation-resend": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "accounts:invitation-revoke": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "accounts:user-active": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "accounts:signup": (OK,) + (FOUND,) * 6, "accounts:signup-confirm": (BAD,) * 7,  # a forged link
    "accounts:otp-setup": SIGNED_IN, "accounts:otp-verify": (FOUND,) * 7,  # no device: on to the work page
    "accounts:email-change": (FOUND,) * 7, "accounts:email-confirm": (BAD,) * 7,
    # producers' claims: a producer account claims; the officers of the claim's place decide
    "producers:claim": (FOUND, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "producers:claim-list": (FOUND, FORBIDDEN, OK, OK, FORBIDDEN, OK, OK),
    "producers:claim-decide": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    # the producer's workspace
    "site:workspace": (FOUND, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "site:workspace-producer": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "catalog:product-edit": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    # catalog, places, certificates
    "catalog:product-list": PUBLIC, "catalog:product-facets": PUBLIC, "site:product-export": PUBLIC,
    "catalog:category-detail": PUBLIC, "site:product-detail": PUBLIC, "site:producer-detail": PUBLIC,
    "site:province-list": PUBLIC, "site:province-detail": PUBLIC,
    "certification:verify": PUBLIC, "certification:verify-json": PUBLIC, "certification:verify-qr": PUBLIC,
    "certification:verify-detail": PUBLIC,
    "certification:certificate-pdf": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "certification:certificate-revoke": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    # imports (province officers of their province, the central office)
    "spreadsheets:import-list": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "spreadsheets:import-detail": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "spreadsheets:import-progress": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "spreadsheets:import-check": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:import-read": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:import-commit": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    # nothing was rejected yet: back to the import's page
    "spreadsheets:import-rejected": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:review-resolve": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING, MISSING),
    "spreadsheets:review-commit": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:incomplete": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    # Another province's certificate or producer: refused; the central office's empty form is sent back.
    "spreadsheets:incomplete-certificate": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:incomplete-producer": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "spreadsheets:incomplete-classify": (FOUND, FORBIDDEN, FORBIDDEN, FOUND, FORBIDDEN, FOUND, FOUND),
    # the OCOP cycle
    "evaluation:dossier-list": SIGNED_IN,
    "evaluation:dossier-create": (FOUND, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "evaluation:dossier-detail": HIDDEN,
    "evaluation:evidence-download": (*HIDDEN[:5], FOUND, FOUND),  # to a signed address
    "evaluation:evidence-add": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:dossier-submit": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:dossier-precheck": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:scoresheet": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:scoresheets-reopen": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:dossier-propose": (*HIDDEN[:5], FOUND, FOUND),
    "evaluation:decision-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "evaluation:criteria-set-list": SIGNED_IN, "evaluation:criteria-set-detail": SIGNED_IN,
    "evaluation:round-list": SIGNED_IN,
    "evaluation:council-create": (FOUND, MISSING, MISSING, MISSING, MISSING, OK, OK),
    # statistics
    "dashboards:backoffice": (FOUND, FORBIDDEN, OK, OK, OK, OK, OK),
    "dashboards:plan-targets": (FOUND,) + (301,) * 6,  # moved to the office's plans
    "dashboards:annual-report": OFFICERS,
    # the programme office
    "office:plan-list": OFFICERS, "office:support-list": OFFICERS, "office:inspection-list": OFFICERS,
    "office:request-list": OFFICERS,
    "office:plan-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "office:support-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "office:plan-detail": (FOUND, FORBIDDEN, OK, MISSING, FORBIDDEN, OK, OK),  # the commune reads its province's
    "office:plan-edit": (FOUND, FORBIDDEN, FORBIDDEN, MISSING, FORBIDDEN, OK, OK),
    # the central officer deletes it; the admin, next, finds it gone
    "office:target-delete": (FOUND, FORBIDDEN, FORBIDDEN, MISSING, FORBIDDEN, FOUND, MISSING),
    "office:support-detail": (FOUND, FORBIDDEN, OK, MISSING, FORBIDDEN, OK, OK),
    "office:support-edit": (FOUND, FORBIDDEN, FORBIDDEN, MISSING, FORBIDDEN, OK, OK),
    "office:request-answer": (FOUND, FORBIDDEN, MISSING, MISSING, FORBIDDEN, OK, OK),
    "office:my-support": (FOUND, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "office:inspection-create": (FOUND, FORBIDDEN, BAD, BAD, FORBIDDEN, BAD, BAD),  # which certificate? not said
    "office:inspection-detail": (FOUND, FORBIDDEN, MISSING, MISSING, FORBIDDEN, OK, OK),
    "office:inspection-edit": (FOUND, FORBIDDEN, MISSING, MISSING, FORBIDDEN, OK, OK),
    "office:inspection-photo": (FOUND, FORBIDDEN, MISSING, MISSING, FORBIDDEN, FOUND, FOUND),
    **{f"dashboards:{scope}{suffix}": PUBLIC for scope in ("nation", "province", "legacy-province", "commune")
       for suffix in ("", "-report", "-products")},
    # trade connection
    "market:inquiry-list": SIGNED_IN, "market:inquiry-new": PUBLIC, "market:inquiry-detail": HIDDEN,
    "market:inquiry-outcome": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "market:inquiry-visitor": PUBLIC,  # the signed link is the key
    "market:demand-list": PUBLIC, "market:demand-new": SIGNED_IN, "market:demand-detail": PUBLIC,
    "market:demand-close": (FOUND,) + (FORBIDDEN,) * 6,
    "market:fair-list": PUBLIC, "market:fair-detail": PUBLIC,
    "market:fair-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "market:fair-edit": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),  # a Cao Bằng fair
    "market:booth-decide": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "market:booth-results": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, FOUND),
    "market:sale-point-list": PUBLIC,
    "market:sale-point-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "market:sale-point-edit": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),  # a Cao Bằng point
    "spreadsheets:channel-import": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "market:contract-list": SIGNED_IN,  # each sees the contracts it follows (none, for most)
    "market:contract-create": (FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "market:contract-edit": HIDDEN,  # a Cao Bằng contract
    "market:product-sales": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "market:channel-remove": (FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FOUND, MISSING),  # as above
    # stamps: the scan pages are public; the stamps pages for producers and officers with an area (buyers: none)
    "stamps:scan": PUBLIC, "stamps:scan-gs1": PUBLIC, "stamps:scan-lookup": PUBLIC, "stamps:report": PUBLIC,
    "stamps:report-sent": PUBLIC, "stamps:scan-place": (BAD,) * 7,  # no signed scan in an empty POST
    "stamps:home": (FOUND, OK, OK, OK, OK, OK, OK), "stamps:batch-create": (FOUND, OK, OK, OK, OK, OK, OK),
    "stamps:batch-detail": HIDDEN,  # a Cao Bằng batch
    "stamps:labels-pdf": HIDDEN, "stamps:labels-csv": HIDDEN,
    # the central office handles them; the site admin then finds them handled (no longer open: 404)
    "stamps:signal-close": (*HIDDEN[:5], FOUND, MISSING), "stamps:report-close": (*HIDDEN[:5], FOUND, FOUND),
    # API: public reads for everyone; token endpoints answer 401 without a token (tokens: see test_api.py)
    **{f"api:{name}": PUBLIC for name in (
        "openapi-json", "openapi-view", "product_list", "product_detail", "producer_list", "producer_detail",
        "province_list", "former_province_list", "commune_list", "certificate_verify_api", "statistics",
        "sale_point_list", "fair_list", "stamp_verify_api")},
    "api:api-root": (MISSING,) * 7,
    **{f"api:{name}": (401,) * 7 for name in ("me", "my_products", "my_inquiries", "dossier_list_api",
                                              "dossier_detail_api", "import_list_api", "my_batches", "my_batch")},
}  # fmt: skip
POST_ONLY = {
    "accounts:logout", "accounts:token-create", "accounts:token-revoke", "evaluation:dossier-submit",
    "evaluation:dossier-precheck", "evaluation:scoresheets-reopen", "evaluation:dossier-propose",
    "spreadsheets:import-check", "spreadsheets:import-commit", "spreadsheets:review-commit", "spreadsheets:import-read",
    "spreadsheets:review-resolve", "spreadsheets:incomplete-certificate", "spreadsheets:incomplete-producer",
    "spreadsheets:incomplete-classify", "office:target-delete", "market:inquiry-outcome",
    "market:demand-close",
    "market:booth-decide", "market:booth-results", "market:channel-remove", "site:opendata-refresh",
    "evaluation:evidence-add", "accounts:invitation-resend", "accounts:invitation-revoke", "accounts:user-active",
    "accounts:email-change", "producers:claim-decide", "core:notification-open", "stamps:scan-place",
    "stamps:signal-close", "stamps:report-close",
}  # fmt: skip
SKIPPED = {"?"}  # the development media server (DEBUG only)


def _names(patterns=None, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin checks staff itself
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            names += _names(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or "?"
            names.append(f"{namespace}:{name}" if namespace else name)
    return names


@pytest.fixture
def world(cycle, tmp_path, settings):  # noqa: F811
    settings.OCOP_OPENDATA_DIR = tmp_path / "opendata"
    settings.VAR_DIR = tmp_path / "var"
    owner, producer = cycle["owner"], cycle["producer"]
    product = certified_product("Miến dong Nguyên Bình", stars=4, producer=producer)
    certificate = Certificate.objects.get(product=product)
    dossier = new_dossier(cycle)
    evidence = services.evidence_add(
        dossier=dossier, title="Phiếu kiểm nghiệm", by=owner,
        upload=SimpleUploadedFile("kn.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )  # fmt: skip
    book = tmp_path / "ds.xlsx"
    with xlsxwriter.Workbook(str(book)) as workbook:
        sheet = workbook.add_worksheet()
        for col, header in enumerate(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"]):
            sheet.write(0, col, header)
        sheet.write_row(1, 0, [1, "Miến dong", "HTX Phia Đén", "xã Nguyên Bình, tỉnh Cao Bằng", 3])
    officer = User.objects.get(username="province")
    session = import_session_create(path=book, filename="ds.xlsx", by=officer, province=cycle["round"].province)
    buyer = UserFactory(username="muahang", role=User.Role.BUYER)
    inquiry = trade.inquiry_send(product=product, buyer=buyer, name="An", email="an@example.vn", quantity=5,
                                 unit="kg", message="Báo giá")  # fmt: skip
    demand = BuyerDemand.objects.create(buyer=buyer, organisation="X", title="Miến", quantity=1, unit="kg")
    fair = FairFactory(province=cycle["round"].province, starts_on=dt.date.today() + dt.timedelta(days=9))
    booths = BoothType.objects.create(fair=fair, name="Gian", count=3)
    booking = trade.booth_request(booth_type=booths, producer=producer, products=[product], by=owner)
    channel = SalesChannel.objects.create(product=product, kind="retail", name="Co.opmart")
    office_plan = plan(cycle["round"].province, 2021, 2025, targets=[{"indicator": "certified", "value": 5}])
    target = office_plan.targets.get()
    activity = support(cycle["round"].province, "training", dt.date.today(), producers=[producer], participants=20)
    token, _plain = api_token_create(user=owner, name="mine")
    invitation = invitation_send(by=officer, email="moi@example.vn", role=User.Role.COMMUNE_OFFICER,
                                 province=cycle["round"].province, commune=producer.commune)  # fmt: skip
    member = UserFactory(username="xa-cao-bang", role=User.Role.COUNCIL_MEMBER, province=cycle["round"].province)
    hanoi = Province.objects.get(code="01")
    other_commune = Commune.objects.filter(province=cycle["round"].province).exclude(pk=producer.commune_id).first()
    other_producer = certified_product("Sản phẩm khác", stars=3).producer
    people = {
        "visitor": None,
        "producer": UserFactory(username="other-producer", role=User.Role.PRODUCER),
        "commune": UserFactory(username="other-commune", role=User.Role.COMMUNE_OFFICER, commune=other_commune,
                               province=other_commune.province),
        "province": UserFactory(username="other-province", role=User.Role.PROVINCE_OFFICER, province=hanoi),
        "council": UserFactory(username="other-council", role=User.Role.COUNCIL_MEMBER, province=hanoi),
        "central": UserFactory(username="trung-uong", role=User.Role.CENTRAL_OFFICER),
        "admin": UserFactory(username="quan-tri", role=User.Role.SITE_ADMIN, is_staff=True, is_superuser=True),
    }  # fmt: skip
    ProducerMembership.objects.create(user=people["producer"], producer=other_producer)
    contract = RetailContract.objects.create(product=product, chain="WinMart")
    sale_point = SalePoint.objects.create(name="Điểm OCOP Cao Bằng", province=producer.province,
                                          commune=producer.commune)  # fmt: skip
    owner_notice = Notification.objects.create(user=owner, kind="dossier", title="Hồ sơ", link="/")
    claimant = UserFactory(username="xin-nhan", role=User.Role.PRODUCER)
    claim = ProducerClaim.objects.create(user=claimant, tax_code="0101234567", name="HTX Mới", kind="cooperative",
                                         province=producer.province, commune=producer.commune)  # fmt: skip
    code = certificate.verification_code
    support_request = SupportRequest.objects.create(producer=producer, kind="packaging", message="Cần nhãn mới")
    inspection = Inspection.objects.create(certificate=certificate, planned_on=dt.date.today())
    photo = InspectionPhoto(inspection=inspection)
    photo.file.save("anh.jpg", ContentFile(b"\xff\xd8 jpeg"), save=True)
    batch = stamp_services.batch_create(product=product, lot="CB-01", produced_on=dt.date.today(), quantity=50,
                                        by=owner)  # fmt: skip
    series = stamp_services.series_order(batch=batch, quantity=3, by=owner)
    stamp = Stamp.objects.filter(series=series).first()
    stamp_signal = stamp_services.signal_raise(rule=Signal.Rule.MANY_SCANS, code=stamp.code, stamp_code=stamp.code,
                                               product_id=product.pk)  # fmt: skip
    stamp_report = stamp_services.report_submit(code=stamp.code, stamp=stamp, product=product, province=None, place="",
                                                description="Tem in mờ, khác thường", contact="")  # fmt: skip
    args = {
        "site:sitemap-section": ["products"], "site:audit-trail": ["evaluation.dossier", dossier.pk],
        "core:private-file": ["not-a-signed-address"],
        "accounts:token-revoke": [token.pk], "accounts:invitation-accept": ["not-an-invitation"],
        "accounts:invitation-resend": [invitation.pk], "accounts:invitation-revoke": [invitation.pk],
        "accounts:user-active": [member.pk], "accounts:signup-confirm": ["forged"],
        "accounts:email-confirm": ["forged"], "core:notification-open": [owner_notice.pk],
        "producers:claim-decide": [claim.pk],
        "site:workspace-producer": [producer.pk], "catalog:product-edit": [product.pk],
        "accounts:password-reset-confirm": ["MQ", "x-y"], "site:product-export": ["csv"],
        "catalog:category-detail": [product.category.slug], "site:product-detail": [product.pk, product.slug],
        "site:producer-detail": [producer.pk, producer.slug], "site:province-detail": ["cao-bang"],
        "certification:verify-json": [code], "certification:verify-qr": [code, "svg"],
        "certification:certificate-pdf": [code], "certification:certificate-revoke": [code],
        "certification:verify-detail": [code],
        **{f"spreadsheets:{n}": [session.pk] for n in ("import-detail", "import-progress", "import-check",
                                                         "import-commit", "import-read", "import-rejected",
                                                         "review-commit")},
        "spreadsheets:review-resolve": [session.pk, 999999],
        "spreadsheets:incomplete-certificate": [certificate.pk], "spreadsheets:incomplete-producer": [producer.pk],
        **{f"evaluation:{n}": [dossier.pk] for n in ("dossier-detail", "evidence-add", "dossier-submit",
                                                       "dossier-precheck", "scoresheet", "scoresheets-reopen",
                                                       "dossier-propose")},
        "evaluation:evidence-download": [dossier.pk, evidence.pk],
        "evaluation:criteria-set-detail": [cycle["set"].pk], "evaluation:council-create": [cycle["round"].pk],
        "office:plan-detail": [office_plan.pk], "office:plan-edit": [office_plan.pk],
        "office:target-delete": [office_plan.pk, target.pk], "office:support-detail": [activity.pk],
        "office:support-edit": [activity.pk], "office:request-answer": [support_request.pk],
        "office:inspection-detail": [inspection.pk], "office:inspection-edit": [inspection.pk],
        "office:inspection-photo": [inspection.pk, photo.pk],
        "dashboards:province": ["cao-bang"], "dashboards:province-report": ["cao-bang", "xlsx"],
        "dashboards:province-products": ["cao-bang", "csv"], "dashboards:nation-report": ["xlsx"],
        "dashboards:nation-products": ["csv"], "dashboards:legacy-province": ["06"],
        "dashboards:legacy-province-report": ["06", "xlsx"], "dashboards:legacy-province-products": ["06", "csv"],
        "dashboards:commune": [producer.commune.code], "dashboards:commune-report": [producer.commune.code, "xlsx"],
        "dashboards:commune-products": [producer.commune.code, "csv"],
        "market:inquiry-new": [product.pk], "market:inquiry-detail": [inquiry.pk],
        "market:inquiry-outcome": [inquiry.pk], "market:inquiry-visitor": [trade.inquiry_thread_token(inquiry)],
        "market:demand-detail": [demand.pk], "market:demand-close": [demand.pk], "market:fair-detail": [fair.pk],
        "market:fair-edit": [fair.pk], "market:sale-point-edit": [sale_point.pk], "market:contract-edit": [contract.pk],
        "market:booth-decide": [booking.pk], "market:booth-results": [booking.pk], "market:product-sales": [product.pk],
        "market:channel-remove": [channel.pk], "site:opendata-file": ["products.csv"],
        "api:product_detail": [product.pk], "api:producer_detail": [producer.pk], "api:commune_list": ["04"],
        "api:certificate_verify_api": [code], "api:dossier_detail_api": [dossier.pk],
        "stamps:scan": [stamp.code], "stamps:scan-gs1": ["04006381333931", "CB-01", stamp.code],
        "stamps:report": [stamp.code], "stamps:scan-place": [stamp.code], "stamps:batch-detail": [batch.pk],
        "stamps:labels-pdf": [series.pk], "stamps:labels-csv": [series.pk], "stamps:signal-close": [stamp_signal.pk],
        "stamps:report-close": [stamp_report.pk], "api:stamp_verify_api": [stamp.code], "api:my_batch": [batch.pk],
    }  # fmt: skip
    return {"people": people, "args": args}


def test_every_url_has_a_rule():
    missing = sorted(set(_names()) - set(RULES) - SKIPPED)
    assert not missing, f"Decide who may open these and add them to RULES: {missing}"


def test_each_role_gets_exactly_what_it_should(client, world):
    wrong = []
    for role in ROLES:
        for name in sorted(RULES):
            client.logout()  # afresh for each URL: one of them is the logout itself
            if world["people"][role] is not None:
                client.force_login(world["people"][role])
            expected = RULES[name]
            expected = expected[ROLES.index(role)] if isinstance(expected, tuple) else expected
            url = reverse(name, args=world["args"].get(name, []))
            response = client.post(url) if name in POST_ONLY else client.get(url)
            if response.status_code != expected:
                wrong.append(f"{role:9} {name:42} expected {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)
