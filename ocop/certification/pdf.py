"""The certificate as a PDF: Vietnamese text in an embedded Unicode font, and the QR code of its verification page."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.utils import translation
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ocop.certification.models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
RED = HexColor("#b3261e")
INK = HexColor("#1d1b1a")
MUTED = HexColor("#5f5a55")


def register_fonts() -> None:
    # DejaVu Sans covers every Vietnamese letter and the star sign; the fonts are embedded (subset) in each PDF.
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _unit(producer) -> str:
    """The commune, or the former district when a list named only that; nothing when only the province is known."""
    if producer.commune_id:
        return producer.commune.name
    return f"{producer.legacy_district.name} (cũ)" if producer.legacy_district_id else ""


def _decision(certificate) -> str:
    """ "1234/QĐ-UBND ngày 15/06/2022"; a list's date known only to the year stays so, and a missing number
    is said, never invented."""
    with translation.override("vi"):
        if certificate.issued_precision == "day":
            when = f"ngày {_date(certificate.issued_on)}"
        else:
            when = certificate.issued_display
        return (
            f"{certificate.decision_number or 'số quyết định chưa rõ'}, {when}"
            if not (certificate.decision_number and certificate.issued_precision == "day")
            else f"{certificate.decision_number} {when}"
        )


def _expiry(certificate) -> str:
    if certificate.issued_precision == "day":
        return _date(certificate.expires_on)
    with translation.override("vi"):
        return certificate.expires_display


def _centred(pdf: canvas.Canvas, text: str, y: float, *, font: str, size: float, width: float, colour=INK) -> None:
    pdf.setFont(font, size)
    pdf.setFillColor(colour)
    # Shrink a long product name to fit the page rather than overflowing it.
    while pdfmetrics.stringWidth(text, font, size) > width - 120 and size > 10:
        size -= 1
        pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


def _qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector squares (sharp at any print size)."""
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix_iter(scale=1, border=2))
    module = size / len(matrix)
    pdf.setFillColor(INK)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(x + col_index * module, y + size - (row_index + 1) * module, module, module, stroke=0, fill=1)


def certificate_pdf(certificate: Certificate, verification_url: str) -> bytes:
    """One A4 landscape page: the recognition, the product, its stars, the dates and the QR code."""
    register_fonts()
    product = certificate.product
    producer = product.producer
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"Giấy chứng nhận OCOP {certificate.number} — {product.name}")
    pdf.setAuthor(certificate.issuer)
    pdf.setSubject("Giấy chứng nhận sản phẩm OCOP")
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(0.8)
    pdf.rect(32, 32, width - 64, height - 64)

    _centred(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", height - 70, font="DejaVuSans-Bold", size=12, width=width)
    _centred(pdf, "Độc lập - Tự do - Hạnh phúc", height - 86, font="DejaVuSans", size=11, width=width)
    _centred(pdf, certificate.issuer.upper(), height - 116, font="DejaVuSans-Bold", size=12, width=width)
    _centred(pdf, "GIẤY CHỨNG NHẬN", height - 160, font="DejaVuSans-Bold", size=26, width=width, colour=RED)
    _centred(pdf, "SẢN PHẨM ĐẠT CHUẨN OCOP", height - 186, font="DejaVuSans-Bold", size=15, width=width, colour=RED)
    _centred(pdf, "Chương trình Mỗi xã một sản phẩm", height - 204, font="DejaVuSans", size=10, width=width,
             colour=MUTED)  # fmt: skip
    _centred(pdf, product.name, height - 250, font="DejaVuSans-Bold", size=22, width=width)
    _centred(pdf, "★" * certificate.stars + "☆" * (5 - certificate.stars), height - 286, font="DejaVuSans",
             size=28, width=width, colour=RED)  # fmt: skip
    _centred(pdf, f"Hạng {certificate.stars} sao", height - 306, font="DejaVuSans", size=11, width=width)

    lines = [
        ("Chủ thể", producer.name),
        ("Địa chỉ", ", ".join(p for p in (producer.address, _unit(producer), producer.province.full_name) if p)),
        ("Quyết định công nhận", _decision(certificate)),
        ("Điểm đánh giá", f"{certificate.score:.2f}".replace(".", ",") if certificate.score is not None else "—"),
        ("Có giá trị đến", _expiry(certificate)),
        ("Số giấy chứng nhận", certificate.number),
    ]
    y = height - 345
    for label, value in lines:
        pdf.setFont("DejaVuSans", 11)
        pdf.setFillColor(MUTED)
        pdf.drawRightString(width / 2 - 110, y, f"{label}:")
        pdf.setFont("DejaVuSans-Bold", 11)
        pdf.setFillColor(INK)
        text = value
        while pdfmetrics.stringWidth(text, "DejaVuSans-Bold", 11) > width / 2 + 20 and len(text) > 10:
            text = text[:-2]
        pdf.drawString(width / 2 - 100, y, text if text == value else text.rstrip() + "…")
        y -= 20

    qr_size = 110
    _qr(pdf, verification_url, width - 60 - qr_size, 52, qr_size)
    pdf.setFont("DejaVuSans", 8)
    pdf.setFillColor(MUTED)
    pdf.drawCentredString(width - 60 - qr_size / 2, 44, f"Mã xác minh: {certificate.verification_code}")
    pdf.drawString(60, 60, "Quét mã QR hoặc nhập mã xác thực tại trang xác thực để kiểm tra hiệu lực.")
    pdf.drawString(60, 48, verification_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
