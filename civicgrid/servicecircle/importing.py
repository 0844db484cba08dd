"""Reading facility files into rows for `services.import_facilities`.

CSV: a header row with `category,name,lon,lat` and optionally `capacity,opening_hours,operator,external_id`
(UTF-8, with or without BOM; `category` is a category code or its Chinese name).
GeoJSON: a FeatureCollection of Point features whose properties carry the same keys.
OSM (XML or PBF): nodes and ways whose tags map to a category through `reference.OSM_TAG_MAPPING`; a way is
placed at the mean of its vertices; `external_id` is `node/<id>` or `way/<id>`; unmapped objects are skipped.
"""

from __future__ import annotations

import csv
import io
import json
import os

from django.utils.translation import gettext as _

from civicgrid.core.uploads import MB, check_upload_size
from civicgrid.servicecircle.errors import ImportFailed
from civicgrid.servicecircle.reference import osm_category

MAX_ROWS = 20_000
MAX_OSM_BYTES = 200 * MB  # a district's OpenStreetMap extract; CSV and GeoJSON files meet the common upload limit
COLUMNS = ("category", "name", "lon", "lat", "capacity", "opening_hours", "operator", "external_id")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(_("The file is not UTF-8 text."), code="bad_encoding") from exc


def rows_from_csv(data: bytes) -> list[dict]:
    check_upload_size(len(data))
    reader = csv.DictReader(io.StringIO(_text(data)))
    missing = {"category", "name", "lon", "lat"} - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed(_("Missing columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))},
                           code="missing_columns")
    rows: list[dict] = []
    for number, row in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise ImportFailed(_("Too many rows."), code="too_many_rows")
        rows.append({"_row": number, **{k: row.get(k) for k in COLUMNS}})
    return rows


def rows_from_geojson(data: bytes) -> list[dict]:
    check_upload_size(len(data))
    try:
        doc = json.loads(_text(data))
    except json.JSONDecodeError as exc:
        raise ImportFailed(_("The file is not valid JSON."), code="bad_json") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        raise ImportFailed(_("Expected a GeoJSON FeatureCollection."), code="bad_geojson")
    if len(doc["features"]) > MAX_ROWS:
        raise ImportFailed(_("Too many rows."), code="too_many_rows")
    rows = []
    for number, feature in enumerate(doc["features"], start=1):
        props = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        lon = lat = None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coords = geometry.get("coordinates") or []
            if isinstance(coords, list) and len(coords) >= 2:
                lon, lat = coords[0], coords[1]
        rows.append({"_row": number, **{k: props.get(k) for k in COLUMNS}, "lon": lon, "lat": lat})
    return rows


def rows_from_osm(path: str | os.PathLike[str]) -> list[dict]:
    """Facilities from OSM tags (see reference.OSM_TAG_MAPPING); objects without a mapped tag are skipped."""
    import osmium

    found: list[dict] = []
    processor = osmium.FileProcessor(os.fspath(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in processor:
        tags = {t.k: t.v for t in obj.tags}
        code = osm_category(tags)
        if code is None:
            continue
        if isinstance(obj, osmium.osm.Node):
            if not obj.location.valid():
                continue
            lon, lat, kind = obj.location.lon, obj.location.lat, "node"
        elif isinstance(obj, osmium.osm.Way):
            points = [(n.location.lon, n.location.lat) for n in obj.nodes if n.location.valid()]
            if not points:
                continue
            if len(points) > 1 and points[0] == points[-1]:
                points = points[:-1]
            lon = sum(p[0] for p in points) / len(points)
            lat = sum(p[1] for p in points) / len(points)
            kind = "way"
        else:
            continue
        found.append({"_row": f"{kind}/{obj.id}", "category": code,
                     "name": tags.get("name:zh") or tags.get("name") or tags.get("brand") or code,
                     "lon": lon, "lat": lat, "capacity": tags.get("capacity") if (tags.get("capacity") or "").isdigit()
                     else None, "opening_hours": tags.get("opening_hours", ""),
                     "operator": tags.get("operator", ""), "external_id": f"{kind}/{obj.id}"})
        if len(found) > MAX_ROWS:
            raise ImportFailed(_("Too many rows."), code="too_many_rows")
    return found
