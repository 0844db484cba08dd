"""Resolutions followed to the end (Decidim's accountability): owner, due date, status, progress, milestones.
One that needs action becomes a grid case (channel "consultation"), routed like any other case; the case's
state changes come back through `civicgrid.cases.hooks` (see `follow_case`)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.models import Channel, State
from civicgrid.cases.services import report_case
from civicgrid.consultation.errors import WrongState
from civicgrid.consultation.models import Meeting, Milestone, Resolution, Topic, Vote
from civicgrid.consultation.services.common import record_event, text_between
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed

OPEN_STATUSES = (Resolution.Status.PLANNED, Resolution.Status.IN_PROGRESS)


def _origin(actor, meeting_id, vote_id, topic_id) -> tuple[Meeting | None, Vote | None, Topic | None]:
    meeting = Meeting.objects.get_managed(actor, pk=meeting_id) if meeting_id else None
    vote = Vote.objects.get_managed(actor, pk=vote_id) if vote_id else None
    if meeting is None and vote is None:
        raise ValidationFailed(_("A resolution comes from a meeting or a vote."), code="origin_required",
                               field="meeting")
    topic = Topic.objects.get_managed(actor, pk=topic_id) if topic_id else (vote.topic if vote else None)
    codes = {o.region_code for o in (meeting, vote, topic) if o is not None}
    if len(codes) != 1:
        raise ValidationFailed(code="mixed_communities", field="topic")
    return meeting, vote, topic


def _location(meeting, topic) -> tuple[float, float] | None:
    places = list(topic.places.all()) if topic else []
    place = places[0] if places else (meeting.place if meeting else None)
    return (place.lon, place.lat) if place else None


@transaction.atomic
def adopt_resolution(*, actor, title: str, owner: str, due_on: date, text: str = "", meeting_id: int | None = None,
                     vote_id: int | None = None, topic_id: int | None = None, needs_action: bool = False,
                     category_id: int | None = None) -> Resolution:
    meeting, vote, topic = _origin(actor, meeting_id, vote_id, topic_id)
    code = (meeting or vote).region_code  # type: ignore[union-attr]
    if due_on is None:
        raise ValidationFailed(code="invalid_due_on", field="due_on")
    resolution = Resolution(region_code=code, meeting=meeting, vote=vote, topic=topic,
                            title=text_between(title, field="title", high=120), text=(text or "").strip()[:4000],
                            owner=text_between(owner, field="owner", low=1, high=100), due_on=due_on,
                            compound_kind=(topic or meeting or vote).compound_kind)  # type: ignore[union-attr]
    if needs_action:
        where = _location(meeting, topic)
        if where is None:
            raise ValidationFailed(_("Name a compound on the topic or a place for the meeting: the case needs a "
                                     "location."), code="location_required", field="topic")
        resolution.case = report_case(actor=actor, channel=Channel.CONSULTATION, lon=where[0], lat=where[1],
                                      description=f"{resolution.title}\n{resolution.text}".strip(),
                                      category_id=category_id)
        resolution.status = Resolution.Status.IN_PROGRESS
    resolution.save()
    if topic is not None:
        if topic.state in (Topic.State.OPEN, Topic.State.ACCEPTED):
            topic.state = Topic.State.DECIDED  # public only if the community published a decision (decided_at)
            topic.save(update_fields=["state"])
        record_event(topic=topic, kind="resolution", actor=actor, text=resolution.title,
                                  for_supporters=True)
    audit.record(actor=actor, action="consultation.resolution.adopt", target=resolution, region_code=code,
                 detail={"case": resolution.case_id, "due_on": str(due_on)})
    return resolution


@transaction.atomic
def update_resolution(*, actor, resolution_id: int, status: str, progress: int) -> Resolution:
    resolution = Resolution.objects.select_for_update().get_managed(actor, pk=resolution_id)
    if status not in Resolution.Status.values or not 0 <= int(progress) <= 100:
        raise ValidationFailed(code="invalid_status", field="status")
    if resolution.case_id and status == Resolution.Status.DONE and resolution.case.state != State.CLOSED:
        raise WrongState(_("This resolution is done when its case is closed."))
    resolution.status, resolution.progress = status, 100 if status == Resolution.Status.DONE else int(progress)
    resolution.done_on = timezone.localdate() if status == Resolution.Status.DONE else None
    resolution.save()
    audit.record(actor=actor, action="consultation.resolution.update", target=resolution,
                 region_code=resolution.region_code, detail={"status": status, "progress": resolution.progress})
    return resolution


@transaction.atomic
def add_milestone(*, actor, resolution_id: int, title: str, done_on: date | None = None) -> Milestone:
    resolution = Resolution.objects.get_managed(actor, pk=resolution_id)
    made = Milestone.objects.create(resolution=resolution, title=text_between(title, field="milestone", high=120),
                                    done_on=done_on)
    audit.record(actor=actor, action="consultation.resolution.milestone", target=resolution,
                 region_code=resolution.region_code)
    return made


@transaction.atomic
def publish_resolution(*, actor, resolution_id: int) -> Resolution:
    resolution = Resolution.objects.select_for_update().get_managed(actor, pk=resolution_id)
    resolution.published_at = resolution.published_at or timezone.now()
    resolution.save(update_fields=["published_at"])
    audit.record(actor=actor, action="consultation.resolution.publish", target=resolution,
                 region_code=resolution.region_code)
    return resolution


def follow_case(*, case, before: str, after: str, actor) -> None:
    """Called by cases inside the transaction of every state change: a closed case makes its resolution done
    (and tells the topic's supporters); a reopened one puts it back in progress."""
    if case.channel != Channel.CONSULTATION:
        return
    resolution = Resolution.objects.select_for_update().filter(case=case).first()
    if resolution is None:
        return
    if after == State.CLOSED:
        resolution.status, resolution.progress, resolution.done_on = Resolution.Status.DONE, 100, timezone.localdate()
        note = _("The case %(number)s was closed: the resolution is done.") % {"number": case.number}
    elif before == State.CLOSED:
        resolution.status, resolution.done_on = Resolution.Status.IN_PROGRESS, None
        note = _("The case %(number)s was reopened.") % {"number": case.number}
    else:
        return
    resolution.save()
    if resolution.topic_id:
        record_event(topic_id=resolution.topic_id, kind="case_closed" if after == State.CLOSED
                                  else "case_reopened", actor=actor, text=note, for_supporters=True)
    audit.record(actor=actor, action="consultation.resolution.follow_case", target=resolution,
                 region_code=resolution.region_code, detail={"case": case.pk, "case_state": after})
