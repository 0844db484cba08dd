"""Party members as a role of people: registration, reporting to the community of residence (在职党员到社区报到),
the grid they serve (党员在格上), commitments and services. A volunteering service is linked, never copied."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.partybuilding.errors import RecordAlreadyCounted
from civicgrid.partybuilding.models import Commitment, MemberService, PartyMember, PartyOrganization
from civicgrid.partybuilding.services.common import count, text
from civicgrid.people.models import Resident
from civicgrid.territory.models import Level, Region
from civicgrid.volunteering.models import ServiceRecord


@transaction.atomic
def register_member(*, actor, resident_id: int, organization_id: int, employed: bool = False,
                    joined_on: date | None = None) -> PartyMember:
    """The resident (in the actor's area) becomes a member of an organization the actor can see."""
    resident = Resident.objects.get_managed(actor, pk=resident_id)
    organization = PartyOrganization.objects.get_visible(actor, pk=organization_id)
    if PartyMember.objects.filter(resident=resident).exists():
        raise ValidationFailed(_("This resident is already registered as a party member."),
                               code="already_member", field="resident_id")
    member = PartyMember(resident=resident, organization=organization, region_code=resident.region_code,
                         employed=bool(employed), joined_on=joined_on)
    member.full_clean()
    member.save()
    audit.record(actor=actor, action="partybuilding.member.register", target=member,
                 region_code=member.region_code, detail={"organization": organization.pk, "employed": member.employed})
    return member


def _grid_of_community(member: PartyMember, grid_code: str) -> Region:
    grid = Region.objects.filter(code=(grid_code or "").strip(), level=Level.GRID).first()
    if grid is None or grid.code[:12] != member.region_code[:12]:
        raise ValidationFailed(_("Choose a grid of the community where the member lives."), code="grid_outside",
                               field="grid_code")
    return grid


@transaction.atomic
def report_to_community(*, actor, member_id: int, reported_on: date, grid_code: str) -> PartyMember:
    """An employed member reports to the community of residence and takes on a grid there."""
    member = PartyMember.objects.select_for_update().get_managed(actor, pk=member_id)
    if reported_on is None or reported_on > date.today():
        raise ValidationFailed(_("Give the day the member reported (not in the future)."), code="invalid_date",
                               field="reported_on")
    member.reported_on, member.grid = reported_on, _grid_of_community(member, grid_code)
    member.save(update_fields=["reported_on", "grid"])
    audit.record(actor=actor, action="partybuilding.member.report", target=member, region_code=member.region_code,
                 detail={"grid": member.grid.code, "reported_on": str(reported_on)})
    return member


@transaction.atomic
def add_commitment(*, actor, member_id: int, year: int, text_: str, hours: int = 0) -> Commitment:
    member = PartyMember.objects.get_managed(actor, pk=member_id)
    made = Commitment(member=member, year=count(year, field="year", low=2000, high=2100),
                      text=text(text_, field="text", high=300), hours=count(hours, field="hours", high=2000))
    made.full_clean()
    made.save()
    audit.record(actor=actor, action="partybuilding.member.commit", target=member, region_code=member.region_code,
                 detail={"year": made.year, "hours": made.hours})
    return made


@transaction.atomic
def record_service(*, actor, member_id: int, service_date: date, content: str, minutes: int) -> MemberService:
    """A service that is not volunteering (volunteering services are linked: see `link_volunteer_record`)."""
    member = PartyMember.objects.get_managed(actor, pk=member_id)
    if service_date is None or service_date > date.today():
        raise ValidationFailed(_("Give the day of the service (not in the future)."), code="invalid_date",
                               field="service_date")
    made = MemberService(member=member, service_date=service_date, content=text(content, field="content", high=300),
                         minutes=count(minutes, field="minutes", low=1, high=24 * 60))
    made.full_clean()
    made.save()
    audit.record(actor=actor, action="partybuilding.member.service", target=member, region_code=member.region_code,
                 detail={"minutes": made.minutes})
    return made


@transaction.atomic
def link_volunteer_record(*, actor, member_id: int, record_id: int) -> MemberService:
    """Count a confirmed volunteering record of the member's own as party service: one record, counted once."""
    member = PartyMember.objects.select_for_update().get_managed(actor, pk=member_id)
    record = ServiceRecord.objects.select_related("volunteer").filter(pk=record_id).first()
    if record is None or record.volunteer.resident_id != member.resident_id:
        raise ValidationFailed(_("Choose a volunteering record of this member."), code="not_members_record",
                               field="record_id")
    if record.status != ServiceRecord.Status.CONFIRMED:
        raise ValidationFailed(_("Only confirmed volunteering records count."), code="record_not_confirmed",
                               field="record_id")
    try:
        with transaction.atomic():
            made = MemberService.objects.create(member=member, volunteer_record=record)
    except IntegrityError:
        raise RecordAlreadyCounted(field="record_id") from None
    if member.volunteer_id is None:
        member.volunteer = record.volunteer
        member.save(update_fields=["volunteer"])
    audit.record(actor=actor, action="partybuilding.member.link_record", target=member,
                 region_code=member.region_code, detail={"record": record.pk})
    return made


@transaction.atomic
def close_commitment(*, actor, commitment_id: int, closed_on: date, outcome: str) -> Commitment:
    """A commitment is closed once, with what came of it; a closed commitment is not closed again."""
    made = Commitment.objects.select_for_update(of=("self",)).select_related("member").get_managed(
        actor, pk=commitment_id)
    if made.closed_on is not None:
        raise ValidationFailed(_("This commitment is already closed."), code="commitment_closed",
                               field="commitment_id")
    if closed_on is None or closed_on > date.today():
        raise ValidationFailed(_("Give the day the commitment was closed (not in the future)."),
                               code="invalid_date", field="closed_on")
    made.closed_on, made.outcome = closed_on, text(outcome, field="outcome", high=300)
    made.save(update_fields=["closed_on", "outcome"])
    audit.record(actor=actor, action="partybuilding.member.close_commitment", target=made.member,
                 region_code=made.member.region_code, detail={"commitment": made.pk, "closed_on": str(closed_on)})
    return made
