"""Household votes: verified households only, one ballot per household (changeable until close), closed votes
immutable, results from the stored ballots with the roll size, secret ballots unlinkable after close."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicgrid.consultation import services
from civicgrid.consultation.errors import InvalidChoice, VoteClosed
from civicgrid.consultation.models import Ballot, Vote
from civicgrid.consultation.services.votes import tally
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days

pytestmark = pytest.mark.django_db


def _vote(users, **extra):
    return services.open_vote(actor=users["community_a"], community=COMM_A, question="是否同意加装电梯？",
                              closes_at=in_days(3), **extra)


def test_one_ballot_per_household_changeable_until_close(users, neighbours):
    vote = _vote(users)
    assert vote.roll_size == 4  # households of the register in the community
    services.cast_ballot(actor=neighbours["wang"], vote_id=vote.pk, choice="yes")
    services.cast_ballot(actor=neighbours["wang_wife"], vote_id=vote.pk, choice="no")  # same household: replaces
    services.cast_ballot(actor=neighbours["li"], vote_id=vote.pk, choice="yes")
    assert Ballot.objects.filter(vote=vote).count() == 2
    closed = services.close_vote(actor=users["community_a"], vote_id=vote.pk)
    assert closed.results == {"counts": {"yes": 1, "no": 1, "abstain": 0}, "ballots": 2, "roll": 4}
    assert closed.results == tally(closed)
    with pytest.raises(VoteClosed) as refused:
        services.cast_ballot(actor=neighbours["zhao"], vote_id=vote.pk, choice="yes")
    assert refused.value.code == "vote_closed"


def test_the_database_refuses_a_second_ballot_of_a_household(users, neighbours):
    vote = _vote(users)
    ballot = services.cast_ballot(actor=neighbours["wang"], vote_id=vote.pk, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter_key=ballot.voter_key, choice="no")


def test_a_vote_past_its_closing_time_takes_no_ballot_and_is_closed_by_the_sweep(users, neighbours):
    vote = _vote(users)
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now())
    with pytest.raises(VoteClosed):
        services.cast_ballot(actor=neighbours["wang"], vote_id=vote.pk, choice="yes")
    assert services.close_due_votes() == 1 and services.close_due_votes() == 0
    assert Vote.objects.get(pk=vote.pk).state == Vote.State.CLOSED


def test_only_verified_households_of_the_community_or_compound_vote(users, compounds, neighbours):
    vote = _vote(users, compound_id=compounds["rental"].pk)
    assert vote.roll_size == 1 and vote.compound_kind == "public_rental"
    with pytest.raises(ValidationFailed) as off_roll:
        services.cast_ballot(actor=neighbours["wang"], vote_id=vote.pk, choice="yes")
    assert off_roll.value.code == "not_on_roll"
    services.cast_ballot(actor=neighbours["chen"], vote_id=vote.pk, choice="abstain")
    with pytest.raises(NotFound):
        services.cast_ballot(actor=users["resident"], vote_id=vote.pk, choice="yes")
    with pytest.raises(NotFound):
        services.cast_ballot(actor=users["community_b"], vote_id=vote.pk, choice="yes")
    with pytest.raises(InvalidChoice):
        services.cast_ballot(actor=neighbours["chen"], vote_id=vote.pk, choice="maybe")


def test_option_votes_and_bad_periods(users, neighbours):
    vote = _vote(users, kind="options", options=["东侧", "西侧", "不装"])
    services.cast_ballot(actor=neighbours["li"], vote_id=vote.pk, choice="西侧")
    assert tally(vote)["counts"] == {"东侧": 0, "西侧": 1, "不装": 0}
    with pytest.raises(ValidationFailed) as bad:
        services.open_vote(actor=users["community_a"], community=COMM_A, question="过去的投票", closes_at=in_days(-1))
    assert bad.value.code == "invalid_period"
    with pytest.raises(PermissionDenied):
        services.open_vote(actor=users["grid_a"], community=COMM_A, question="网格员发起", closes_at=in_days(2))


def test_secret_ballots_keep_no_link_to_the_household(users, neighbours):
    vote = _vote(users, secret=True)
    services.cast_ballot(actor=neighbours["wang"], vote_id=vote.pk, choice="yes")
    services.cast_ballot(actor=neighbours["wang_wife"], vote_id=vote.pk, choice="no")
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.household_id is None and ballot.cast_at is None and ballot.choice == "no"
    assert str(ballot.voter_key) not in {str(v.household_id) for v in neighbours["wang"].household_verifications.all()}
    event = AuditEvent.objects.filter(action="consultation.vote.ballot").last()
    assert event.detail == {}
    closed = services.close_vote(actor=users["community_a"], vote_id=vote.pk)
    assert closed.salt == "" and closed.results["counts"]["no"] == 1


def test_results_are_published_for_a_period(users, neighbours):
    vote = _vote(users)
    services.cast_ballot(actor=neighbours["li"], vote_id=vote.pk, choice="yes")
    from civicgrid.consultation.errors import WrongState

    with pytest.raises(WrongState):
        services.publish_results(actor=users["community_a"], vote_id=vote.pk)
    services.close_vote(actor=users["community_a"], vote_id=vote.pk)
    published = services.publish_results(actor=users["community_a"], vote_id=vote.pk, days=7)
    assert published.state == Vote.State.PUBLISHED
    assert (published.publish_until - timezone.localdate()).days == 7
