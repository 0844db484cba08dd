"""Consultation API under /api/v1/consultation/: thin handlers over services and selectors."""

from ninja import Path, Router
from ninja.responses import Status

from civicgrid.consultation import selectors, services
from civicgrid.consultation.schemas import (
    BIG,
    BallotIn,
    BallotOut,
    CommentIn,
    CommentOut,
    ContributionIn,
    ContributionOut,
    DecisionIn,
    InviteeOut,
    InviteIn,
    MeetingIn,
    MeetingOut,
    MilestoneIn,
    MilestoneOut,
    MinutesIn,
    MinutesOut,
    ModerateIn,
    ResolutionIn,
    ResolutionOut,
    ResolutionUpdateIn,
    StatsRow,
    TopicIn,
    TopicOut,
    VoteIn,
    VoteOut,
)
from civicgrid.core.schemas import errors

router = Router(tags=["consultation"])
Id = Path(..., ge=1, le=BIG)
P = "/consultation"


@router.get(f"{P}/topics", response={200: list[TopicOut], **errors()}, summary="Topics the caller may see")
def topics(request, state: str | None = None):
    return list(selectors.topics_for(actor=request.auth, state=state)[:200])


@router.post(f"{P}/topics", response={201: TopicOut, **errors(403, 404)}, summary="Propose a topic")
def propose(request, payload: TopicIn):
    return Status(201, services.propose_topic(actor=request.auth, **payload.dict()))


@router.get(P + "/topics/{topic_id}", response={200: TopicOut, **errors(404)}, summary="One topic")
def topic(request, topic_id: int = Id):
    return selectors.get_topic(actor=request.auth, topic_id=topic_id)


@router.post(P + "/topics/{topic_id}/support", response={200: TopicOut, **errors(403, 404, 409)},
             summary="Support a topic (one per verified household)")
def support(request, topic_id: int = Id):
    return services.support_topic(actor=request.auth, topic_id=topic_id)


@router.post(P + "/topics/{topic_id}/decision", response={200: TopicOut, **errors(403, 404, 409)},
             summary="Accept, merge or decline a topic with a published reason")
def decide(request, payload: DecisionIn, topic_id: int = Id):
    return services.decide_topic(actor=request.auth, topic_id=topic_id, **payload.dict())


@router.get(P + "/topics/{topic_id}/comments", response={200: list[CommentOut], **errors(404)},
            summary="Comments the caller may see")
def comments(request, topic_id: int = Id):
    found = selectors.get_topic(actor=request.auth, topic_id=topic_id)
    return selectors.comments_for(actor=request.auth, topic=found)


@router.post(P + "/topics/{topic_id}/comments", response={201: CommentOut, **errors(403, 404)},
             summary="Comment (or answer officially)")
def add_comment(request, payload: CommentIn, topic_id: int = Id):
    return Status(201, services.comment(actor=request.auth, topic_id=topic_id, **payload.dict()))


@router.post(P + "/comments/{comment_id}/moderation", response={200: CommentOut, **errors(403, 404)},
             summary="Hide a comment with a reason, or show it")
def moderate(request, payload: ModerateIn, comment_id: int = Id):
    return services.moderate_comment(actor=request.auth, comment_id=comment_id, **payload.dict())


@router.get(f"{P}/meetings", response={200: list[MeetingOut], **errors()}, summary="Meetings the caller may see")
def meetings(request):
    return list(selectors.meetings_for(actor=request.auth)[:200])


@router.post(f"{P}/meetings", response={201: MeetingOut, **errors(403, 404)}, summary="Plan a meeting")
def plan(request, payload: MeetingIn):
    return Status(201, services.plan_meeting(actor=request.auth, **payload.dict()))


@router.post(P + "/meetings/{meeting_id}/invitees", response={201: InviteeOut, **errors(403, 404)},
             summary="Invite a party to a meeting")
def invite(request, payload: InviteIn, meeting_id: int = Id):
    return Status(201, services.invite(actor=request.auth, meeting_id=meeting_id, **payload.dict()))


