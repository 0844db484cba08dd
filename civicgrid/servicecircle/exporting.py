"""Exports of a run's results: places (compounds) and communities with coverage per category. They hold
place names, aggregate populations and distances only: no resident, phone or ID number."""

from __future__ import annotations

import io
import json

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from civicgrid.core.exports import safe_row
from civicgrid.servicecircle import selectors
from civicgrid.servicecircle.models import AnalysisRun


def _place_rows(actor, run: AnalysisRun):
    return selectors.place_results(actor=actor, run=run).only(
        "place__name", "place__lon", "place__lat", "place__kind", "region_code", "population", "snapped",
        "snap_distance_m", "connected", "component_size", "distances", "missing", "score", "place_id", "run_id")


def run_xlsx(*, actor, run: AnalysisRun) -> bytes:
    codes = run.category_codes
    names = list(run.category_labels().values())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Communities")[:31]
    uncovered = _("uncovered")
    sheet.append(safe_row([_("Community code"), _("Community"), _("Population"), pgettext("count", "Places"),
                           _("Score")] + [f"{n} {uncovered}" for n in names]))
    for row in selectors.community_results(actor=actor, run=run):
        sheet.append(safe_row([row.community_code, row.name, row.population, row.places, row.score]
                              + [row.uncovered.get(c, 0) for c in codes]))
    places = book.create_sheet(pgettext("sheet", "Places")[:31])
    places.append(safe_row([_("Place"), _("Grid code"), _("Longitude"), _("Latitude"), _("Population"),
                            _("On the network"), _("Offset to street (m)"), _("Connected"),
                            _("Network piece (vertices)"), _("Score")] + [f"{n} (m)" for n in names] + [_("Missing")]))
    for result in _place_rows(actor, run):
        place = result.place
        places.append(safe_row([place.name, result.region_code, place.lon, place.lat, result.population,
                                _("yes") if result.snapped else _("no"), result.snap_distance_m,
                                _("yes") if result.connected else _("not connected"), result.component_size,
                                result.score]
                               + [result.distances.get(c) for c in codes]
                               + ["、".join(n for c, n in zip(codes, names, strict=True) if c in result.missing)]))
    about = book.create_sheet(_("About")[:31])
    for key, value in ((_("Run"), run.pk), (_("Area"), run.region_code),
                       (_("Network"), f"v{run.network_version} {run.network_source}"),
                       (_("Generated network"), _("yes") if run.network_generated else _("no")),
                       (_("Walking speed (m/s)"), run.walk_speed_m_s), (_("Snap limit (m)"), run.snap_limit_m),
                       (_("Finished"), run.finished_at.isoformat() if run.finished_at else "")):
        about.append(safe_row([key, value]))
    for ws in (sheet, places, about):
        for index in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(index)].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_geojson(*, actor, run: AnalysisRun) -> dict:
    features = []
    for result in _place_rows(actor, run):
        place = result.place
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                         "properties": {"place_id": result.place_id, "name": place.name,
                                        "grid_code": result.region_code, "population": result.population,
                                        "snapped": result.snapped, "snap_offset_m": result.snap_distance_m,
                                        "connected": result.connected, "component_size": result.component_size,
                                        "score": result.score,
                                        "distances_m": result.distances, "missing": result.missing}})
    return {"type": "FeatureCollection", "features": features,
            "properties": {"run": run.pk, "region_code": run.region_code, "categories": run.categories,
                           "network_version": run.network_version, "network_generated": run.network_generated}}


def run_geojson_bytes(*, actor, run: AnalysisRun) -> bytes:
    return json.dumps(run_geojson(actor=actor, run=run), ensure_ascii=False).encode()
