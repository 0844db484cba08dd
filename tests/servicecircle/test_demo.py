"""The demo seed on the small test district: generated network inside the outline, facilities marked as
generated, one finished analysis and one recommendation."""

import pytest

from civicgrid.servicecircle.demo import DEMO_COUNTS, seed_demo_servicecircle
from civicgrid.servicecircle.models import AnalysisRun, Facility, Network, Recommendation
from civicgrid.territory.models import PlaceKind
from tests.servicecircle.conftest import make_place

pytestmark = pytest.mark.xdist_group("servicecircle")


def test_demo_seed(users, regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for k in range(6):
        make_place(regions["grid_a"], f"院{k}", (116.151 + k * 0.0015, 39.903), 800)
    make_place(regions["grid_b"], "公建", (116.205, 39.905), 0, kind=PlaceKind.FACILITY_SITE)
    summary = seed_demo_servicecircle(seed=7, n_nodes=20000)
    network = Network.objects.get()
    assert network.generated and network.source.startswith("synthetic:") and 15000 < network.n_nodes < 25000
    assert Facility.objects.filter(source="demo").count() == sum(DEMO_COUNTS.values()) == summary["sc_facilities"]
    run = AnalysisRun.objects.get()
    assert run.status == "done" and run.summary["places"] == 6 and run.network_generated
    assert Recommendation.objects.get().status == "done" and summary["sc_recommendation_status"] == "done"
    # running it again replaces the generated facilities instead of duplicating them
    seed_demo_servicecircle(seed=7, n_nodes=20000)
    assert Facility.objects.filter(source="demo").count() == sum(DEMO_COUNTS.values())
    assert Network.objects.get().version == 2