@router.post(P + "/invitees/{invitee_id}/sign-in", response={200: InviteeOut, **errors(403, 404)},
             summary="Tick an invitee on the sign-in sheet")
def sign_in(request, invitee_id: int = Id):
    return services.sign_in(actor=request.auth, invitee_id=invitee_id)


@router.post(P + "/meetings/{meeting_id}/minutes", response={200: MinutesOut, **errors(403, 404, 409)},
             summary="Save the minutes (amend=true after approval starts a new version)")
def minutes(request, payload: MinutesIn, meeting_id: int = Id):
    return services.save_minutes(actor=request.auth, meeting_id=meeting_id, **payload.dict())


@router.post(P + "/meetings/{meeting_id}/minutes/approve", response={200: MinutesOut, **errors(403, 404, 409)},
             summary="Approve and lock the latest minutes")
def approve(request, meeting_id: int = Id):
    return services.approve_minutes(actor=request.auth, meeting_id=meeting_id)


@router.get(f"{P}/votes", response={200: list[VoteOut], **errors()}, summary="Votes the caller may see")
def votes(request):
    return list(selectors.votes_for(actor=request.auth)[:200])


@router.post(f"{P}/votes", response={201: VoteOut, **errors(403, 404)}, summary="Open a household vote")
def open_vote(request, payload: VoteIn):
    return Status(201, services.open_vote(actor=request.auth, **payload.dict()))


@router.post(P + "/votes/{vote_id}/ballot", response={200: BallotOut, **errors(403, 404, 409)},
             summary="Cast or change the household's ballot")
def ballot(request, payload: BallotIn, vote_id: int = Id):
    return services.cast_ballot(actor=request.auth, vote_id=vote_id, choice=payload.choice)


@router.post(P + "/votes/{vote_id}/close", response={200: VoteOut, **errors(403, 404, 409)},
             summary="Close a vote and tally it")
def close(request, vote_id: int = Id):
    return services.close_vote(actor=request.auth, vote_id=vote_id)


@router.get(f"{P}/resolutions", response={200: list[ResolutionOut], **errors()},
            summary="Resolutions the caller may see")
def resolutions(request, overdue: bool = False):
    found = selectors.overdue_resolutions(actor=request.auth) if overdue else selectors.resolutions_for(
        actor=request.auth)
    return list(found[:500])


@router.post(f"{P}/resolutions", response={201: ResolutionOut, **errors(403, 404)},
             summary="Adopt a resolution (needs_action creates a grid case)")
def adopt(request, payload: ResolutionIn):
    return Status(201, services.adopt_resolution(actor=request.auth, **payload.dict()))


@router.post(P + "/resolutions/{resolution_id}", response={200: ResolutionOut, **errors(403, 404, 409)},
             summary="Update a resolution's status and progress")
def update(request, payload: ResolutionUpdateIn, resolution_id: int = Id):
    return services.update_resolution(actor=request.auth, resolution_id=resolution_id, **payload.dict())


@router.post(P + "/resolutions/{resolution_id}/milestones", response={201: MilestoneOut, **errors(403, 404)},
             summary="Add a milestone to a resolution")
def milestone(request, payload: MilestoneIn, resolution_id: int = Id):
    return Status(201, services.add_milestone(actor=request.auth, resolution_id=resolution_id, **payload.dict()))


@router.post(P + "/directors/{director_id}/contributions", response={201: ContributionOut, **errors(403, 404)},
             summary="Record an honorary director's proposal or the resource they brought")
def contribution(request, payload: ContributionIn, director_id: int = Id):
    return Status(201, services.add_contribution(actor=request.auth, director_id=director_id, **payload.dict()))


@router.get(f"{P}/statistics", response={200: list[StatsRow], **errors()},
            summary="Topics, meetings and resolutions per compound kind in the caller's area")
def statistics(request):
    return selectors.statistics_by_kind(actor=request.auth)
