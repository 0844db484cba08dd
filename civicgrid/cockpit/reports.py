"""The monthly report of a region (the district or a subdistrict): every key figure with the month before, the
same month last year and the target; the ranking of its children; the trend of cases. As xlsx (core.exports'
safe cells, rates as numbers shown 79.7%) and as a Chinese PDF with charts (reportlab; Chinese in core.pdffonts'
embedded Noto Sans CJK subset, so any reader shows it and figures stay text a reader can search and copy)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from civicgrid.cockpit import selectors
from civicgrid.cockpit.periods import Period
from civicgrid.core.exports import safe_row
from civicgrid.core.pdffonts import cjk_font, forget_font
from civicgrid.territory.models import Region


@dataclass
class Content:
    figures: dict
    xlsx: bytes
    pdf: bytes


def _figures(region: Region, period: Period) -> dict:
    viewer = selectors.peer_viewer(region.code)
    cards = selectors.cards(actor=viewer, region=region, period=period)
    children = selectors.children(region)
    child_values = selectors.figures(actor=viewer, regions=children, period=period) if children else {}
    trend = selectors.trend(region=region, period=period)
    return {
        "region": {"code": region.code, "name": region.name},
        "month": f"{period.start:%Y-%m}",
        "kpis": [{"key": c.kpi.key, "title": str(c.kpi.title), "panel": str(c.kpi.panel_title), "kind": c.kpi.kind,
                  "value": c.value, "shown": c.shown, "previous": c.previous_shown, "last_year": c.last_year_shown,
                  "target": c.target_shown} for c in cards],
        "children": [{"code": child.code, "name": child.name,
                      "values": {k: v.get(child.code) for k, v in child_values.items()}} for child in children],
        "trend": trend,
    }


def build(*, region: Region, period: Period) -> Content:
    with translation.override("zh-hans"):
        figures = _figures(region, period)
        return Content(figures, xlsx(figures), pdf(figures))


def _title(figures: dict) -> str:
    return _("%(region)s monthly governance report, %(month)s") % {"region": figures["region"]["name"],
                                                                  "month": figures["month"]}


def xlsx(figures: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "kpi"
    sheet.append([_title(figures)])
    sheet.append(safe_row([_("Panel"), _("Key figure"), _("This month"), _("Month before"),
                           _("Same month last year"), _("Target")]))
    for row in figures["kpis"]:
        sheet.append(safe_row([row["panel"], row["title"], row["value"], row["previous"], row["last_year"],
                               row["target"]]))
        if row["kind"] == "share":
            sheet.cell(row=sheet.max_row, column=3).number_format = "0.0%"
    ranking = book.create_sheet("ranking")
    kpis = figures["kpis"]
    ranking.append(safe_row([_("Region"), *[k["title"] for k in kpis]]))
    for child in figures["children"]:
        ranking.append(safe_row([child["name"], *[child["values"].get(k["key"]) for k in kpis]]))
        for column, k in enumerate(kpis, start=2):
            if k["kind"] == "share":
                ranking.cell(row=ranking.max_row, column=column).number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf_header() -> list[str]:
    return [_("Key figure"), _("This month"), _("Month before"), _("Same month last year"), _("Target")]


def _ranking_title(kpi_title: str) -> str:
    return _("Ranking by %(kpi)s (%%)") % {"kpi": kpi_title}


def _all_text(figures: dict) -> str:
    """Every character the PDF may draw (figures, labels, chart axes), to subset the font to."""
    titles = [_title(figures), *_pdf_header(), *(_ranking_title(k["title"]) for k in figures["kpis"])]
    return "".join(titles) + json.dumps(figures, ensure_ascii=False, default=str) + "—%.,-+0123456789"


def _trend_chart(trend: dict, font: str) -> Drawing | None:
    if not trend or not trend.get("series"):
        return None
    counts = trend["series"][0]
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 42 * mm
    chart.data = [[v or 0 for v in counts["data"]]]
    chart.categoryAxis.categoryNames = [c[2:] for c in trend["categories"]]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1565c0")
    drawing.add(chart)
    drawing.add(String(12 * mm, 55 * mm, counts["name"], fontName=font, fontSize=9))
    return drawing


def _ranking_chart(figures: dict, font: str) -> Drawing | None:
    share = next((k for k in figures["kpis"] if k["kind"] == "share"), None)
    key = share["key"] if share else ""
    rows = [(c["name"], c["values"].get(key)) for c in figures["children"]] if key else []
    rows = sorted([r for r in rows if r[1] is not None], key=lambda r: -r[1])[:15]
    if not rows:
        return None
    drawing = Drawing(170 * mm, (14 + 6 * len(rows)) * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 40 * mm, 6 * mm
    chart.width, chart.height = 120 * mm, 6 * len(rows) * mm
    chart.data = [[round(v * 100, 1) for _n, v in reversed(rows)]]
    chart.categoryAxis.categoryNames = [n for n, _v in reversed(rows)]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.bars[0].fillColor = colors.HexColor("#2e7d32")
    drawing.add(chart)
    title = _ranking_title((share or {}).get("title", ""))
    drawing.add(String(0, (8 + 6 * len(rows)) * mm, title, fontName=font, fontSize=9))
    return drawing


def pdf(figures: dict) -> bytes:
    font = cjk_font(_all_text(figures))
    try:
        return _draw(figures, font)
    finally:
        forget_font(font)


def _draw(figures: dict, font: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    page.setTitle(_title(figures))
    width, height = A4
    page.setFont(font, 16)
    page.drawString(20 * mm, height - 22 * mm, _title(figures))
    y = height - 34 * mm
    page.setFont(font, 9)
    header = _pdf_header()
    columns = [20, 82, 112, 142, 172]
    for x, text in zip(columns, header, strict=True):
        page.drawString(x * mm, y, text)
    y -= 6 * mm
    for row in figures["kpis"]:
        cells = [row["title"], row["shown"], row["previous"], row["last_year"], row["target"] or "—"]
        for x, text in zip(columns, cells, strict=True):
            page.drawString(x * mm, y, text)
        y -= 5.5 * mm
    for chart in (_trend_chart(figures["trend"], font), _ranking_chart(figures, font)):
        if chart is None:
            continue
        if y - chart.height < 15 * mm:
            page.showPage()
            page.setFont(font, 9)
            y = height - 20 * mm
        y -= chart.height + 4 * mm
        chart.drawOn(page, 20 * mm, y)
    page.showPage()
    page.save()
    return buffer.getvalue()
