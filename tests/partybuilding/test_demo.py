"""The party building demo on the test district: organizations in a tree, members on grids, coverage with gaps,
a workstation whose company request became a case, the "10+N" list, and brand projects in every stage."""

import pytest

from civicgrid.cases.models import Case
from civicgrid.partybuilding import selectors
from civicgrid.partybuilding.demo import seed_demo_partybuilding
from civicgrid.partybuilding.models import BrandProject, CompanyRequest, PartyMember, Pledge
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import SUB_A
from tests.partybuilding.conftest import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(users, regions, compound):
    for index, key in enumerate(("grid_a", "grid_a", "grid_b", "grid_b", "grid_b")):
        Place.objects.create(name=f"商务楼{index}", kind=PlaceKind.OFFICE_BUILDING, grid=regions[key],
                             lon=116.151 + index * 0.001, lat=39.901)
    for index in range(4):
        resident(users["community_a"], compound, f"党员{index}")
    return users


def test_demo_covers_every_part_with_gaps_left_to_close(district):
    summary = seed_demo_partybuilding(seed=7)
    assert summary["party_organizations"] >= 5 and summary["party_members"] == 4
    assert summary["company_requests"] == 1
    request = CompanyRequest.objects.get()
    assert Case.objects.get(pk=request.case_id).unit_id is not None  # routed and dispatched
    assert PartyMember.objects.filter(grid__isnull=False).exists()
    statuses = set(BrandProject.objects.values_list("status", flat=True))
    assert statuses == {"registered", "in_progress", "midterm", "completed"}
    board = selectors.board(actor=district["district"])
    assert any(not slip.on_schedule for _project, slip in board)  # one late project on the board
    assert selectors.showcase().count() == 1
    assert Pledge.objects.filter(uses__isnull=False).exists()
    areas = selectors.coverage_areas(actor=district["district"])
    found = selectors.coverage_for(actor=district["district"], regions=areas)
    assert found[SUB_A].enterprises > 0 and found[SUB_A].workstation_share is not None
    gaps = sum(len(c.uncovered_above) + len(c.uncovered_below) + len(c.buildings_without) for c in found.values())
    assert gaps > 0
