"""Importing divisions (CSV) and boundaries (GeoJSON): happy paths, every row error, nothing half-written."""

import io
import json

import pytest

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.territory import services
from civicgrid.territory.demo import DIVISIONS_CSV
from civicgrid.territory.models import Level, Region

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"


def _csv(*lines):
    return io.StringIO(HEADER + "\n".join(lines) + "\n")


def _problems(exc_info):
    return {(d["row"], d["column"]) for d in exc_info.value.details}


def test_import_the_real_divisions_file():
    summary = services.import_divisions(actor=None, source=DIVISIONS_CSV)
    assert summary == {"created": 163, "updated": 0, "unchanged": 0}
    assert Region.objects.filter(level=Level.SUBDISTRICT).count() == 9
    assert Region.objects.filter(level=Level.COMMUNITY).count() == 153
    lugu = Region.objects.get(code="110107011")
    assert lugu.name == "鲁谷街道" and lugu.parent.code == "110107"
    assert Region.objects.get(code="110107001003").parent == Region.objects.get(code="110107001")
    assert AuditEvent.objects.filter(action="territory.divisions.import").count() == 1


def test_reimport_updates_names_and_is_idempotent():
    services.import_divisions(actor=None, source=DIVISIONS_CSV)
    again = services.import_divisions(actor=None, source=DIVISIONS_CSV)
    assert again == {"created": 0, "updated": 0, "unchanged": 163}
    renamed = services.import_divisions(actor=None, source=_csv("110107001,八宝山街道办事处,street,110107"))
    assert renamed == {"created": 0, "updated": 1, "unchanged": 0}
    assert Region.objects.get(code="110107001").name == "八宝山街道办事处"


def test_parent_may_come_from_the_database():
    services.import_divisions(actor=None, source=_csv("110107,石景山区,district,110100"))
    services.import_divisions(actor=None, source=_csv("110107001,八宝山街道,street,110107",
                                                      "110107001003,玉泉路西社区,community,110107001"))
    assert Region.objects.get(code="110107001003").parent.code == "110107001"


def test_every_kind_of_row_error_is_reported_and_nothing_is_written():
    source = _csv(
        "110107,石景山区,district,110100",      # row 2: fine
        "110107001,八宝山街道,street,110107",    # row 3: fine
        "11010700A,坏代码,street,110107",        # row 4: not digits
        "1101070021,长代码,street,110107",       # row 5: wrong length
        "110107003,,street,110107",             # row 6: empty name
        "110107004,古城街道,town,110107",        # row 7: unknown level
        "110107001,重复街道,street,110107",      # row 8: duplicate
        "110107005001,孤儿社区,community,110107005",  # row 9: parent missing
        "110107001004,错父社区,community,110107002",  # row 10: parent not the prefix
    )
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_divisions(actor=None, source=source)
    assert exc_info.value.code == "invalid_divisions"
    assert _problems(exc_info) == {(4, "code"), (5, "code"), (6, "name"), (7, "level"), (8, "code"),
                                   (9, "parent_code"), (10, "parent_code")}
    assert all(d["problem"] for d in exc_info.value.details)
    assert not Region.objects.exists()
    assert not AuditEvent.objects.filter(action="territory.divisions.import").exists()


def test_missing_columns_and_empty_file():
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_divisions(actor=None, source=io.StringIO("code,name\n110107,石景山区\n"))
    assert _problems(exc_info) == {(1, "level"), (1, "parent_code")}
    with pytest.raises(ValidationFailed):
        services.import_divisions(actor=None, source=io.StringIO(HEADER))


def test_a_user_cannot_import_outside_the_jurisdiction(users):
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_divisions(actor=users["community_a"], source=_csv("110107002009,别处社区,community,110107002"))
    assert _problems(exc_info) == {(2, "code")}


def _square(lon, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code, geometry):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def test_import_boundaries_sets_geometry_and_bumps_version(regions):
    grid = regions["grid_a"]
    summary = services.import_boundaries(actor=None, geojson=_fc(_feature(grid.code, _square(116.151, 39.901, 0.005))),
                                         generated=True)
    assert summary == {"updated": 1, "geometry_changed": 1, "skipped": 0}
    grid.refresh_from_db()
    assert grid.geometry_version == 1 and grid.boundary_generated
    assert grid.area_km2 == pytest.approx(0.237, rel=0.01)  # 0.005° × 0.005° at 39.9° N
    assert grid.center_lon == pytest.approx(116.1535)
    services.import_boundaries(actor=None, geojson=_fc(_feature(grid.code, _square(116.151, 39.901, 0.005))),
                               generated=True)
    grid.refresh_from_db()
    assert grid.geometry_version == 1  # unchanged geometry keeps its version


def test_import_boundaries_from_a_file(regions, tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(_fc(_feature("110107", _square(116.1, 39.88, 0.2)))), encoding="utf-8")
    assert services.import_boundaries(actor=None, geojson=str(path))["updated"] == 1


def test_boundary_row_errors_and_nothing_half_imported(regions):
    bowtie = {"type": "Polygon", "coordinates": [[[116, 39], [116.1, 39.1], [116.1, 39], [116, 39.1], [116, 39]]]}
    data = _fc(
        _feature(regions["grid_a"].code, _square(116.151, 39.901, 0.005)),   # 1: fine
        _feature(regions["grid_b"].code, bowtie),                           # 2: invalid
        _feature("999999", _square(116, 39)),                              # 3: unknown region
        {"type": "Feature", "properties": {}, "geometry": _square(116, 39)},  # 4: no code
        _feature(regions["community_a"].code, {"type": "Point", "coordinates": [116, 39]}),  # 5: not areal
        _feature(regions["grid_a"].code, _square(116.151, 39.901, 0.004)),  # 6: duplicate
        _feature(regions["sub_a"].code, _square(200, 39)),                 # 7: out of range
        _feature(regions["sub_b"].code, None),                             # 8: no geometry
    )
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_boundaries(actor=None, geojson=data)
    assert exc_info.value.code == "invalid_boundaries"
    assert _problems(exc_info) == {(2, "geometry"), (3, "code"), (4, "code"), (5, "geometry"), (6, "code"),
                                   (7, "geometry"), (8, "geometry")}
    regions["grid_a"].refresh_from_db()
    assert regions["grid_a"].geometry_version == 0


def test_boundaries_file_must_be_geojson(regions):
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_boundaries(actor=None, geojson=io.StringIO("not json"))
    assert exc_info.value.code == "invalid_geojson"
    with pytest.raises(ValidationFailed):
        services.import_boundaries(actor=None, geojson={"type": "Polygon", "coordinates": []})


def test_unknown_codes_can_be_skipped(regions):
    data = _fc(_feature("110105", _square(116.4, 39.9)), _feature("110107", _square(116.1, 39.88, 0.2)))
    assert services.import_boundaries(actor=None, geojson=data, skip_unknown=True)["skipped"] == 1
