"""Input and output shapes of the consultation API."""

from datetime import date, datetime

from ninja import Field, Schema

BIG = 2**31 - 1


class TopicIn(Schema):
    community: str = Field(..., min_length=12, max_length=12)
    title: str = Field(..., max_length=120)
    text: str = Field(..., max_length=4000)
    place_ids: list[int] = []
    group_name: str = Field("", max_length=100)
    source_case_id: int | None = Field(None, ge=1, le=BIG)


class TopicOut(Schema):
    id: int
    region_code: str
    title: str
    text: str
    state: str
    compound_kind: str
    source: str
    supports: int
    answer_due_at: datetime | None
    decision_reason: str
    merged_into_id: int | None


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(accept|merge|decline)$")
    reason: str = Field(..., max_length=2000)
    merge_into_id: int | None = Field(None, ge=1, le=BIG)


class CommentIn(Schema):
    text: str = Field(..., max_length=2000)
    official: bool = False


class CommentOut(Schema):
    id: int
    text: str
    official: bool
    state: str
    hidden_reason: str
    created_at: datetime


class ModerateIn(Schema):
    hide: bool
    reason: str = Field("", max_length=200)


class MeetingIn(Schema):
    community: str = Field(..., min_length=12, max_length=12)
    title: str = Field(..., max_length=120)
    starts_at: datetime
    place_id: int | None = Field(None, ge=1, le=BIG)
    room: str = Field("", max_length=100)
    topic_ids: list[int] = []


class MeetingOut(Schema):
    id: int
    region_code: str
    title: str
    starts_at: datetime
    state: str
    compound_kind: str
    place_text: str


class InviteIn(Schema):
    name: str = Field("", max_length=50)
    party: str = Field(..., max_length=12)
    director_id: int | None = Field(None, ge=1, le=BIG)


class InviteeOut(Schema):
    id: int
    name: str
    party: str
    signed_in_at: datetime | None


class MinutesIn(Schema):
    text: str = Field(..., max_length=50000)
    closing_report: str = Field("", max_length=20000)
    amend: bool = False


class MinutesOut(Schema):
    version: int
    text: str
    closing_report: str
    written_at: datetime
    approved_at: datetime | None


class VoteIn(Schema):
    community: str = Field(..., min_length=12, max_length=12)
    question: str = Field(..., max_length=200)
    closes_at: datetime
    kind: str = "yes_no"
    options: list[str] = []
    secret: bool = False
    topic_id: int | None = Field(None, ge=1, le=BIG)
    compound_id: int | None = Field(None, ge=1, le=BIG)


class VoteOut(Schema):
    id: int
    region_code: str
    question: str
    kind: str
    options: list[str]
    secret: bool
    state: str
    closes_at: datetime
    roll_size: int
    results: dict


class BallotIn(Schema):
    choice: str = Field(..., max_length=40)


class BallotOut(Schema):
    choice: str


class ResolutionIn(Schema):
    title: str = Field(..., max_length=120)
    text: str = Field("", max_length=4000)
    owner: str = Field(..., max_length=100)
    due_on: date
    meeting_id: int | None = Field(None, ge=1, le=BIG)
    vote_id: int | None = Field(None, ge=1, le=BIG)
    topic_id: int | None = Field(None, ge=1, le=BIG)
    needs_action: bool = False
    category_id: int | None = Field(None, ge=1, le=BIG)


class ResolutionUpdateIn(Schema):
    status: str = Field(..., max_length=12)
    progress: int = Field(..., ge=0, le=100)


class ResolutionOut(Schema):
    id: int
    region_code: str
    title: str
    owner: str
    due_on: date
    status: str
    progress: int
    compound_kind: str
    case_id: int | None
    done_on: date | None


class MilestoneIn(Schema):
    title: str = Field(..., max_length=120)
    done_on: date | None = None


class MilestoneOut(Schema):
    id: int
    resolution_id: int
    title: str
    done_on: date | None


class ContributionIn(Schema):
    kind: str = Field(..., max_length=10)
    on: date
    text: str = Field(..., max_length=300)


class ContributionOut(Schema):
    id: int
    director_id: int
    kind: str
    on: date
    text: str


class StatsRow(Schema):
    kind: str
    topics: int
    meetings: int
    resolutions: int
    done: int
    on_time: int
    overdue: int
