"""The producer's own product page: text, prices and photos, published at once; certified facts locked; officers
hide what must not be shown. Photos are made like phones make them (EXIF with a GPS position, rotated)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog import services
from ocop.catalog.models import Product, ProductImage
from ocop.catalog.tests.helpers import certified_product
from ocop.core.errors import ApplicationError
from ocop.core.models import AuditEntry
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def phone_photo(width: int = 4000, height: int = 3000, *, orientation: int = 6, colour=(180, 120, 60)) -> bytes:
    """A JPEG as a phone writes it: landscape pixels, an Orientation tag (6 = turn 90° clockwise), a GPS position
    and the camera's make in EXIF."""
    picture = Image.new("RGB", (width, height), colour)
    for x in range(0, width, max(1, width // 8)):  # some detail, so that resizing has work to do
        picture.paste((30, 60, 90), (x, 0, x + width // 32, height))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 12.0)}  # GPSInfo
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name: str = "IMG_20260512_101010.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels but which holds almost no data (a decompression bomb's
    shape): reading the header is cheap, decoding it would allocate width × height × 3 bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owned(producer_user):
    product = certified_product("Mật ong bạc hà Mèo Vạc", stars=4)
    ProducerMembership.objects.create(user=producer_user, producer=product.producer)
    return product


def test_a_producer_adds_photos_that_are_upright_resized_and_stripped_of_exif(client, producer_user, owned, media):
    client.force_login(producer_user)
    url = reverse("catalog:product-edit", args=[owned.pk])
    for caption in ("Hũ 500 g", "Vườn bạc hà", "Tổ ong"):
        response = client.post(url, {"action": "photo", "upload": upload(phone_photo()), "caption": caption})
        assert response.status_code == 302, response.content.decode()[:2000]
    pictures = list(owned.images.order_by("position"))
    assert [p.caption for p in pictures] == ["Hũ 500 g", "Vườn bạc hà", "Tổ ong"]
    first = pictures[0]
    assert sorted(first.renditions, key=int) == ["320", "640", "1280"]
    for width, files in first.renditions.items():
        for kind, name in files.items():
            with Image.open(media / name) as stored:
                assert stored.format == {"webp": "WEBP", "jpeg": "JPEG"}[kind]
                assert stored.width == int(width)
                assert stored.height > stored.width  # the phone's Orientation tag was applied: portrait
                exif = stored.getexif()
                assert 0x8825 not in exif and 0x010F not in exif and 0x0112 not in exif  # no GPS, maker, rotation
    assert (first.width, first.height) == (1280, 1707)
    owned.refresh_from_db()
    assert owned.cover["files"] == first.renditions  # the card's cover, without another query
    assert AuditEntry.objects.filter(code="catalog.picture.added", object_id=str(owned.pk)).count() == 3

    page = client.get(reverse("site:product-detail", args=[owned.pk, owned.slug])).content.decode()
    assert 'type="image/webp"' in page and " 640w" in page and 'width="1280" height="1707"' in page
    assert 'property="og:image"' in page
    results = client.get(reverse("catalog:product-list")).content.decode()
    assert first.renditions["320"]["webp"] in results  # the card shows the cover


def test_what_is_not_a_photo_is_refused_by_content_with_a_clear_message(client, producer_user, owned, media):
    client.force_login(producer_user)
    url = reverse("catalog:product-edit", args=[owned.pk])
    cases = [
        (upload(b"MZ\x90\x00 not a picture", "anh.jpg"), "không phải là ảnh"),
        (upload(b"%PDF-1.4\n%%EOF\n", "anh.png", "image/png"), "không phải là ảnh"),
        (upload(phone_photo(120, 90, orientation=1)), "200"),
    ]
    for sent, expected in cases:
        response = client.post(url, {"action": "photo", "upload": sent}, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 400
        assert expected in response.content.decode()
    assert not owned.images.exists()
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_a_50_megapixel_photo_is_refused_before_it_is_decoded(client, producer_user, owned, media, monkeypatch):
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))  # a decode would show here
    client.force_login(producer_user)
    bomb = png_header_only(10_000, 5_001)  # 50.01 megapixels in 120 bytes
    assert len(bomb) < 200
    response = client.post(reverse("catalog:product-edit", args=[owned.pk]),
                           {"action": "photo", "upload": upload(bomb, "anh.png", "image/png")})  # fmt: skip
    assert response.status_code == 400
    assert "10000 × 5001" in response.content.decode()
    assert decoded == []
    assert not owned.images.exists()


def test_at_most_eight_photos_reordered_cover_chosen_and_removed_files_deleted(
    client, producer_user, owned, media, django_capture_on_commit_callbacks
):
    small = phone_photo(800, 600, orientation=1)
    for _ in range(ProductImage.MAX_PER_PRODUCT):
        services.product_picture_add(product=owned, by=producer_user, upload=upload(small))
    with pytest.raises(ApplicationError) as refused:
        services.product_picture_add(product=owned, by=producer_user, upload=upload(small))
    assert refused.value.code == "too_many"

    client.force_login(producer_user)
    url = reverse("catalog:product-edit", args=[owned.pk])
    ids = list(owned.images.order_by("position").values_list("pk", flat=True))
    assert client.post(url, {"action": "cover", "picture": ids[3]}).status_code == 302
    assert client.post(url, {"action": "down", "picture": ids[0]}).status_code == 302
    order = list(owned.images.order_by("position").values_list("pk", flat=True))
    assert order[:3] == [ids[3], ids[1], ids[0]]
    owned.refresh_from_db()
    assert owned.cover["files"] == ProductImage.objects.get(pk=ids[3]).renditions

    removed = ProductImage.objects.get(pk=ids[3])
    files = [media / name for pair in removed.renditions.values() for name in pair.values()]
    assert all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "remove", "picture": ids[3]}).status_code == 302
    assert not any(path.exists() for path in files)
    assert list(owned.images.order_by("position").values_list("position", flat=True)) == list(range(7))
    owned.refresh_from_db()
    assert owned.cover["files"] == ProductImage.objects.get(pk=ids[1]).renditions
    # a photo of another product is not this product's to move
    other = certified_product("Sản phẩm khác")
    stranger = services.product_picture_store(product=other, upload=upload(small))
    response = client.post(url, {"action": "remove", "picture": stranger.pk})
    assert response.status_code == 400 and ProductImage.objects.filter(pk=stranger.pk).exists()


