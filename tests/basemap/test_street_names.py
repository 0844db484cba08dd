"""Street names: an OSM import keeps its named public ways beside the walk graph, and the close tiles label them
along the street; a generated network replacing it takes the names away."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from civicgrid.basemap import tiles
from civicgrid.servicecircle import selectors
from tests.basemap.test_tiles import tile_of

pytestmark = pytest.mark.xdist_group("servicecircle")

OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" lat="39.9050" lon="116.1500"/><node id="2" lat="39.9050" lon="116.1550"/>
  <node id="3" lat="39.9050" lon="116.1600"/><node id="4" lat="39.9020" lon="116.1550"/>
  <node id="5" lat="39.9080" lon="116.1550"/><node id="6" lat="39.9080" lon="116.1600"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Gucheng Road"/><tag k="name:zh" v="古城路"/></way>
  <way id="11"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="杨庄街"/></way>
  <way id="12"><nd ref="5"/><nd ref="6"/><tag k="highway" v="service"/><tag k="access" v="private"/>
    <tag k="name" v="内部路"/></way>
  <way id="13"><nd ref="3"/><nd ref="6"/><tag k="highway" v="footway"/></way>
</osm>
"""


@pytest.fixture
def imported(regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    source = tmp_path / "streets.osm"
    source.write_text(OSM, encoding="utf-8")
    call_command("servicecircle_network", "--district", "110107", "--osm", str(source), stdout=StringIO())
    tiles.invalidate()
    yield
    tiles.invalidate()


def test_named_public_ways_are_kept_for_labels(imported):
    names = {line["name"] for line in selectors.street_names("110107")}
    assert names == {"古城路", "杨庄街"}  # the Chinese name first; the private way is no label


def test_close_tiles_label_streets_along_them(imported, client):
    response = client.get("/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(116.155, 39.905, 16)))
    labels = {f["properties"]["name"]: f["properties"] for f in json.loads(response.content)["features"]
              if f["properties"].get("level") == "street"}
    assert set(labels) == {"古城路", "杨庄街"}
    assert labels["古城路"]["angle"] == 0 and abs(labels["杨庄街"]["angle"]) == 90
    far = client.get("/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(116.155, 39.905, 13)))
    assert "古城路" not in far.content.decode()  # street names only from zoom 15


def test_a_generated_network_takes_the_names_away(imported, regions):
    call_command("servicecircle_network", "--district", "110107", "--synthetic", "--nodes", "200",
                 stdout=StringIO())
    assert selectors.street_names("110107") == []


def test_without_osm_names_the_street_registry_labels_the_map(regions, settings, tmp_path, client):
    from civicgrid.territory import services as territory_services

    settings.DATA_DIR = tmp_path
    call_command("servicecircle_network", "--district", "110107", "--synthetic", "--nodes", "200",
                 stdout=StringIO())
    territory_services.replace_streets(actor=None, district_code="110107", generated=True, source="test",
                                       streets=[("鲁谷路", [(116.150, 39.905), (116.160, 39.905)])])
    tiles.invalidate()
    try:
        response = client.get("/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(116.155, 39.905, 16)))
        names = {f["properties"]["name"] for f in json.loads(response.content)["features"]
                 if f["properties"].get("level") == "street"}
    finally:
        tiles.invalidate()
    assert names == {"鲁谷路"}
