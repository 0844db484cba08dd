"""The consultation demo: in old, public-rental and resettlement compounds, topics in every state, a past meeting
with approved minutes, a running vote with ballots, resolutions done and overdue, honorary directors."""

import pytest

from civicgrid.consultation import selectors
from civicgrid.consultation.demo import HOUSEHOLDS, KINDS, seed_demo_consultation
from civicgrid.consultation.models import (
    Ballot,
    HonoraryDirector,
    HouseholdVerification,
    Meeting,
    Resolution,
    Topic,
    Vote,
)
from civicgrid.people import services as people
from civicgrid.territory.models import Place
from tests.consultation.conftest import IN_A
from tests.volunteering.conftest import make_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(users, regions):
    """One compound of each watched kind in community A, each with HOUSEHOLDS households in the register."""
    seq = 900
    for offset, kind in enumerate(KINDS):
        place = Place.objects.create(name=f"小区{offset}", kind=kind, grid=regions["grid_a"],
                                     lon=IN_A[0] + offset * 0.001, lat=IN_A[1], households=20, population=50)
        for flat in range(HOUSEHOLDS):
            seq += 1
            people.register_resident(actor=users["community_a"], place=place, unit_label=f"1-{101 + flat}",
                                     name=f"居民{seq}", id_number=make_id(seq))
    return users


def test_the_demo_covers_every_state_in_the_watched_compound_kinds(register):
    summary = seed_demo_consultation()
    assert summary["consultation_compounds"] == 3
    assert set(Topic.objects.values_list("state", flat=True)) == set(Topic.State.values)
    assert set(Topic.objects.values_list("compound_kind", flat=True)) == {str(kind) for kind in KINDS}
    assert HouseholdVerification.objects.filter(user__username="resident-1").exists()

    past = Meeting.objects.filter(state=Meeting.State.APPROVED)
    assert past.count() == 3 and all(m.minutes.approved_at and m.invitees.filter(signed_in_at__isnull=False)
                                     for m in past)
    running = Vote.objects.filter(state=Vote.State.OPEN)
    assert running.count() == 3 and all(Ballot.objects.filter(vote=v).count() == HOUSEHOLDS for v in running)
    published = Vote.objects.get(state=Vote.State.PUBLISHED, compound__kind=KINDS[0])
    assert published.results["ballots"] == HOUSEHOLDS and sum(published.results["counts"].values()) == HOUSEHOLDS

    staff = register["community_a"]
    assert Resolution.objects.filter(status=Resolution.Status.DONE).count() == 3
    assert selectors.overdue_resolutions(actor=staff).count() == 3
    assert Resolution.objects.filter(case__channel="consultation").count() == 3
    director = HonoraryDirector.objects.get()
    assert director.invitations.filter(signed_in_at__isnull=False).count() == 3
    assert director.contributions.count() == 2
    assert summary["consultation_ballots"] == Ballot.objects.count()