def test_the_producer_edits_its_page_but_not_what_the_certificate_states(client, producer_user, owned):
    client.force_login(producer_user)
    url = reverse("catalog:product-edit", args=[owned.pk])
    response = client.post(url, {
        "action": "save", "name": "Tên khác hẳn", "description": "Mật ong từ hoa bạc hà.",
        "story": "Ba thế hệ nuôi ong.", "packaging": "Hũ thủy tinh", "unit": "hũ 500 g", "price_min": "180000",
        "price_max": "250000", "annual_capacity": "5000", "capacity_unit": "hũ", "status": "active",
    })  # fmt: skip
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.name == "Mật ong bạc hà Mèo Vạc"  # the certificate's name: the disabled field is ignored
    assert (owned.description, owned.price_min, owned.price_max) == ("Mật ong từ hoa bạc hà.", 180000, 250000)
    entry = AuditEntry.objects.get(code="catalog.product.updated", object_id=str(owned.pk))
    assert entry.changes["price_min"][1] == 180000 and "name" not in entry.changes
    with pytest.raises(ApplicationError) as locked:
        services.product_page_update(product=owned, by=producer_user, name="Tên khác hẳn")
    assert locked.value.code == "locked"

    response = client.post(url, {"action": "save", "name": owned.name, "price_min": "300000", "price_max": "100000",
                                 "status": "active"})  # fmt: skip
    assert response.status_code == 400
    assert "không được thấp hơn" in response.content.decode() or "cannot be below" in response.content.decode()
    owned.refresh_from_db()
    assert owned.price_min == 180000  # nothing already saved is lost


def test_officers_hide_content_and_the_producer_cannot(client, producer_user, owned, media, commune_officer):
    picture = services.product_picture_add(product=owned, by=producer_user, upload=upload(phone_photo(800, 600)))
    with pytest.raises(ApplicationError):
        services.product_picture_hide(product=owned, by=producer_user, picture_id=picture.pk, hidden=True)
    officer = UserFactory(username="xa-khun-ha", role=User.Role.COMMUNE_OFFICER, commune=owned.producer.commune,
                          province=owned.producer.province)  # fmt: skip
    client.force_login(officer)
    url = reverse("catalog:product-edit", args=[owned.pk])
    assert client.post(url, {"action": "hide", "picture": picture.pk, "reason": "Ảnh sai sản phẩm"}).status_code == 302
    assert client.post(url, {"action": "hide-text", "reason": "Quảng cáo chữa bệnh"}).status_code == 302
    owned.refresh_from_db()
    assert owned.text_hidden and owned.cover == {}
    client.logout()
    page = client.get(reverse("site:product-detail", args=[owned.pk, owned.slug])).content.decode()
    assert picture.renditions["320"]["webp"] not in page
    assert owned.description not in page
    assert AuditEntry.objects.get(code="catalog.picture.hidden").reason == "Ảnh sai sản phẩm"
    # an officer of another commune is refused
    client.force_login(commune_officer)
    assert client.get(url).status_code == 403


def test_another_producer_cannot_open_the_page(client, owned):
    stranger = UserFactory(username="la", role=User.Role.PRODUCER)
    client.force_login(stranger)
    assert client.get(reverse("catalog:product-edit", args=[owned.pk])).status_code == 403
    assert client.post(reverse("catalog:product-edit", args=[owned.pk]), {"action": "remove", "picture": 1}
                       ).status_code == 403  # fmt: skip
    assert Product.objects.get(pk=owned.pk).name == owned.name
