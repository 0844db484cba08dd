"""Which grid contains a point: one STRtree per process over the grid boundaries.

The index is rebuilt when grid geometry changes: writes in this process call `invalidate()` on commit, and
changes made by other processes are noticed through a cheap version stamp (count, sum of geometry_version,
max id of the grids with a boundary) checked at most every `CHECK_SECONDS`.
"""

from __future__ import annotations

import threading
import time

from django.db.models import Count, Max, Sum

from civicgrid.territory import geometry
from civicgrid.territory.gridindex import GridIndex
from civicgrid.territory.models import Level, Region

CHECK_SECONDS = 5.0

_lock = threading.Lock()
_state: dict = {"index": None, "stamp": None, "checked_at": 0.0}


def _grids():
    return Region.objects.filter(level=Level.GRID, boundary__isnull=False)


def _stamp() -> tuple:
    agg = _grids().aggregate(n=Count("id"), versions=Sum("geometry_version"), last=Max("id"))
    return agg["n"], agg["versions"] or 0, agg["last"] or 0


def _build() -> GridIndex:
    codes, geoms = [], []
    for code, boundary in _grids().order_by("code").values_list("code", "boundary"):
        codes.append(code)
        geoms.append(geometry.from_geojson(boundary))
    return GridIndex(codes, geoms)


def invalidate() -> None:
    """Forget the index; the next lookup rebuilds it."""
    with _lock:
        _state.update(index=None, stamp=None, checked_at=0.0)


def get_index() -> GridIndex:
    now = time.monotonic()
    with _lock:
        index = _state["index"]
        if index is not None and now - _state["checked_at"] < CHECK_SECONDS:
            return index
        stamp = _stamp()
        if index is None or stamp != _state["stamp"]:
            index = _build()
        _state.update(index=index, stamp=stamp, checked_at=now)
        return index


def locate_code(lon: float, lat: float) -> str | None:
    return get_index().locate(lon, lat)


def locate(lon: float, lat: float) -> Region | None:
    """The grid containing the point, or None outside every grid."""
    code = locate_code(lon, lat)
    return Region.objects.filter(code=code).first() if code else None


def locate_many(lons, lats):
    """Grid codes for many points (numpy object array, None outside every grid)."""
    return get_index().locate_many(lons, lats)
