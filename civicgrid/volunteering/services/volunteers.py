"""Volunteer registration and verification, teams and memberships, activities and shifts."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit, crypto
from civicgrid.core.encrypted import seal
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.personal import mask_id_number, mask_phone, normalize_id_number, normalize_phone
from civicgrid.core.scoping import ensure_manages, managed_area_of
from civicgrid.people.services import existing_id_number
from civicgrid.territory.models import Level, Region
from civicgrid.volunteering.errors import DuplicateRequest
from civicgrid.volunteering.models import (
    Account,
    Activity,
    Membership,
    Shift,
    Skill,
    TargetGroup,
    Team,
    Volunteer,
)
from civicgrid.volunteering.selectors import ensure_organizes, volunteer_of


def _community(code: str) -> Region:
    region = Region.objects.filter(code=code, level=Level.COMMUNITY).first()
    if region is None:
        raise ValidationFailed(_("Choose a community."), code="invalid_community", field="region_code")
    return region


def _clean_choices(values, allowed, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(v not in allowed for v in values):
        raise ValidationFailed(_("Unknown choice."), code="invalid_choice", field=field)
    return values


def _clean_weekdays(days) -> list[int]:
    days = sorted(set(days or []))
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise ValidationFailed(_("Weekdays are numbers from 0 (Monday) to 6."), code="invalid_choice",
                               field="available_weekdays")
    return days


def _position(resident, community: Region) -> tuple[float | None, float | None]:
    if resident is not None:
        return resident.place.lon, resident.place.lat
    if community.center_lon is None and community.boundary:
        from shapely.geometry import shape

        centre = shape(community.boundary).centroid
        return centre.x, centre.y
    return community.center_lon, community.center_lat


def register_volunteer(*, actor, name: str, id_number: str, phone: str, region_code: str, consent: bool,
                       skills=(), available_weekdays=()) -> Volunteer:
    """Register the signed-in user as a volunteer, linked to the resident with the same ID number."""
    if not consent:
        raise ValidationFailed(_("Registration needs your consent to keep your service records."),
                               code="consent_required", field="consent")
    name = " ".join(str(name).split())[:50]
    if not name:
        raise ValidationFailed(_("Enter a name."), code="required", field="name")
    number, phone = normalize_id_number(id_number), normalize_phone(phone)
    community = _community(region_code)
    with transaction.atomic():
        if Volunteer.objects.filter(user=actor).exists() or Volunteer.objects.filter(
                id_number_index__in=crypto.blind_index_candidates(number)).exists():
            raise DuplicateRequest(_("This person is already registered as a volunteer."))
        resident = existing_id_number(number)
        lon, lat = _position(resident, community)
        volunteer = Volunteer(
            user=actor, resident=resident, name=name, region_code=community.code,
            id_number_masked=mask_id_number(number), phone_masked=mask_phone(phone),
            skills=_clean_choices(skills, Skill.values, "skills"),
            available_weekdays=_clean_weekdays(available_weekdays), lon=lon, lat=lat, consent_at=timezone.now())
        seal(volunteer, "id_number", number)
        seal(volunteer, "phone", phone)
        volunteer.save()
        Account.objects.create(kind=Account.Kind.VOLUNTEER, volunteer=volunteer)
        audit.record(actor=actor, action="volunteering.volunteer.register", target=volunteer,
                     region_code=community.code, detail={"linked_resident": resident is not None})
    return volunteer


def verify_volunteer(*, actor, volunteer_id: int) -> Volunteer:
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().filter(pk=volunteer_id).first()
        if volunteer is None or not _may_verify(actor, volunteer):
            raise NotFound()
        if volunteer.verified_at is None:
            volunteer.verified_at, volunteer.verified_by = timezone.now(), actor
            volunteer.save(update_fields=["verified_at", "verified_by"])
            audit.record(actor=actor, action="volunteering.volunteer.verify", target=volunteer,
                         region_code=volunteer.region_code)
    return volunteer


def _may_verify(actor, volunteer: Volunteer) -> bool:
    return Volunteer.objects.managed_by(actor).filter(pk=volunteer.pk).exists()


def create_team(*, actor, name: str, region_code: str) -> Team:
    community = _community(region_code)
    if managed_area_of(actor) is not None:
        ensure_manages(actor, community.code)
        kind, org = Team.Kind.COMMUNITY, None
    elif actor.role == "social_org":
        kind, org = Team.Kind.SOCIAL_ORG, actor
    else:
        raise NotFound()
    name = " ".join(str(name).split())[:100]
    with transaction.atomic():
        if not name or Team.objects.filter(region_code=community.code, name=name).exists():
            raise ValidationFailed(_("Choose another team name."), code="invalid_name", field="name")
        team = Team.objects.create(name=name, kind=kind, region_code=community.code, org_user=org)
        audit.record(actor=actor, action="volunteering.team.create", target=team, region_code=team.region_code)
    return team


def join_team(*, actor, team_id: int) -> Membership:
    volunteer = volunteer_of(actor)
    with transaction.atomic():
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise NotFound()
        membership, created = Membership.objects.get_or_create(team=team, volunteer=volunteer)
        if created:
            audit.record(actor=actor, action="volunteering.team.join", target=membership, region_code=team.region_code)
    return membership


def verify_member(*, actor, membership_id: int) -> Membership:
    with transaction.atomic():
        membership = (Membership.objects.select_for_update(of=("self",)).select_related("team")
                      .filter(pk=membership_id).first())
        if membership is None:
            raise NotFound()
        ensure_organizes(actor, membership.team)
        if not membership.verified:
            membership.verified = True
            membership.save(update_fields=["verified"])
            audit.record(actor=actor, action="volunteering.team.verify_member", target=membership,
                         region_code=membership.team.region_code)
    return membership


def create_activity(*, actor, team_id: int, title: str, description: str = "", place_name: str = "",
                    target_groups=(), is_project: bool = False) -> Activity:
    title = " ".join(str(title).split())[:200]
    if not title:
        raise ValidationFailed(_("Enter a title."), code="required", field="title")
    with transaction.atomic():
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise NotFound()
        ensure_organizes(actor, team)
        activity = Activity.objects.create(
            team=team, title=title, description=str(description)[:5000], place_name=str(place_name)[:200],
            target_groups=_clean_choices(target_groups, TargetGroup.values, "target_groups"), is_project=is_project)
        audit.record(actor=actor, action="volunteering.activity.create", target=activity,
                     region_code=activity.region_code)
    return activity


def add_shift(*, actor, activity_id: int, starts_at, ends_at, capacity: int) -> Shift:
    if ends_at <= starts_at or (ends_at - starts_at).total_seconds() > 24 * 3600:
        raise ValidationFailed(_("A shift ends after it starts, within a day."), code="invalid_time",
                               field="ends_at")
    if capacity < 1 or capacity > 10_000:
        raise ValidationFailed(_("Capacity is between 1 and 10000."), code="invalid_capacity", field="capacity")
    with transaction.atomic():
        activity = Activity.objects.select_related("team").filter(pk=activity_id).first()
        if activity is None:
            raise NotFound()
        ensure_organizes(actor, activity.team)
        shift = Shift.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                                     checkin_token=secrets.token_urlsafe(18)[:24])
        audit.record(actor=actor, action="volunteering.shift.create", target=shift, region_code=activity.region_code)
    return shift
