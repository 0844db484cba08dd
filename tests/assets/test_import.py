"""The asset registry import: CSV and GeoJSON, per-row errors with line numbers, all or nothing, upsert by code,
scope of the importer, audit."""

import json

import pytest

from civicgrid.assets import services
from civicgrid.assets.models import Asset
from civicgrid.cases.models import HandlingUnit
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.conftest import GRID_A, GRID_B

pytestmark = pytest.mark.django_db
HEADER = "code,kind,name,owner_unit,owner_name,lon,lat,address,state\n"
LAMP, COVER = "1101070118000001", "1101070101000001"


@pytest.fixture
def lighting(db):
    return HandlingUnit.objects.create(code="lighting", name="路灯管理所")


def csv_of(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_csv_import_creates_assets_in_the_grid_of_their_point(users, lighting):
    data = csv_of(f"{LAMP},0118,鲁谷路路灯1,lighting,路灯管理所,116.155,39.905,鲁谷路,",
                  f"{COVER},0101,,,自来水公司,116.205,39.905,,damaged")
    report = services.import_assets(actor=users["district"], name="assets.csv", data=data)
    assert report == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    lamp, cover = Asset.objects.get(code=LAMP), Asset.objects.get(code=COVER)
    assert (lamp.region_code, lamp.owner_unit, lamp.kind) == (GRID_A, "lighting", "0118")
    assert (cover.region_code, cover.state) == (GRID_B, "damaged")
    [event] = AuditEvent.objects.filter(action="assets.import")
    assert event.detail["created"] == 2


def test_one_bad_row_and_nothing_is_written_each_error_names_its_line_and_field(users, lighting):
    data = csv_of(f"{LAMP},0118,,lighting,,116.155,39.905,,",
                  "1101070118000002,0118,,nobody,,116.155,39.905,,",
                  "110107011800000,0118,,,,116.155,39.905,,",
                  "1101070101000003,0118,,,,116.155,39.905,,",
                  "1101070118000004,0118,,,,117.5,40.5,,",
                  "1101070118000005,9999,,,,116.155,39.905,,",
                  "1101070118000006,0118,,,,abc,39.905,,",
                  f"{LAMP},0118,,,,116.155,39.905,,",
                  "1101070118000007,0118,,,,116.155,39.905,,broken")
    report = services.import_assets(actor=users["district"], name="assets.csv", data=data)
    assert report["created"] == 0 and not Asset.objects.exists()
    assert [(e["line"], e["field"], e["code"]) for e in report["errors"]] == [
        (3, "owner_unit", "unknown_owner_unit"), (4, "code", "invalid_asset_code"),
        (5, "code", "asset_code_kind_mismatch"), (6, "lon", "outside_district"), (7, "kind", "unknown_asset_kind"),
        (8, "lon", "invalid_coordinate"), (9, "code", "duplicate_code"), (10, "state", "unknown_state")]
    assert not AuditEvent.objects.filter(action="assets.import").exists()


def test_a_known_code_updates_the_asset_and_an_identical_row_changes_nothing(users, lighting):
    row = f"{LAMP},0118,灯,lighting,,116.155,39.905,,"
    services.import_assets(actor=users["district"], name="a.csv", data=csv_of(row))
    moved = f"{LAMP},0118,灯,lighting,,116.205,39.905,,"
    report = services.import_assets(actor=users["district"], name="a.csv", data=csv_of(row.replace("灯", "灯"),
                                                                                          moved))
    assert report["errors"][0]["code"] == "duplicate_code"
    assert services.import_assets(actor=users["district"], name="a.csv", data=csv_of(moved))["updated"] == 1
    assert Asset.objects.get(code=LAMP).region_code == GRID_B
    assert services.import_assets(actor=users["district"], name="a.csv", data=csv_of(moved))["unchanged"] == 1


def test_geojson_features_are_numbered_from_one_and_must_be_points(users, lighting):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.155, 39.905]},
         "properties": {"code": LAMP, "kind": "0118", "owner_unit": "lighting"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[116.155, 39.905], [116.156, 39.906]]},
         "properties": {"code": COVER, "kind": "0101"}},
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    report = services.import_assets(actor=users["district"], name="a.geojson", data=data)
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(2, "not_a_point")]
    report = services.import_assets(actor=users["district"], name="a.geojson",
                                    data=json.dumps({"type": "FeatureCollection", "features": features[:1]}).encode())
    assert report["created"] == 1 and Asset.objects.get(code=LAMP).region_code == GRID_A


def test_an_unreadable_file_is_refused_as_a_whole(users):
    with pytest.raises(ValidationFailed) as caught:
        services.import_assets(actor=users["district"], name="a.geojson", data=b"{not json")
    assert caught.value.code == "unreadable_file"
    with pytest.raises(ValidationFailed):
        services.import_assets(actor=users["district"], name="a.csv", data=b"name,lon\nx,1\n")


def test_only_district_and_subdistrict_staff_import_and_only_inside_their_area(users, lighting):
    with pytest.raises(PermissionDenied):
        services.import_assets(actor=users["community_a"], name="a.csv", data=csv_of())
    report = services.import_assets(actor=users["sub_a"], name="a.csv",
                                    data=csv_of(f"{LAMP},0118,,,,116.205,39.905,,"))
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(2, "outside_your_area")]
    services.import_assets(actor=users["district"], name="a.csv", data=csv_of(f"{COVER},0101,,,,116.205,39.905,,"))
    report = services.import_assets(actor=users["sub_a"], name="a.csv",
                                    data=csv_of(f"{COVER},0101,,,,116.155,39.905,,"))
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(2, "outside_your_area")]


def test_the_management_command_imports_or_lists_the_bad_lines(users, lighting, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    good = tmp_path / "assets.csv"
    good.write_bytes(csv_of(f"{LAMP},0118,,lighting,,116.155,39.905,,"))
    out = io.StringIO()
    call_command("import_assets", str(good), as_user=users["district"].username, stdout=out)
    assert "created 1" in out.getvalue() and Asset.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_of(f"{COVER},0101,,,,116.155,39.905,,", "1101070101000002,0101,,,,x,39.9,,"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_assets", str(bad), as_user=users["district"].username, stderr=err)
    assert "line 3: lon: invalid_coordinate" in err.getvalue() and Asset.objects.count() == 1
