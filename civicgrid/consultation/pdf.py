"""The printable meeting record (会议记录): agenda, attendance by party, approved minutes and resolutions, in a
CJK font as the volunteering certificates use."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from civicgrid.consultation.models import Meeting, Party
from civicgrid.consultation.selectors import attendance
from civicgrid.volunteering.pdf import cjk_font

WRAP = 38  # CJK characters per line at 11 pt on A4 with 25 mm margins


def _lines(meeting: Meeting) -> list[str]:
    minutes = meeting.minutes
    parties = dict(Party.choices)
    lines = [_("Time: %(at)s") % {"at": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"},
             _("Place: %(place)s") % {"place": " ".join(filter(None, [str(meeting.place or ""), meeting.place_text]))},
             _("Agenda:")]
    lines += [f"  · {topic.title}" for topic in meeting.topics.all()]
    lines.append(_("Attendance by party:"))
    lines += [f"  · {parties.get(p, p)}: {c['present']}/{c['invited']}" for p, c in attendance(meeting).items()]
    if minutes is not None:
        lines.append(_("Minutes (version %(v)s, %(state)s):") % {
            "v": minutes.version, "state": _("approved") if minutes.approved_at else _("draft")})
        lines += minutes.text.splitlines() + ([_("Closing report:")] + minutes.closing_report.splitlines()
                                              if minutes.closing_report else [])
    lines.append(_("Resolutions:"))
    lines += [f"  · {r.title} — {r.owner} — {r.due_on:%Y-%m-%d} — {r.get_status_display()}"
              for r in meeting.resolutions.all()]
    return [chunk for line in lines for chunk in (_wrap(line) or [""])]


def _wrap(line: str) -> list[str]:
    return [line[i:i + WRAP] for i in range(0, len(line), WRAP)]


def meeting_record_pdf(meeting: Meeting) -> bytes:
    title, lines = meeting.title, _lines(meeting)
    font, buffer = cjk_font(title + "".join(lines)), io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    width, height = A4
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 30 * mm, title)
    pdf.setFont(font, 11)
    y = height - 45 * mm
    for line in lines:
        if y < 20 * mm:
            pdf.showPage()
            pdf.setFont(font, 11)
            y = height - 25 * mm
        pdf.drawString(25 * mm, y, line)
        y -= 6.5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
