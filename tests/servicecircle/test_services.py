"""Services: a run on the hand-checkable lattice, failures, recommendations, the new-compound check,
reference data edits and their audit events."""

import pytest

from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.servicecircle import services
from civicgrid.servicecircle.errors import NoCandidates, NoNetwork, RunNotDone
from civicgrid.servicecircle.models import CommunityResult, PlaceResult, Recommendation
from civicgrid.servicecircle.views_support import compound_check, place_isochrone
from tests.conftest import COMM_A, COMM_B, DISTRICT
from tests.servicecircle.conftest import node

pytestmark = pytest.mark.xdist_group("servicecircle")


def test_run_coverage_matches_the_hand_computed_numbers(done_run, scene):
    places = scene["places"]
    results = {r.place_id: r for r in PlaceResult.objects.filter(run=done_run)}
    p1, p2, p3, p4, p5 = (results[places[k].pk] for k in ("p1", "p2", "p3", "p4", "p5"))
    assert p1.distances == {"kindergarten": pytest.approx(200, abs=0.5), "primary_school": pytest.approx(400, abs=0.5)}
    assert p1.missing == [] and p1.score == 1.0
    # searches stop at the category's walking distance: beyond it the distance is unknown (None)
    assert p2.missing == ["primary_school"] and p2.distances["primary_school"] is None
    assert p2.distances["kindergarten"] == pytest.approx(200, abs=0.5)
    assert p3.missing == ["kindergarten"] and p3.distances == {"kindergarten": None,
                                                               "primary_school": pytest.approx(200, abs=0.5)}
    assert set(p4.missing) == {"kindergarten", "primary_school"} and p4.score == 0
    assert not p5.snapped and p5.snap_distance_m > 1500 and p5.distances == {"kindergarten": None,
                                                                             "primary_school": None}
    assert places["site"].pk not in results  # only residential places are demand

    community_a = CommunityResult.objects.get(run=done_run, community_code=COMM_A)
    assert community_a.population == 1800 and community_a.places == 4 and community_a.name == "社区a"
    assert community_a.covered == {"kindergarten": 1500, "primary_school": 1200}
    assert community_a.uncovered == {"kindergarten": 300, "primary_school": 600}
    assert community_a.score == pytest.approx(2700 / 3600)
    community_b = CommunityResult.objects.get(run=done_run, community_code=COMM_B)
    assert community_b.score == 0 and community_b.uncovered == {"kindergarten": 300, "primary_school": 300}

    summary = done_run.summary
    assert summary["places"] == 5 and summary["places_unsnapped"] == 1
    assert summary["unsnapped_places"][0]["name"] == "山上院"
    assert summary["uncovered_population"] == {"kindergarten": 600, "primary_school": 900}
    assert summary["score"] == pytest.approx(2700 / 4200, abs=1e-4)
    assert done_run.network_version == 1 and done_run.network_generated
    limits = {c["code"]: c["walk_distance_m"] for c in done_run.categories}
    assert limits == {"kindergarten": 300, "primary_school": 500}
    assert AuditEvent.objects.filter(action="servicecircle.run.done", target_id=str(done_run.pk)).exists()


def test_run_inputs_are_validated(scene):
    district = scene["district"]
    with pytest.raises(ValidationFailed) as exc:
        services.start_run(actor=district, region_code=DISTRICT, category_codes=["nope"])
    assert exc.value.code == "unknown_category"
    with pytest.raises(ValidationFailed) as exc:
        services.start_run(actor=district, region_code=DISTRICT, snap_limit_m=5)
    assert exc.value.code == "invalid_snap_limit"


def test_no_network_is_refused(regions, users, categories):
    with pytest.raises(NoNetwork):
        services.start_run(actor=users["district"], region_code=DISTRICT)


def test_a_run_whose_network_vanished_fails_with_its_error(scene, settings, tmp_path):
    run = services.start_run(actor=scene["district"], region_code=DISTRICT, enqueue=False)
    (tmp_path / "servicecircle" / f"{DISTRICT}.npz").unlink()
    assert services.execute_run(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed" and run.error and run.finished_at
    assert services.execute_run(run_id=run.pk) == "failed"  # idempotent


def test_only_planners_of_the_area_start_runs(scene, users):
    with pytest.raises(NotFound):
        services.start_run(actor=users["community_b"], region_code=COMM_A)
    with pytest.raises(PermissionDenied):
        services.start_run(actor=users["grid_a"], region_code=users["grid_a"].region_code)
    run = services.start_run(actor=users["community_a"], region_code=COMM_A, enqueue=False)
    assert services.execute_run(run_id=run.pk) == "done"
    assert set(PlaceResult.objects.filter(run=run).values_list("region_code", flat=True)) == {
        users["grid_a"].region_code}


def test_runs_are_enqueued_on_commit_and_computed_by_the_task(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.start_run(actor=scene["district"], region_code=DISTRICT)
    assert len([c for c in callbacks if "start_run" in c.__qualname__]) == 1  # others: e.g. the cockpit's cache
    run.refresh_from_db()
    assert run.status == "done" and run.started_at and run.finished_at


@pytest.mark.parametrize("method", ["greedy", "exact", "auto"])
def test_recommendation_orders_sites_by_marginal_gain(done_run, scene, method):
    points = [list(node(20, 5)), list(node(2, 8)), list(node(46, 5))]
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="kindergarten", p=2,
                             method=method, points=points, use_facility_sites=False, enqueue=False)
    assert services.execute_recommendation(recommendation_id=rec.pk) == "done"
    rec.refresh_from_db()
    sites = list(rec.sites.all())
    assert [round(s.gain) for s in sites] == [300, 200]
    assert sites[0].lon == pytest.approx(node(46, 5)[0]) and sites[1].lat == pytest.approx(node(2, 8)[1])
    assert rec.population_total == 2000  # P5 is off the network, the site has no residents
    assert rec.population_before == 1500 and rec.new_population == 500
    assert rec.method_used == ("exact" if method == "auto" else method)


def test_recommendation_uses_public_facility_sites(done_run, scene):
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="primary_school", p=1,
                             enqueue=False)
    services.execute_recommendation(recommendation_id=rec.pk)
    site = Recommendation.objects.get(pk=rec.pk).sites.get()
    # the site at (5,5) reaches P2 at (6,2) in 400 m
    assert site.place_id == scene["places"]["site"].pk and site.gain == 500


