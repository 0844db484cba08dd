"""Creating grids and places: codes, validation, jurisdiction, population roll-up, audit."""

import pytest

from civicgrid.core.errors import Conflict, NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.territory import services
from civicgrid.territory.models import Level, PlaceKind, Region

pytestmark = pytest.mark.django_db


def _square(lon, lat, size):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


def test_create_grid_numbers_it_after_the_last(regions, users):
    grid = services.create_grid(actor=users["community_a"], community=regions["community_a"], name="新网格",
                                boundary=_square(116.16, 39.91, 0.005), generated=True)
    assert grid.code == regions["community_a"].code + "002"
    assert grid.level == Level.GRID and grid.parent == regions["community_a"] and grid.boundary_generated
    assert grid.area_km2 > 0 and grid.geometry_version == 1
    assert AuditEvent.objects.filter(action="territory.grid.create", target_id=str(grid.pk)).exists()


def test_create_grid_refusals(regions, users):
    community = regions["community_a"]
    with pytest.raises(NotFound):
        services.create_grid(actor=users["community_b"], community=community, name="越界网格")
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_grid(actor=None, community=community, name="出界", boundary=_square(116.3, 39.9, 0.01))
    assert exc_info.value.code == "outside_parent"
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_grid(actor=None, community=community, name="坏码", code="110107002001009")
    assert exc_info.value.code == "invalid_code"
    with pytest.raises(Conflict):
        services.create_grid(actor=None, community=community, name="重复", code=regions["grid_a"].code)
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_grid(actor=None, community=regions["sub_a"], name="层级错")
    assert exc_info.value.code == "wrong_level"
    with pytest.raises(ValidationFailed):
        services.create_grid(actor=None, community=community, name="  ")


def test_create_place_rolls_population_up_to_the_district(regions, users):
    place = services.create_place(actor=users["grid_a"], grid=regions["grid_a"].code, name="金顶街三区",
                                  kind=PlaceKind.OLD_COMPOUND, lon=116.155, lat=39.905, households=120,
                                  population=310, built_year=1978)
    assert place.region_code == regions["grid_a"].code
    for key in ("grid_a", "community_a", "sub_a", "district"):
        region = Region.objects.get(pk=regions[key].pk)
        assert (region.population, region.households) == (310, 120)
    assert Region.objects.get(pk=regions["grid_b"].pk).population == 0
    assert AuditEvent.objects.filter(action="territory.place.create").count() == 1


def test_create_place_refusals(regions, users):
    grid = regions["grid_a"]
    base = {"actor": None, "grid": grid, "name": "鲁谷东街小区", "kind": PlaceKind.COMMODITY_HOUSING}
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_place(**base, lon=116.30, lat=39.905)
    assert exc_info.value.code == "point_outside_grid"
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_place(**{**base, "kind": "castle"}, lon=116.155, lat=39.905)
    assert exc_info.value.code == "invalid_kind"
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_place(**base, lon=190, lat=39.905)
    assert exc_info.value.code == "invalid_coordinates"
    with pytest.raises(NotFound):
        services.create_place(**{**base, "actor": users["community_b"]}, lon=116.155, lat=39.905)


def test_place_in_a_grid_without_boundary_is_accepted(regions):
    Region.objects.filter(pk=regions["grid_a"].pk).update(boundary=None)
    place = services.create_place(actor=None, grid=regions["grid_a"].code, name="某商铺", kind=PlaceKind.SHOP,
                                  lon=116.5, lat=39.5)
    assert place.pk


def test_recount_population_from_places(regions):
    services.create_place(actor=None, grid=regions["grid_b"], name="古城家园", kind=PlaceKind.COMMODITY_HOUSING,
                          lon=116.205, lat=39.905, households=10, population=25)
    Region.objects.update(population=0, households=0)
    summary = services.recount_population(actor=None, region="110107")
    assert summary["population"] == 25
    assert Region.objects.get(code=regions["community_b"].code).households == 10
    assert Region.objects.get(code=regions["community_a"].code).population == 0


def test_set_boundary_checks_the_geometry(regions):
    with pytest.raises(ValidationFailed) as exc_info:
        services.set_boundary(actor=None, region=regions["grid_a"], boundary={"type": "Polygon"})
    assert exc_info.value.code == "invalid_geometry"
    with pytest.raises(NotFound):
        services.set_boundary(actor=None, region="110107999999999", boundary=_square(116, 39, 1))


def test_place_gates_are_checked_recorded_and_audited(regions, users):
    place = services.create_place(actor=users["district"], grid=regions["grid_a"], name="有门院",
                                  kind=PlaceKind.OLD_COMPOUND, lon=116.152, lat=39.902,
                                  geometry=_square(116.151, 39.901, 0.002))
    assert place.gates == []
    services.set_place_gates(actor=users["district"], place=place, gates=[[116.153, 39.9015], ["116.151", 39.902]])
    place.refresh_from_db()
    assert place.gates == [[116.153, 39.9015], [116.151, 39.902]]
    event = AuditEvent.objects.get(action="territory.place.gates")
    assert event.detail == {"before": 0, "after": 2}
    with pytest.raises(ValidationFailed) as far:
        services.set_place_gates(actor=users["district"], place=place, gates=[[116.16, 39.91]])
    assert far.value.code == "gate_too_far"
    for bad in ([[116.153]], [["x", 39.9]], "116,39", [[116.153, 99.0]]):
        with pytest.raises(ValidationFailed) as refused:
            services.set_place_gates(actor=users["district"], place=place, gates=bad)
        assert refused.value.code == "invalid_gates"
    with pytest.raises(NotFound):
        services.set_place_gates(actor=users["community_b"], place=place, gates=[])


def test_place_gates_import_checks_every_row_first(regions, users, tmp_path):
    grid = regions["grid_a"]
    one = services.create_place(actor=None, grid=grid, name="一院", kind=PlaceKind.OLD_COMPOUND, lon=116.152,
                                lat=39.902, geometry=_square(116.151, 39.901, 0.002))
    two = services.create_place(actor=None, grid=grid, name="二院", kind=PlaceKind.OLD_COMPOUND, lon=116.156,
                                lat=39.906)
    good = tmp_path / "gates.csv"
    good.write_text(f"place_id,lon,lat\n{one.pk},116.153,39.9015\n{one.pk},116.151,39.902\n{two.pk},116.1561,39.906\n")
    assert services.import_place_gates(actor=None, source=good) == {"places": 2, "gates": 3}
    bad = tmp_path / "bad.csv"
    bad.write_text(f"place_id,lon,lat\n{one.pk},116.153,39.9015\n999999,116.1,39.9\n{two.pk},116.2,39.95\n")
    with pytest.raises(ValidationFailed) as refused:
        services.import_place_gates(actor=None, source=bad)
    assert [d["row"] for d in refused.value.details] == [3, 4]
    one.refresh_from_db()
    assert len(one.gates) == 2  # nothing written
