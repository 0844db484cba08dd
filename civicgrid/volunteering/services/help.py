"""Help requests from vulnerable residents: asked, accepted by a volunteer, completed into a service record
kept by the community's team, escalated to the community when nobody answers."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.people.models import Resident
from civicgrid.volunteering import events
from civicgrid.volunteering.errors import DuplicateRequest, InvalidState
from civicgrid.volunteering.models import HelpRequest, ServiceRecord, Team, Volunteer
from civicgrid.volunteering.policy import policy
from civicgrid.volunteering.selectors import volunteer_of


def _resident_for(actor, resident_id: int) -> Resident:
    """A resident the actor manages, or the actor's own resident record (a volunteer asking for themselves)."""
    own = Volunteer.objects.filter(user_id=actor.pk, resident_id=resident_id).exists()
    residents = Resident.objects.all() if own else Resident.objects.managed_by(actor)
    resident = residents.select_related("place").filter(pk=resident_id).first()
    if resident is None:
        raise NotFound()
    return resident


def ask_for_help(*, actor, resident_id: int, kind: str, description: str, needed_at: datetime) -> HelpRequest:
    if kind not in HelpRequest.Kind.values:
        raise ValidationFailed(_("Unknown choice."), code="invalid_choice", field="kind")
    description = " ".join(str(description).split())[:500]
    if not description:
        raise ValidationFailed(_("Describe what help is needed."), code="required", field="description")
    with transaction.atomic():
        resident = _resident_for(actor, resident_id)
        if HelpRequest.objects.filter(resident=resident, kind=kind, needed_at=needed_at,
                                      status__in=[HelpRequest.Status.OPEN, HelpRequest.Status.ACCEPTED]).exists():
            raise DuplicateRequest()
        request = HelpRequest.objects.create(resident=resident, kind=kind, description=description,
                                             needed_at=needed_at, created_by=actor)
        audit.record(actor=actor, action="volunteering.help.ask", target=request, region_code=request.region_code)
        events.help_asked(request)
    return request


def accept_help(*, actor, request_id: int) -> HelpRequest:
    volunteer = volunteer_of(actor)
    if volunteer.verified_at is None:
        raise InvalidState(_("Your registration is not verified yet."), code="not_verified")
    with transaction.atomic():
        request = HelpRequest.objects.within(volunteer.region_code[:9]).select_for_update().filter(
            pk=request_id).first()
        if request is None:
            raise NotFound()
        if request.status == HelpRequest.Status.ACCEPTED and request.volunteer_id == volunteer.pk:
            return request
        if request.status != HelpRequest.Status.OPEN:
            raise InvalidState(_("Someone else has taken this request."), code="already_taken")
        request.status, request.volunteer, request.accepted_at = HelpRequest.Status.ACCEPTED, volunteer, timezone.now()
        request.save(update_fields=["status", "volunteer", "accepted_at"])
        audit.record(actor=actor, action="volunteering.help.accept", target=request, region_code=request.region_code)
    return request


def community_team(region_code: str) -> Team:
    """The community's own team keeps the records of help it coordinates (谁组织谁记录)."""
    community = region_code[:12]
    team = Team.objects.filter(region_code=community, kind=Team.Kind.COMMUNITY, org_user=None).order_by("pk").first()
    return team or Team.objects.create(region_code=community, kind=Team.Kind.COMMUNITY,
                                       name=gettext("Community volunteer service team"))


def complete_help(*, actor, request_id: int, minutes: int, note: str = "") -> ServiceRecord:
    """The volunteer reports the help done: a record awaiting the community's confirmation."""
    volunteer = volunteer_of(actor)
    if not 0 < minutes <= 12 * 60:
        raise ValidationFailed(_("Give the minutes spent."), code="invalid_minutes", field="minutes")
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update().filter(pk=request_id, volunteer=volunteer).first()
        if request is None:
            raise NotFound()
        if request.status == HelpRequest.Status.COMPLETED:
            return request.record
        if request.status != HelpRequest.Status.ACCEPTED:
            raise InvalidState()
        now = timezone.now()
        request.status, request.completed_at = HelpRequest.Status.COMPLETED, now
        request.save(update_fields=["status", "completed_at"])
        groups = list(request.resident.groups.values_list("group", flat=True))
        record = ServiceRecord.objects.create(
            volunteer=volunteer, team=community_team(request.region_code), help_request=request,
            service_date=timezone.localdate(now), started_at=now - timedelta(minutes=minutes), ended_at=now,
            place_name=request.resident.place.name, content=f"{request.get_kind_display()}：{note}"[:500] if note
            else str(request.get_kind_display()), minutes=minutes, target_groups=groups, created_by=actor)
        audit.record(actor=actor, action="volunteering.help.complete", target=request, region_code=request.region_code,
                     detail={"record": record.pk, "minutes": minutes})
    return record


def escalate_unanswered(*, now=None) -> int:
    """Open requests nobody accepted in time are flagged to the community (once each)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=policy().help_escalation_hours)
    count = 0
    with transaction.atomic():
        due = list(HelpRequest.objects.select_for_update().filter(
            status=HelpRequest.Status.OPEN, escalated_at__isnull=True, created_at__lt=cutoff))
        for request in due:
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            audit.record(actor=None, action="volunteering.help.escalate", target=request,
                         region_code=request.region_code)
            events.help_escalated(request)
            count += 1
    return count
