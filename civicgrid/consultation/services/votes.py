"""Household votes: one ballot per verified household (a database constraint), changeable until the vote closes,
tallied from the stored ballots at close.

Secret ballots: a ballot row holds only the vote, the choice and `voter_key = HMAC-SHA256(vote.salt, household
id)`; no household, user or time. The key is what the one-vote rule needs: the same household always lands on the
same row, so a second member's ballot replaces the first instead of adding one. The per-vote random salt is
wiped when the vote closes, so afterwards not even the operator can recompute which row was whose; ballot ids are
random UUIDs, so row order does not follow the audit log's order either."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.consultation.access import verification_in
from civicgrid.consultation.errors import InvalidChoice, VoteClosed, WrongState
from civicgrid.consultation.models import Ballot, CompoundKind, Topic, Vote, compound_kind_of
from civicgrid.consultation.services.common import managed_community, record_event, text_between
from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.people.models import Household
from civicgrid.territory.models import Place

YES_NO = ["yes", "no", "abstain"]


def choices_of(vote: Vote) -> list[str]:
    return YES_NO if vote.kind == Vote.Kind.YES_NO else list(vote.options)


def roll(vote: Vote):
    """The households entitled to vote: the register of the community, or of one compound."""
    households = Household.objects.within(vote.region_code)
    return households.filter(place=vote.compound) if vote.compound_id else households


def _options(kind: str, options) -> list[str]:
    if kind == Vote.Kind.YES_NO:
        return []
    cleaned = [str(o).strip()[:40] for o in options or [] if str(o).strip()]
    if not 2 <= len(cleaned) <= 10 or len(set(cleaned)) != len(cleaned):
        raise ValidationFailed(_("Give 2 to 10 different options."), code="invalid_options", field="options")
    return cleaned


@transaction.atomic
def open_vote(*, actor, community: str, question: str, closes_at: datetime, kind: str = Vote.Kind.YES_NO,
              options=(), secret: bool = False, topic_id: int | None = None, compound_id: int | None = None) -> Vote:
    code = managed_community(actor, community)
    if kind not in Vote.Kind.values:
        raise ValidationFailed(code="invalid_kind", field="kind")
    now = timezone.now()
    if closes_at is None or timezone.is_naive(closes_at) or not now + timedelta(minutes=5) <= closes_at \
            <= now + timedelta(days=90):
        raise ValidationFailed(_("A vote closes between 5 minutes and 90 days from now."), code="invalid_period",
                               field="closes_at")
    topic = Topic.objects.within(code).filter(pk=topic_id).first() if topic_id else None
    compound = Place.objects.within(code).filter(pk=compound_id).first() if compound_id else None
    if (topic_id and topic is None) or (compound_id and compound is None):
        raise ValidationFailed(code="unknown_reference", field="topic" if topic_id and topic is None else "compound")
    vote = Vote(region_code=code, topic=topic, compound=compound, question=text_between(question, field="question",
                high=200), kind=kind, options=_options(kind, options), secret=bool(secret), opens_at=now,
                closes_at=closes_at, salt=secrets.token_hex(32) if secret else "", created_by=actor)
    vote.compound_kind = compound_kind_of([compound]) if compound else (topic.compound_kind if topic
                                                                         else CompoundKind.MIXED)
    vote.roll_size = roll(vote).count()
    vote.save()
    if topic:
        record_event(topic=topic, kind="vote_opened", actor=actor, text=vote.question,
                                  for_supporters=True)
    audit.record(actor=actor, action="consultation.vote.open", target=vote, region_code=code,
                 detail={"secret": vote.secret, "roll": vote.roll_size})
    return vote


def _lock_vote_shared(vote_id: int) -> Vote | None:
    """Read the vote under a lock that ballots share and that `close_vote` waits for (PostgreSQL FOR KEY SHARE):
    no ballot lands after the tally. SQLite runs one writer at a time, which gives the same."""
    if connection.vendor == "postgresql":
        query = f"SELECT * FROM {Vote._meta.db_table} WHERE id = %s FOR KEY SHARE"  # noqa: S608 - model table
        return next(iter(Vote.objects.raw(query, [vote_id])), None)
    return Vote.objects.get(pk=vote_id)


def _voter_key(vote: Vote, household_id: int) -> str:
    if vote.secret:
        return hmac.new(vote.salt.encode(), str(household_id).encode(), hashlib.sha256).hexdigest()
    return f"h{household_id}"


@transaction.atomic
def cast_ballot(*, actor, vote_id: int, choice: str) -> Ballot:
    """Cast or change the household's ballot. Two members at once leave exactly one ballot: the unique
    (vote, voter_key) makes the second insert fail, and it then updates the row the first one wrote."""
    visible = Vote.objects.get_visible(actor, pk=vote_id)
    verification = verification_in(actor, visible.region_code)
    vote = _lock_vote_shared(visible.pk)
    if vote is None:
        raise NotFound()
    if vote.compound_id and verification.household.place_id != vote.compound_id:
        raise ValidationFailed(_("This vote is for the households of another compound."),
                               code="not_on_roll", field="vote")
    if vote.state != Vote.State.OPEN or timezone.now() >= vote.closes_at:
        raise VoteClosed()
    if choice not in choices_of(vote):
        raise InvalidChoice(field="choice")
    key = _voter_key(vote, verification.household_id)
    fields = {"choice": choice} if vote.secret else {"choice": choice, "household": verification.household,
                                                      "cast_at": timezone.now()}
    ballot = _upsert(vote, key, fields)
    audit.record(actor=actor, action="consultation.vote.ballot", target=vote, region_code=vote.region_code,
                 detail={} if vote.secret else {"household": verification.household_id, "choice": choice})
    return ballot


def _upsert(vote: Vote, key: str, fields: dict) -> Ballot:
    if Ballot.objects.filter(vote=vote, voter_key=key).update(**fields):
        return Ballot.objects.get(vote=vote, voter_key=key)
    try:
        with transaction.atomic():
            return Ballot.objects.create(vote=vote, voter_key=key, **fields)
    except IntegrityError:  # another member of the household inserted first: replace their choice
        Ballot.objects.filter(vote=vote, voter_key=key).update(**fields)
        return Ballot.objects.get(vote=vote, voter_key=key)


def tally(vote: Vote) -> dict:
    """Counts per option from the stored ballots, the number of ballots and the roll size."""
    counts = dict.fromkeys(choices_of(vote), 0)
    for row in Ballot.objects.filter(vote=vote).values("choice").annotate(n=Count("pk")):
        counts[row["choice"]] = row["n"]
    return {"counts": counts, "ballots": sum(counts.values()), "roll": vote.roll_size}


def _close(vote: Vote, actor) -> Vote:
    vote.roll_size = roll(vote).count()
    vote.state, vote.salt = Vote.State.CLOSED, ""
    vote.closes_at = min(vote.closes_at, timezone.now())
    vote.results = tally(vote)
    vote.save()
    audit.record(actor=actor, action="consultation.vote.close", target=vote, region_code=vote.region_code,
                 detail=vote.results)
    return vote


@transaction.atomic
def close_vote(*, actor, vote_id: int) -> Vote:
    vote = Vote.objects.select_for_update().get_managed(actor, pk=vote_id)
    if vote.state != Vote.State.OPEN:
        raise WrongState()
    return _close(vote, actor)


def close_due_votes(*, now=None) -> int:
    """Close every open vote whose period has ended (the periodic job; idempotent)."""
    now = now or timezone.now()
    closed = 0
    for vote_id in Vote.objects.filter(state=Vote.State.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            vote = Vote.objects.select_for_update().filter(pk=vote_id, state=Vote.State.OPEN).first()
            if vote is not None:
                _close(vote, None)
                closed += 1
    return closed


@transaction.atomic
def publish_results(*, actor, vote_id: int, days: int = 7) -> Vote:
    """结果公示: the results are public on the community page for `days` days."""
    vote = Vote.objects.select_for_update().get_managed(actor, pk=vote_id)
    if vote.state == Vote.State.OPEN:
        raise WrongState()
    if not 1 <= days <= 365:
        raise ValidationFailed(code="invalid_days", field="days")
    vote.state, vote.publish_until = Vote.State.PUBLISHED, timezone.localdate() + timedelta(days=days)
    vote.save(update_fields=["state", "publish_until"])
    if vote.topic_id:
        counts = ", ".join(f"{k} {v}" for k, v in vote.results.get("counts", {}).items())
        record_event(topic_id=vote.topic_id, kind="vote_published", actor=actor, for_supporters=True,
                                  text=f"{vote.question}: {counts}")
    audit.record(actor=actor, action="consultation.vote.publish", target=vote, region_code=vote.region_code)
    return vote
