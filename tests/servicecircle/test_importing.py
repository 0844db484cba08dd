"""Facility imports: CSV, GeoJSON and OSM, row-level errors refusing the whole file, re-imports updating."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from civicgrid.core import uploads
from civicgrid.core.errors import ValidationFailed
from civicgrid.servicecircle import importing, services
from civicgrid.servicecircle.errors import ImportFailed
from civicgrid.servicecircle.models import Facility
from civicgrid.servicecircle.reference import osm_category
from tests.conftest import DISTRICT

pytestmark = pytest.mark.xdist_group("servicecircle")

OSM_FILE = Path(__file__).parent / "data" / "facilities.osm"
GOOD_CSV = ("category,name,lon,lat,capacity,opening_hours,operator,external_id\n"
            "幼儿园,红星幼儿园,116.1525,39.9025,150,07:30-17:30,区教委,K1\n"
            "pharmacy,同仁堂药店,116.2050,39.9050,,08:00-21:00,,P1\n").encode()


def test_csv_import_places_facilities_in_their_grid(users, regions, categories):
    summary = services.import_facilities(actor=users["district"], rows=importing.rows_from_csv(GOOD_CSV),
                                         source="csv", district_code=DISTRICT)
    assert summary == {"created": 2, "updated": 0, "source": "csv"}
    kindergarten = Facility.objects.get(external_id="K1")
    assert kindergarten.region_code == regions["grid_a"].code and kindergarten.capacity == 150
    assert kindergarten.category.code == "kindergarten" and kindergarten.operator == "区教委"
    again = GOOD_CSV.replace("红星幼儿园".encode(), "红星幼儿园（新址）".encode())
    assert services.import_facilities(actor=users["district"], rows=importing.rows_from_csv(again),
                                      source="csv")["updated"] == 2
    assert Facility.objects.get(external_id="K1").name == "红星幼儿园（新址）" and Facility.objects.count() == 2


def test_any_row_error_refuses_the_whole_file(users, regions, categories):
    bad = GOOD_CSV + ("温泉,spa,116.1525,39.9025,,,,\n"
                      "小学,,abc,39.9,,,,\n"
                      "小学,远方小学,117.5,40.5,,,,\n"
                      "小学,负容量,116.1525,39.9025,-3,,,\n"
                      "药店,重复,116.1525,39.9025,,,,P1\n").encode()
    with pytest.raises(ImportFailed) as exc:
        services.import_facilities(actor=users["district"], rows=importing.rows_from_csv(bad), source="csv",
                                   district_code=DISTRICT)
    problems = {(p["row"], p["code"]) for p in exc.value.details}
    assert problems == {(4, "unknown_category"), (5, "required"), (5, "invalid_coordinates"),
                        (6, "outside_district"), (7, "invalid_capacity"), (8, "duplicate")}
    assert Facility.objects.count() == 0


def test_community_worker_cannot_import_into_another_community(users, regions, categories):
    with pytest.raises(ImportFailed) as exc:
        services.import_facilities(actor=users["community_b"], rows=importing.rows_from_csv(GOOD_CSV), source="csv")
    assert [(p["row"], p["code"]) for p in exc.value.details] == [(2, "outside_jurisdiction")]


def test_csv_without_required_columns(categories):
    with pytest.raises(ImportFailed) as exc:
        importing.rows_from_csv(b"name,lon\nx,1\n")
    assert exc.value.code == "missing_columns"
    with pytest.raises(ImportFailed):
        importing.rows_from_csv(b"\xff\xfe\x00")


@pytest.mark.parametrize("reader", [importing.rows_from_csv, importing.rows_from_geojson])
def test_files_beyond_the_upload_limit_are_refused_unread(reader):
    with pytest.raises(ValidationFailed) as refused:
        reader(GOOD_CSV + b" " * uploads.MAX_UPLOAD_BYTES)
    assert refused.value.code == "file_too_large"


def test_the_facility_page_refuses_an_oversized_upload(users, categories, login):
    upload = SimpleUploadedFile("f.csv", GOOD_CSV + b" " * uploads.MAX_UPLOAD_BYTES, "text/csv")
    page = login(users["district"]).post("/servicecircle/facilities/", {"file": upload, "format": "csv"})
    assert "文件超过 20 MB" in page.content.decode() and not Facility.objects.exists()


def test_geojson_import(users, regions, categories):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.153, 39.903]},
         "properties": {"category": "社区服务站", "name": "古城社区服务站", "capacity": 30}},
        {"type": "Feature", "geometry": None, "properties": {"category": "社区服务站", "name": "无坐标"}},
    ]}
    with pytest.raises(ImportFailed) as exc:
        services.import_facilities(actor=users["district"], rows=importing.rows_from_geojson(json.dumps(doc).encode()),
                                   source="geojson")
    assert [(p["row"], p["code"]) for p in exc.value.details] == [(2, "invalid_coordinates")]
    doc["features"].pop()
    services.import_facilities(actor=users["district"], rows=importing.rows_from_geojson(json.dumps(doc).encode()),
                               source="geojson")
    assert Facility.objects.get().category.code == "service_station"
    with pytest.raises(ImportFailed):
        importing.rows_from_geojson(b'{"type": "Feature"}')


def test_osm_tags_map_to_categories(users, regions, categories):
    rows = importing.rows_from_osm(OSM_FILE)
    found = {r["external_id"]: (r["category"], r["name"]) for r in rows}
    assert found == {
        "node/1001": ("convenience_store", "好邻居便利店"),
        "node/1002": ("pharmacy", "金象大药房"),
        "node/1003": ("middle_school", "古城中学"),
        "node/1004": ("primary_school", "古城小学"),
        "node/1005": ("kindergarten", "蓝天幼儿园"),
        "node/1007": ("nursing_home", "康养院"),
        "way/3001": ("market", "物美生鲜"),
    }
    market = next(r for r in rows if r["external_id"] == "way/3001")
    assert market["lon"] == pytest.approx(116.152) and market["lat"] == pytest.approx(39.902)
    summary = services.import_facilities(actor=users["district"], rows=rows, source="osm", district_code=DISTRICT)
    assert summary["created"] == 7
    assert Facility.objects.get(external_id="node/1005").capacity == 180
    assert osm_category({"amenity": "school", "isced:level": "2"}) == "middle_school"
    assert osm_category({"amenity": "parking"}) is None


def test_import_command(users, regions, categories, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_bytes(GOOD_CSV)
    call_command("servicecircle_facilities", str(path), as_user=users["district"].username)
    assert Facility.objects.count() == 2
    path.write_bytes(GOOD_CSV + "温泉,spa,116.1525,39.9025,,,,\n".encode())
    with pytest.raises(CommandError):
        call_command("servicecircle_facilities", str(path), as_user=users["district"].username)


def test_network_command_from_osm_and_generated(regions, categories, settings, tmp_path):
    from civicgrid.servicecircle.analysis import network_path
    from civicgrid.servicecircle.models import Network

    settings.DATA_DIR = tmp_path
    call_command("servicecircle_network", district=DISTRICT, osm=str(OSM_FILE))
    network = Network.objects.get(district_code=DISTRICT)
    assert not network.generated and network.n_edges == 1 and network.source.startswith("osm:")
    call_command("servicecircle_network", district=DISTRICT, synthetic=True, nodes=400, seed=3)
    network.refresh_from_db()
    assert network.generated and network.version == 2 and 300 < network.n_nodes < 500
    assert network_path(DISTRICT).exists()
    with pytest.raises(CommandError):
        call_command("servicecircle_network", district="110199", synthetic=True)


ENGINE_DATA = Path(__file__).parent.parent / "servicecircle_engine" / "data"


def _run(capsys, *args):
    from civicgrid.servicecircle.management.commands.servicecircle_network import Command

    with pytest.raises(CommandError) as failure:
        call_command(Command(), *args)
    return failure.value


def test_network_from_another_district_is_refused_or_stored_with_a_warning(regions, settings, tmp_path, capsys):
    from civicgrid.servicecircle.models import Network

    settings.DATA_DIR = tmp_path
    haidian = str(ENGINE_DATA / "haidian_cau.osm")
    refused = _run(capsys, "--district", DISTRICT, "--osm", haidian)
    assert refused.returncode == 2 and "110107" in str(refused) and "--force" in str(refused)  # zh or en
    assert not Network.objects.filter(district_code=DISTRICT).exists()
    call_command("servicecircle_network", district=DISTRICT, osm=haidian, force=True)
    network = Network.objects.get(district_code=DISTRICT)
    assert network.warnings and "does not overlap" in network.warnings[0]
    assert "warning: network does not overlap" in capsys.readouterr().err


def test_real_shijingshan_streets_keep_every_component(regions, settings, tmp_path):
    from civicgrid.servicecircle.models import Network

    settings.DATA_DIR = tmp_path
    call_command("servicecircle_network", district=DISTRICT, osm=str(ENGINE_DATA / "shijingshan_2013.osm"))
    network = Network.objects.get(district_code=DISTRICT)
    assert network.warnings == [] and network.components["count"] == 30
    assert network.components["main_nodes"] + network.components["other_nodes"] == network.n_nodes == 1100
    assert network.rules["sidewalk_assumed"] == ["primary", "primary_link", "trunk", "trunk_link"]


@pytest.mark.parametrize("content,name,expected", [
    (None, "missing.osm", "missing.osm: no such file"),
    (b'<?xml version="1.0"?><osm version="0.6"><node id="1" lat="39.9" lon="116.2"', "cut.osm", "cut.osm: XML"),
    (b"PK\x03\x04 not osm at all", "streets.zip", "streets.zip: not an OSM file"),
])
def test_reader_errors_are_one_line_with_exit_code_2(regions, settings, tmp_path, capsys, content, name, expected):
    settings.DATA_DIR = tmp_path
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    failure = _run(capsys, "--district", DISTRICT, "--osm", str(path))
    assert failure.returncode == 2 and str(failure).startswith(expected) and "\n" not in str(failure)


def test_format_is_read_from_content_whatever_the_suffix(regions, settings, tmp_path):
    import bz2
    import gzip

    from civicgrid.servicecircle.models import Network

    settings.DATA_DIR = tmp_path
    xml = (ENGINE_DATA / "shijingshan_2013.osm").read_bytes()
    for name, data in (("a.osm.gz", gzip.compress(xml)), ("b.osm.bz2", bz2.compress(xml)), ("c.xml", xml),
                       ("d.download", gzip.compress(xml))):
        (tmp_path / name).write_bytes(data)
        call_command("servicecircle_network", district=DISTRICT, osm=str(tmp_path / name))
        assert Network.objects.get(district_code=DISTRICT).n_nodes == 1100
