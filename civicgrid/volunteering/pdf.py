"""The certificate PDF (志愿服务证明) in core.pdffonts' CJK font (embedded Noto Sans CJK SC when installed),
plus a QR code of the verification URL and, when configured, the issuer's seal image."""

import io
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from civicgrid.core.pdffonts import cjk_font, forget_font
from civicgrid.volunteering.hours import hours_number
from civicgrid.volunteering.models import Certificate
from civicgrid.volunteering.policy import seal_path


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _lines(certificate: Certificate) -> list[str]:
    hours = hours_number(certificate.minutes)
    period = f"{certificate.first_date:%Y-%m-%d} — {certificate.last_date:%Y-%m-%d}" if certificate.first_date else ""
    return [
        _("Certificate number: %(number)s") % {"number": certificate.number},
        _("Holder: %(name)s (ID %(id)s)") % {"name": certificate.volunteer.name, "id": certificate.id_number_masked},
        _("Confirmed service: %(hours)s hours in %(records)s records") % {"hours": hours,
                                                                          "records": certificate.records},
        _("Service period: %(period)s") % {"period": period},
        _("Issued by: %(issuer)s") % {"issuer": certificate.issuer},
        _("Issued on: %(date)s") % {"date": f"{timezone.localtime(certificate.issued_at):%Y-%m-%d}"},
    ]


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    title, lines = _("Volunteer Service Certificate"), _lines(certificate)
    note = _("Verify this certificate by scanning the code or at:")
    font, buffer = cjk_font("".join([title, note, verify_url, *lines])), io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(certificate.number)
    width, height = A4
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 40 * mm, title)
    pdf.setFont(font, 13)
    y = height - 65 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 10 * mm
    pdf.setFont(font, 10)
    pdf.drawString(25 * mm, 50 * mm, note)
    pdf.drawString(25 * mm, 44 * mm, verify_url)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), width - 65 * mm, 30 * mm, 40 * mm, 40 * mm)
    seal = seal_path()
    if seal and Path(seal).exists():
        pdf.drawImage(ImageReader(seal), width - 80 * mm, y - 30 * mm, 45 * mm, 45 * mm, mask="auto")
    pdf.showPage()
    pdf.save()
    forget_font(font)
    return buffer.getvalue()
