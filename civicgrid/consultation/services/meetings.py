"""Consultation meetings (社情恳谈会): agenda, invitations by party, sign-in, minutes approved and then locked."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.consultation.errors import MinutesLocked, WrongState
from civicgrid.consultation.models import (
    CompoundKind,
    HonoraryDirector,
    Invitee,
    Meeting,
    MinutesVersion,
    Party,
    Topic,
)
from civicgrid.consultation.services.common import managed_community, record_event, text_between
from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.territory.models import Place


def _agenda(code: str, topic_ids) -> list[Topic]:
    ids = {int(pk) for pk in topic_ids or []}
    topics = list(Topic.objects.within(code).filter(pk__in=ids, state=Topic.State.ACCEPTED))
    if len(topics) != len(ids):
        raise ValidationFailed(_("The agenda takes accepted topics of this community only."),
                               code="topic_not_accepted", field="topics")
    return topics


@transaction.atomic
def plan_meeting(*, actor, community: str, title: str, starts_at: datetime, place_id: int | None = None,
                 room: str = "", topic_ids=(), compound_kind: str = "") -> Meeting:
    code = managed_community(actor, community)
    place = None
    if place_id:
        place = Place.objects.within(code).filter(pk=place_id).first()
        if place is None:
            raise ValidationFailed(_("Choose a place of this community."), code="unknown_place", field="place")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationFailed(code="invalid_time", field="starts_at")
    topics = _agenda(code, topic_ids)
    kind = compound_kind or (topics[0].compound_kind if len({t.compound_kind for t in topics}) == 1 else "")
    meeting = Meeting.objects.create(region_code=code, title=text_between(title, field="title", high=120),
                                     starts_at=starts_at, place=place, place_text=(room or "")[:100],
                                     compound_kind=kind if kind in CompoundKind.values else CompoundKind.MIXED,
                                     created_by=actor)
    meeting.topics.set(topics)
    for topic in topics:
        record_event(topic=topic, kind="meeting_planned", actor=actor, for_supporters=True,
                                  text=f"{meeting.title} · {timezone.localtime(starts_at):%Y-%m-%d %H:%M}")
    audit.record(actor=actor, action="consultation.meeting.plan", target=meeting, region_code=code,
                 detail={"topics": [t.pk for t in topics]})
    return meeting


@transaction.atomic
def publish_meeting(*, actor, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().get_managed(actor, pk=meeting_id)
    meeting.published_at = meeting.published_at or timezone.now()
    meeting.save(update_fields=["published_at"])
    audit.record(actor=actor, action="consultation.meeting.publish", target=meeting, region_code=meeting.region_code)
    return meeting


@transaction.atomic
def invite(*, actor, meeting_id: int, name: str, party: str, director_id: int | None = None) -> Invitee:
    meeting = Meeting.objects.get_managed(actor, pk=meeting_id)
    if party not in Party.values:
        raise ValidationFailed(code="invalid_party", field="party")
    director = None
    if director_id:
        director = HonoraryDirector.objects.within(meeting.region_code).filter(pk=director_id).first()
        if director is None:
            raise ValidationFailed(code="unknown_director", field="director")
        name, party = name or director.name, Party.DIRECTOR
    invitee = Invitee.objects.create(meeting=meeting, name=text_between(name, field="name", low=1, high=50),
                                     party=party, director=director, user=director.user if director else None)
    audit.record(actor=actor, action="consultation.meeting.invite", target=invitee, region_code=meeting.region_code,
                 detail={"party": party})
    return invitee


@transaction.atomic
def sign_in(*, actor, invitee_id: int) -> Invitee:
    """Staff tick an invitee on the sign-in sheet."""
    invitee = Invitee.objects.select_for_update().get_managed(actor, pk=invitee_id)
    if invitee.signed_in_at is None:
        invitee.signed_in_at, invitee.signed_in_by_staff = timezone.now(), True
        invitee.save(update_fields=["signed_in_at", "signed_in_by_staff"])
        audit.record(actor=actor, action="consultation.meeting.sign_in", target=invitee,
                     region_code=invitee.meeting.region_code)
    return invitee


@transaction.atomic
def scan_checkin(*, actor, token: str) -> Invitee:
    """An invitee with an account opens the meeting's QR code and signs in themselves."""
    meeting = Meeting.objects.filter(checkin_token=token or "-").first()
    invitee = None
    if meeting is not None and getattr(actor, "is_authenticated", False):
        invitee = Invitee.objects.select_for_update().filter(meeting=meeting, user=actor).first()
    if invitee is None:
        raise NotFound(_("You are not on this meeting's list of invitees."))
    if invitee.signed_in_at is None:
        invitee.signed_in_at = timezone.now()
        invitee.save(update_fields=["signed_in_at"])
        audit.record(actor=actor, action="consultation.meeting.scan", target=invitee, region_code=meeting.region_code)
    return invitee


@transaction.atomic
def save_minutes(*, actor, meeting_id: int, text: str, closing_report: str = "", amend: bool = False) -> MinutesVersion:
    """Write the draft minutes; once approved they are locked and `amend=True` starts the next version."""
    meeting = Meeting.objects.select_for_update().get_managed(actor, pk=meeting_id)
    latest = meeting.minutes_versions.order_by("-version").first()
    text = text_between(text, field="minutes", high=50000)
    if latest is not None and latest.approved_at is not None and not amend:
        raise MinutesLocked()
    if latest is None or latest.approved_at is not None:
        number = (meeting.minutes_versions.aggregate(top=Max("version"))["top"] or 0) + 1
        latest = MinutesVersion(meeting=meeting, version=number)
    latest.text, latest.closing_report, latest.author = text, (closing_report or "")[:20000], actor
    latest.save()
    if meeting.state == Meeting.State.PLANNED:
        meeting.state = Meeting.State.HELD
        meeting.save(update_fields=["state"])
    audit.record(actor=actor, action="consultation.minutes.save", target=meeting, region_code=meeting.region_code,
                 detail={"version": latest.version})
    return latest


@transaction.atomic
def approve_minutes(*, actor, meeting_id: int) -> MinutesVersion:
    meeting = Meeting.objects.select_for_update().get_managed(actor, pk=meeting_id)
    latest = meeting.minutes_versions.order_by("-version").first()
    if latest is None or latest.approved_at is not None:
        raise WrongState()
    latest.approved_at, latest.approved_by = timezone.now(), actor
    latest.save(update_fields=["approved_at", "approved_by"])
    meeting.state = Meeting.State.APPROVED
    meeting.save(update_fields=["state"])
    audit.record(actor=actor, action="consultation.minutes.approve", target=meeting,
                 region_code=meeting.region_code, detail={"version": latest.version})
    return latest