def test_recommendation_refusals(done_run, scene, users):
    district = scene["district"]
    with pytest.raises(NoCandidates):
        services.recommend(actor=district, run_id=done_run.pk, category="kindergarten", p=1, use_facility_sites=False)
    with pytest.raises(ValidationFailed):
        services.recommend(actor=district, run_id=done_run.pk, category="kindergarten", p=99)
    with pytest.raises(ValidationFailed):
        services.recommend(actor=district, run_id=done_run.pk, category="kindergarten", p=1, points=[["x", 1]])
    with pytest.raises(NotFound):
        services.recommend(actor=users["resident"], run_id=done_run.pk, category="kindergarten", p=1)
    queued = services.start_run(actor=district, region_code=DISTRICT, enqueue=False)
    with pytest.raises(RunNotDone):
        services.recommend(actor=district, run_id=queued.pk, category="kindergarten", p=1)


def test_new_compound_check_lists_missing_categories(scene, users):
    near = compound_check(actor=users["district"], lon=node(3, 3)[0], lat=node(3, 3)[1], population=400)
    assert near["snapped"] and near["missing"] == [] or "kindergarten" not in near["missing"]
    assert near["distances"]["kindergarten"] == pytest.approx(200, abs=0.5)
    assert near["distances"]["primary_school"] == pytest.approx(400, abs=0.5)
    far = compound_check(actor=users["district"], lon=node(30, 10)[0], lat=node(30, 10)[1], population=400)
    assert {"kindergarten", "primary_school"} <= set(far["missing"]) and far["population_affected"] == 400
    assert "幼儿园" in far["missing_names"]
    off = compound_check(actor=users["district"], lon=116.155, lat=39.95, population=10)
    assert not off["snapped"]


def test_isochrones_grow_with_minutes(scene, users):
    collection = place_isochrone(actor=users["district"], place_id=scene["places"]["p1"].pk)
    assert collection["snapped"] and [f["properties"]["minutes"] for f in collection["features"]] == [15, 10, 5]
    from shapely.geometry import shape

    areas = [shape(f["geometry"]).area for f in collection["features"]]
    assert areas[0] > areas[1] > areas[2] > 0
    with pytest.raises(NotFound):
        place_isochrone(actor=users["community_b"], place_id=scene["places"]["p1"].pk)


def test_category_edits_need_the_permission_and_are_audited(categories, users):
    with pytest.raises(PermissionDenied):
        services.update_category(actor=users["community_a"], code="kindergarten", walk_distance_m=400)
    category = services.update_category(actor=users["district"], code="kindergarten", walk_distance_m=400)
    assert category.walk_distance_m == 400
    event = AuditEvent.objects.get(action="servicecircle.category.update")
    assert event.detail == {"before": {"walk_distance_m": 300}, "after": {"walk_distance_m": 400}}
    with pytest.raises(ValidationFailed):
        services.update_category(actor=users["district"], code="kindergarten", walk_distance_m=10)


def test_seeding_categories_is_idempotent_and_keeps_edits(categories, users):
    from civicgrid.servicecircle.models import Category
    from civicgrid.servicecircle.reference import DEFAULT_CATEGORIES, seed_categories

    services.update_category(actor=users["district"], code="market", walk_distance_m=600)
    assert seed_categories() == 0
    assert Category.objects.count() == len(DEFAULT_CATEGORIES)
    assert Category.objects.get(code="market").walk_distance_m == 600
    assert all(c.source for c in Category.objects.all())


def test_storing_a_network_bumps_its_version(network, regions):
    from civicgrid.servicecircle.analysis import network_path
    from civicgrid.servicecircle.engine import load_graph
    from tests.servicecircle.conftest import LATTICE

    again = services.store_network(actor=None, district_code=DISTRICT, graph=LATTICE, source="again", generated=False)
    assert again.version == 2 and not again.generated and again.n_nodes == LATTICE.n_nodes
    assert load_graph(path=network_path(DISTRICT)).n_edges == LATTICE.n_edges
    with pytest.raises(ValidationFailed):
        services.store_network(actor=None, district_code=COMM_A, graph=LATTICE, source="x", generated=True)
