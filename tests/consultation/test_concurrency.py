"""Concurrent ballots from threads: members of one household voting at once leave exactly one counted ballot,
and households voting at once are all counted. Runs on SQLite and PostgreSQL (CI runs both)."""


import pytest

from civicgrid.consultation import services
from civicgrid.consultation.models import Ballot
from civicgrid.consultation.services.votes import tally
from tests.concurrency import in_threads, outcome
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days, verified

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
MEMBERS = 6


def _cast(user_id: int, vote_id: int, choice: str) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.cast_ballot, actor=User.objects.get(pk=user_id), vote_id=vote_id, choice=choice)


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_members_of_one_household_voting_at_once_leave_one_ballot(users, compounds, secret):
    members = [verified(users["community_a"], compounds["old"], "3-301") for _ in range(MEMBERS)]
    other = verified(users["community_a"], compounds["old"], "3-302")
    vote = services.open_vote(actor=users["community_a"], community=COMM_A, question="并发投票", closes_at=in_days(1),
                              secret=secret)
    choices = ["yes", "no", "abstain"]
    calls = [(m.pk, vote.pk, choices[i % 3]) for i, m in enumerate(members)] + [(other.pk, vote.pk, "yes")]
    results = in_threads(_cast, calls, together=True)
    assert results == ["ok"] * len(calls)
    assert Ballot.objects.filter(vote=vote).count() == 2
    closed = services.close_vote(actor=users["community_a"], vote_id=vote.pk)
    assert closed.results["ballots"] == 2 == sum(tally(closed)["counts"].values())
