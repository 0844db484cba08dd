"""Reading an asset file into rows: CSV (one asset a line, header `code,kind,name,owner_unit,owner_name,lon,lat,
address,state`) or GeoJSON (a FeatureCollection of Points whose properties carry the same names). Every row keeps
its line number (CSV: the physical line; GeoJSON: the feature's number, counted from 1) for the error report."""

import csv
import io
import json

from civicgrid.core import uploads

COLUMNS = ("code", "kind", "name", "owner_unit", "owner_name", "lon", "lat", "address", "state")
MAX_ROWS = 50_000


class UnreadableFile(ValueError):
    """The file is not CSV or GeoJSON we can read; the message says why."""


def _csv_rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if "code" not in header:
        raise UnreadableFile("the first line must name the columns: " + ",".join(COLUMNS))
    rows = []
    for values in reader:
        if any(v.strip() for v in values):
            rows.append((reader.line_num, dict(zip(header, (v.strip() for v in values), strict=False))))
        uploads.check_row_count(len(rows), max_rows=MAX_ROWS)
    return rows


def _feature_row(feature) -> dict:
    if not isinstance(feature, dict):
        return {}
    row = dict(feature.get("properties") or {})
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    row["lon"], row["lat"] = (coords[0], coords[1]) if isinstance(coords, list) and len(coords) >= 2 else ("", "")
    row["_geometry_type"] = geometry.get("type", "")
    return row


def _geojson_rows(text: str) -> list[tuple[int, dict]]:
    data = json.loads(text)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise UnreadableFile("a GeoJSON FeatureCollection is expected")
    uploads.check_row_count(len(features), max_rows=MAX_ROWS)
    return [(number, _feature_row(feature)) for number, feature in enumerate(features, start=1)]


def read_rows(name: str, data: bytes) -> list[tuple[int, dict]]:
    uploads.check_upload_size(len(data))
    try:
        text = data.decode("utf-8-sig")
        if name.lower().endswith((".geojson", ".json")):
            return _geojson_rows(text)
        return _csv_rows(text)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as error:
        raise UnreadableFile(str(error)[:200]) from None
