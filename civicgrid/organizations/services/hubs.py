"""Hub organizations (枢纽型): a subdistrict designates at most one hub per field; the hub takes in member
organizations (with dates) and runs joint activities with them."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.organizations.errors import HubAlreadyDesignated, WrongState
from civicgrid.organizations.models import Field, Hub, HubMembership, JointActivity, Organization
from civicgrid.organizations.services.common import count, day, is_office, text
from civicgrid.organizations.services.records import money
from civicgrid.territory.models import Level, Region


def _subdistrict(actor, code) -> Region:
    region = Region.objects.filter(code=str(code or ""), level=Level.SUBDISTRICT).first()
    if region is None:
        raise ValidationFailed(_("Choose a subdistrict."), code="unknown_region", field="subdistrict")
    ensure_manages(actor, region.code)
    return region


@transaction.atomic
def designate_hub(*, actor, organization_id: int, subdistrict_code: str, field: str, designated_on,
                  resources: str = "") -> Hub:
    """Designate an active organization as the subdistrict's hub for a field. The subdistrict's row is locked
    while the rule is checked, and a partial unique index backs it: two offices designating at once get one hub."""
    subdistrict = _subdistrict(actor, subdistrict_code)
    if field not in Field.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="field")
    org = Organization.objects.get_visible(actor, pk=organization_id)
    if org.status != Organization.Status.ACTIVE:
        raise ValidationFailed(_("Only an active organization can be a hub."), code="organization_inactive",
                               field="organization")
    Region.objects.select_for_update().filter(pk=subdistrict.pk).first()  # serializes designations here
    if Hub.objects.filter(region_code=subdistrict.code, field=field, designated=True).exists():
        raise HubAlreadyDesignated()
    hub = Hub(organization=org, subdistrict=subdistrict, field=field, designated=True,
              designated_on=day(designated_on, field="designated_on"),
              resources=text(resources, field="resources", limit=2000, required=False))
    try:
        with transaction.atomic():
            hub.save()
    except IntegrityError:
        raise HubAlreadyDesignated() from None
    audit.record(actor=actor, action="organizations.hub.designate", target=hub, region_code=hub.region_code,
                 detail={"field": field, "organization": org.pk})
    return hub


@transaction.atomic
def end_designation(*, actor, hub_id: int, ended_on, reason: str) -> Hub:
    hub = Hub.objects.get_managed(actor, pk=hub_id)
    if not is_office(actor):
        raise PermissionDenied()
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    if not hub.designated:
        raise WrongState()
    ended = day(ended_on, field="ended_on")
    if ended < hub.designated_on:  # type: ignore[operator]
        raise ValidationFailed(_("The end is before the designation."), code="invalid_date", field="ended_on")
    hub.designated, hub.ended_on = False, ended
    hub.save(update_fields=["designated", "ended_on"])
    audit.record(actor=actor, action="organizations.hub.end", target=hub, region_code=hub.region_code,
                 detail={"reason": text(reason, field="reason", limit=500)})
    return hub


def _managed_hub(actor, hub_id) -> Hub:
    """The hub's office or the hub organization's own accounts act for a hub."""
    return Hub.objects.get_managed(actor, pk=hub_id)


@transaction.atomic
def add_member(*, actor, hub_id: int, member_id: int, joined_on, note: str = "") -> HubMembership:
    hub = _managed_hub(actor, hub_id)
    if not hub.designated:
        raise WrongState(_("The hub's designation has ended."))
    member = Organization.objects.filter(pk=member_id, status=Organization.Status.ACTIVE).first()
    if member is None or member.region_code[:6] != hub.region_code[:6]:
        raise ValidationFailed(_("Choose an active organization of the district."), code="unknown_organization",
                               field="member")
    if member.pk == hub.organization_id:
        raise ValidationFailed(_("A hub is not its own member."), code="self_member", field="member")
    if HubMembership.objects.filter(hub=hub, member=member, left_on__isnull=True).exists():
        raise ValidationFailed(_("Already a member."), code="already_member", field="member")
    membership = HubMembership(hub=hub, member=member, joined_on=day(joined_on, field="joined_on"),
                               note=text(note, field="note", limit=200, required=False))
    membership.save()
    audit.record(actor=actor, action="organizations.hub.member.add", target=membership, region_code=hub.region_code,
                 detail={"member": member.pk})
    return membership


@transaction.atomic
def end_membership(*, actor, membership_id: int, left_on) -> HubMembership:
    membership = HubMembership.objects.get_managed(actor, pk=membership_id)
    if membership.left_on is not None:
        raise WrongState()
    left = day(left_on, field="left_on")
    if left < membership.joined_on:  # type: ignore[operator]
        raise ValidationFailed(_("The leaving date is before the joining date."), code="invalid_date",
                               field="left_on")
    membership.left_on = left
    membership.save(update_fields=["left_on"])
    audit.record(actor=actor, action="organizations.hub.member.leave", target=membership,
                 region_code=membership.hub.region_code, detail={"member": membership.member_id})
    return membership


@transaction.atomic
def record_joint_activity(*, actor, hub_id: int, title: str, held_on, member_ids=(), participants=0,
                          volunteer_hours=0, funds=0, place_name: str = "", description: str = "") -> JointActivity:
    hub = _managed_hub(actor, hub_id)
    held = day(held_on, field="held_on")
    wanted = {int(pk) for pk in member_ids or []}
    current = set(HubMembership.objects.filter(hub=hub, member_id__in=wanted, joined_on__lte=held)
                  .exclude(left_on__lt=held).values_list("member_id", flat=True))
    if wanted - current:
        raise ValidationFailed(_("Choose organizations that were members on that day."), code="not_a_member",
                               field="members")
    activity = JointActivity.objects.create(
        hub=hub, title=text(title, field="title", limit=200), held_on=held,
        place_name=text(place_name, field="place_name", limit=200, required=False),
        description=text(description, field="description", limit=5000, required=False),
        participants=count(participants, field="participants"),
        volunteer_hours=money(volunteer_hours, field="volunteer_hours"), funds=money(funds, field="funds"),
        created_by=actor)
    activity.members.set(sorted(current))
    audit.record(actor=actor, action="organizations.hub.activity", target=activity, region_code=hub.region_code,
                 detail={"members": len(current)})
    return activity
