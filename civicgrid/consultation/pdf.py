"""Printable records in the embedded CJK font of core.pdffonts: the meeting record (会议记录) and an
honorary director's annual record (名誉主任年度履职记录). Each document's subset font is dropped from reportlab's
registry after rendering, as the certificates do, so a long-running server does not keep one per document."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from civicgrid.consultation.models import HonoraryDirector, Meeting, Party
from civicgrid.consultation.selectors import attendance, director_year
from civicgrid.core.pdffonts import cjk_font, forget_font

WRAP = 38  # CJK characters per line at 11 pt on A4 with 25 mm margins


def _meeting_lines(meeting: Meeting) -> list[str]:
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
    return lines


def _director_lines(record: dict) -> list[str]:
    director = record["director"]
    lines = [_("Unit or description: %(text)s") % {"text": director.affiliation or "—"},
             _("Term: %(start)s – %(end)s") % {"start": f"{director.term_start:%Y-%m-%d}",
                                                "end": f"{director.term_end:%Y-%m-%d}"},
             _("Meetings invited: %(invited)s, attended: %(attended)s") % {
                 "invited": len(record["invitations"]), "attended": record["attended"]}]
    lines += [f"  · {timezone.localtime(i.meeting.starts_at):%Y-%m-%d} {i.meeting.title} — "
              f"{_('attended') if i.signed_in_at else _('absent')}" for i in record["invitations"]]
    lines.append(_("Proposals and resources:"))
    lines += [f"  · {c.on:%Y-%m-%d} {c.get_kind_display()}: {c.text}" for c in record["contributions"]] or ["  —"]
    return lines


def _wrap(line: str) -> list[str]:
    return [line[i:i + WRAP] for i in range(0, len(line), WRAP)] or [""]


def render(title: str, lines: list[str]) -> bytes:
    """A title and wrapped lines on as many A4 pages as they need."""
    lines = [chunk for line in lines for chunk in _wrap(line)]
    font, buffer = cjk_font(title + "".join(lines)), io.BytesIO()
    try:
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
    finally:
        forget_font(font)
    return buffer.getvalue()


def meeting_record_pdf(meeting: Meeting) -> bytes:
    return render(meeting.title, _meeting_lines(meeting))


def director_record_pdf(director: HonoraryDirector, year: int) -> bytes:
    title = _("Annual record of honorary director %(name)s, %(year)s") % {"name": director.name, "year": year}
    return render(title, _director_lines(director_year(director, year)))
