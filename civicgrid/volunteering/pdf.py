"""The certificate PDF (志愿服务证明) with embedded Noto CJK when installed, else reportlab's STSong-Light,
plus a QR code of the verification URL and, when configured, the issuer's seal image."""

import io
from functools import lru_cache
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from civicgrid.volunteering.models import Certificate
from civicgrid.volunteering.policy import seal_path

CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and name the first CJK font found; the built-in CID font (not embedded) otherwise."""
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont("CivicgridCJK", path, subfontIndex=2 if "Noto" in path else 0))
                return "CivicgridCJK"
            except Exception:  # noqa: BLE001, S112 - an unusable font file: try the next one
                continue
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _lines(certificate: Certificate) -> list[str]:
    hours = f"{certificate.minutes / 60:.1f}"
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
    font, buffer = cjk_font(), io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(certificate.number)
    width, height = A4
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 40 * mm, _("Volunteer Service Certificate"))
    pdf.setFont(font, 13)
    y = height - 65 * mm
    for line in _lines(certificate):
        pdf.drawString(25 * mm, y, line)
        y -= 10 * mm
    pdf.setFont(font, 10)
    pdf.drawString(25 * mm, 50 * mm, _("Verify this certificate by scanning the code or at:"))
    pdf.drawString(25 * mm, 44 * mm, verify_url)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), width - 65 * mm, 30 * mm, 40 * mm, 40 * mm)
    seal = seal_path()
    if seal and Path(seal).exists():
        pdf.drawImage(ImageReader(seal), width - 80 * mm, y - 30 * mm, 45 * mm, 45 * mm, mask="auto")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
