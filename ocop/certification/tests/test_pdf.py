import shutil
import subprocess

import pytest
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "gcn.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is installed by make test"
    done = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout


def test_the_certificate_pdf_keeps_vietnamese_diacritics_and_names_its_verification_code(client, tmp_path):
    product = certified_product("Mật ong bạc hà Đồng Văn", stars=4)
    certificate = Certificate.objects.get(product=product)
    owner = UserFactory(username="chuthe-pdf", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=product.producer)
    client.force_login(owner)
    response = client.get(reverse("certification:certificate-pdf", args=[certificate.verification_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Mật ong bạc hà Đồng Văn" in text
    assert "GIẤY CHỨNG NHẬN" in text and "★★★★" in text
    assert certificate.verification_code in text and certificate.expires_on.strftime("%d/%m/%Y") in text


def test_only_the_producer_and_officers_of_the_place_download_it(client, buyer, central_officer, ha_noi):
    certificate = Certificate.objects.get(product=certified_product("Chè Shan tuyết"))
    url = reverse("certification:certificate-pdf", args=[certificate.verification_code])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(buyer)
    assert client.get(url).status_code == 403
    far = UserFactory(username="hn-pdf", role=User.Role.PROVINCE_OFFICER, province=ha_noi)
    client.force_login(far)
    assert client.get(url).status_code == 403
    client.force_login(central_officer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("certification:certificate-pdf", args=["KHONG-CO"])).status_code == 404


def test_an_officer_revokes_a_certificate_and_the_public_page_says_so_at_once(client, province_officer, cao_bang,
                                                                              buyer):  # fmt: skip
    from ocop.geo.models import Commune

    commune = Commune.objects.filter(province=cao_bang).first()
    product = certified_product("Hạt dẻ Trùng Khánh", commune=commune, province=cao_bang)
    certificate = Certificate.objects.get(product=product)
    url = reverse("certification:certificate-revoke", args=[certificate.verification_code])
    client.force_login(buyer)
    assert client.get(url).status_code == 403
    client.force_login(province_officer)
    page = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    assert url in page.content.decode() and "no-store" in page["Cache-Control"]
    response = client.post(url, {"decision_number": "", "revoked_on": "31/02/2026", "reason": ""})
    assert response.status_code == 200 and response.content.decode().count('class="error"') >= 3
    response = client.post(url, {"decision_number": "12/QĐ-UBND", "revoked_on": certificate.issued_on.strftime(
        "%d/%m/%Y"), "reason": "Vi phạm an toàn thực phẩm"}, follow=True)  # fmt: skip
    assert "ĐÃ BỊ THU HỒI" in response.content.decode().upper()
    client.logout()
    public = client.get(reverse("certification:verify-detail", args=[certificate.verification_code]))
    assert "Vi phạm an toàn thực phẩm" in public.content.decode() and "max-age=60" in public["Cache-Control"]
