"""The OCOP cycle through its pages: each role sees and does only its part."""

import datetime as dt
import time
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.storages import filesystem_storages
from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.evaluation import services
from ocop.evaluation.models import Dossier
from ocop.evaluation.tests.test_services import leaves, new_dossier

pytestmark = pytest.mark.django_db


def choose(dossier, pick):
    return {f"c_{c.pk}": list(c.options.order_by("points"))[pick].pk for c in leaves(dossier)}


@pytest.fixture
def open_round(cycle):
    cycle["round"].opens_on = dt.date.today() - dt.timedelta(days=10)
    cycle["round"].submission_deadline = dt.date.today() + dt.timedelta(days=30)
    cycle["round"].scoring_deadline = dt.date.today() + dt.timedelta(days=60)
    cycle["round"].save()
    return cycle


def test_the_cycle_through_the_pages(client, open_round, commune_officer, province_officer, tmp_path):
    cycle = open_round
    client.force_login(cycle["owner"])
    response = client.post(reverse("evaluation:dossier-create"), {
        "producer": cycle["producer"].pk, "evaluation_round": cycle["round"].pk, "kind": "new",
        "product_name": "Miến dong Nguyên Bình", "category": cycle["category"].pk, "description": "Miến sợi nhỏ",
    })  # fmt: skip
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("evaluation:dossier-detail", args=[dossier.pk])
    detail = reverse("evaluation:dossier-detail", args=[dossier.pk])
    client.post(detail, choose(dossier, -1))
    assert dossier.self_assessment.count() == len(leaves(dossier))
    pdf = SimpleUploadedFile("kiem-nghiem.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(reverse("evaluation:evidence-add", args=[dossier.pk]), {"file": pdf, "title": "Phiếu kiểm nghiệm"})
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    page = client.post(reverse("evaluation:evidence-add", args=[dossier.pk]), {"file": fake}, follow=True)
    assert "không phải là tệp PDF" in page.content.decode()
    assert dossier.evidence.count() == 1
    disguised = SimpleUploadedFile("anh.html", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="text/html")
    client.post(reverse("evaluation:evidence-add", args=[dossier.pk]), {"file": disguised, "title": "Ảnh"})
    stored = sorted(e.file.name.rsplit(".", 1)[-1] for e in dossier.evidence.all())
    assert stored == ["pdf", "png"]  # the extension of what the file is, never the client's ".html"
    dossier.evidence.filter(title="Ảnh").delete()
    client.post(reverse("evaluation:dossier-submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED

    client.force_login(commune_officer)
    assert "Kiểm tra sơ bộ của xã" in client.get(detail).content.decode()
    client.post(reverse("evaluation:dossier-precheck", args=[dossier.pk]), {"decision": "forward"})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AT_PROVINCE

    for member in cycle["members"]:
        client.force_login(member)
        sheet_url = reverse("evaluation:scoresheet", args=[dossier.pk])
        assert client.get(sheet_url).status_code == 200
        client.post(sheet_url, {**choose(dossier, -1), "action": "finalise"})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SCORED and dossier.result.mean_total == 100

    client.force_login(province_officer)
    form = client.get(reverse("evaluation:decision-create"))
    assert "Miến dong Nguyên Bình" in form.content.decode()
    client.post(reverse("evaluation:decision-create"), {
        "number": "88/QĐ-UBND", "signed_on": dt.date.today().strftime("%d/%m/%Y"), "signer": "Nguyễn Văn B",
        "issuer": "UBND tỉnh Cao Bằng", "dossiers": [dossier.pk],
    })  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RECOGNISED
    certificate = dossier.certificate
    verify = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    assert "CÒN HIỆU LỰC" in verify.content.decode().upper()


def test_each_role_sees_only_its_dossiers(client, open_round, commune_officer, other_commune, buyer, ha_noi):
    cycle = open_round
    dossier = new_dossier(cycle)
    url = reverse("evaluation:dossier-detail", args=[dossier.pk])
    client.force_login(cycle["owner"])
    assert client.get(url).status_code == 200
    for outsider in (
        UserFactory(username="other-producer", role=User.Role.PRODUCER),
        UserFactory(username="xa-khac", role=User.Role.COMMUNE_OFFICER, commune=other_commune,
                    province=other_commune.province),
        UserFactory(username="tinh-khac", role=User.Role.PROVINCE_OFFICER, province=ha_noi),
        buyer,
    ):  # fmt: skip
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert "Miến dong" not in client.get(reverse("evaluation:dossier-list")).content.decode()
    client.force_login(commune_officer)
    assert client.get(url).status_code == 200


def test_score_sheets_of_others_stay_hidden_until_ones_own_is_final(client, open_round, commune_officer):
    from ocop.evaluation import services
    from ocop.evaluation.tests.test_services import score_all, to_province

    cycle = open_round
    dossier = to_province(cycle, commune_officer)
    first, second = cycle["members"][:2]
    services.scoresheet_finalise(sheet=score_all(dossier, first, lambda c: -1), by=first)
    client.force_login(second)
    page = client.get(reverse("evaluation:scoresheet", args=[dossier.pk])).content.decode()
    assert first.display_name not in page
    services.scoresheet_finalise(sheet=score_all(dossier, second, lambda c: -1), by=second)
    page = client.get(reverse("evaluation:scoresheet", args=[dossier.pk])).content.decode()
    assert first.display_name in page


def test_bad_input_is_refused_with_a_message_never_a_500(client, open_round):
    cycle = open_round
    client.force_login(cycle["owner"])
    response = client.post(reverse("evaluation:dossier-create"), {"producer": "x", "kind": "new"})
    assert response.status_code == 200 and "error" in response.content.decode()
    dossier = new_dossier(cycle)
    response = client.post(reverse("evaluation:dossier-detail", args=[dossier.pk]), {"c_999999": "1", "c_x": "y"},
                           follow=True)  # fmt: skip
    assert response.status_code == 200 and "Phương án đó không thuộc tiêu chí này" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(reverse("evaluation:evidence-add", args=[dossier.pk]), {"file": big}, follow=True)
    assert "10 MB" in response.content.decode()
    assert client.get("/ho-so/999999/").status_code == 404


def test_the_dossier_list_query_count_does_not_grow(client, open_round, central_officer,
                                                    django_assert_max_num_queries):  # fmt: skip
    cycle = open_round
    client.force_login(central_officer)
    new_dossier(cycle)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("evaluation:dossier-list")).status_code == 200
    for _ in range(6):
        new_dossier(cycle)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("evaluation:dossier-list")).status_code == 200


def test_the_dossier_page_query_count_is_bounded(client, open_round, django_assert_max_num_queries):
    cycle = open_round
    dossier = new_dossier(cycle)
    client.force_login(cycle["owner"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("evaluation:dossier-detail", args=[dossier.pk])).status_code == 200


def test_option_ids_are_rendered_without_thousand_separators():
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    option = SimpleNamespace(pk=12345, label="Tốt", points=5)
    criterion = SimpleNamespace(pk=67890, code="A1.1", name="Nguyên liệu", parent_id=None, max_points=5)
    part = SimpleNamespace(code="A", name="Phần A", max_points=40)
    tree = [
        {
            "part": part,
            "sections": [
                {
                    "section": part,
                    "rows": [
                        {"criterion": criterion, "options": [option], "chosen": None, "comment": "", "heading": False}
                    ],
                }
            ],
        }
    ]
    with translation.override("vi"):
        html = render_to_string("evaluation/_criteria.html", {"tree": tree, "disputed": []})
    assert 'name="c_67890" value="12345"' in html


def test_the_round_list_query_count_does_not_grow(client, cycle, province_officer, django_assert_max_num_queries):
    client.force_login(province_officer)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("evaluation:round-list")).status_code == 200
    for number in range(2, 6):
        services.round_open(province=cycle["round"].province, year=2026, number=number, opens_on=dt.date(2026, 1, 1),
                            submission_deadline=dt.date(2026, 2, 1), scoring_deadline=dt.date(2026, 3, 1),
                            regime=cycle["round"].regime, by=province_officer)  # fmt: skip
    with django_assert_max_num_queries(7):
        page = client.get(reverse("evaluation:round-list")).content.decode()
    assert page.count("Cao Bằng") >= 5


def _fetch(client, location: str) -> bytes:
    """Follow a signed address: the site's own (disk storage) or the bucket's presigned URL (S3)."""
    if location.startswith("http"):
        with urllib.request.urlopen(location, timeout=10) as response:  # noqa: S310 (the local S3 server)
            assert "no-store" in response.headers["Cache-Control"]
            return response.read()
    response = client.get(location)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("media_storage", ["filesystem", "s3"])
def test_evidence_uploaded_through_the_page_is_served_by_expiring_signed_addresses_to_those_who_see_the_dossier(
    media_storage, request, client, open_round, province_officer, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    if media_storage == "s3":  # MEDIA_STORAGE=s3, against the local S3 server
        s3 = request.getfixturevalue("s3_media")
    else:  # the disk, whatever MEDIA_STORAGE the suite runs with
        s3, settings.STORAGES = None, {**settings.STORAGES, **filesystem_storages()}
    dossier = services.dossier_create(
        evaluation_round=open_round["round"], producer=open_round["producer"], product_name="Miến dong",
        category=open_round["category"], by=open_round["owner"],
    )  # fmt: skip
    client.force_login(open_round["owner"])
    pdf = SimpleUploadedFile("kiểm nghiệm.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(reverse("evaluation:evidence-add", args=[dossier.pk]), {"file": pdf, "title": "Phiếu kiểm nghiệm"})
    evidence = dossier.evidence.get()
    name = evidence.file.name
    assert name.startswith(f"evidence/{dossier.pk}/") and name.endswith(".pdf") and "kiem" not in name  # random
    if s3:
        stored = s3.client.get_object(Bucket=s3.bucket, Key=f"private/{name}")["Body"].read()
        assert stored.startswith(b"%PDF-")
        assert not (tmp_path / "private").exists()
    else:
        assert (tmp_path / "private" / name).read_bytes().startswith(b"%PDF-")  # outside the public media folder

    url = reverse("evaluation:evidence-download", args=[dossier.pk, evidence.pk])
    client.force_login(province_officer)
    response = client.get(url)
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert ("X-Amz-Expires=300" in location) if s3 else location.startswith("/tep-rieng/")
    assert _fetch(client, location).startswith(b"%PDF-")
    client.force_login(UserFactory(username="la", role=User.Role.PRODUCER))
    assert client.get(url).status_code == 404  # no address for someone who may not see the dossier
    if not s3:
        client.logout()
        token = location.split("/")[2]
        assert client.get(f"/tep-rieng/{token[:-2]}xx/").status_code == 404  # tampered
        settings.OCOP_PRIVATE_URL_SECONDS = 1
        time.sleep(2)
        assert client.get(location).status_code == 404  # expired
