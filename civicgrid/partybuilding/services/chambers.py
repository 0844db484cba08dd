"""Chambers of commerce among the non-public enterprises of office buildings (在商务楼宇非公企业中成立商会): the
chamber, its buildings, its member enterprises (tenants of those buildings only), its party organization, its entry
in the organizations registry (chosen within the actor's jurisdiction) and its activities."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit, creditcode
from civicgrid.core.errors import ValidationFailed
from civicgrid.organizations import selectors as registry
from civicgrid.organizations.models import Organization
from civicgrid.partybuilding.models import BuildingProfile, Chamber, ChamberActivity, Enterprise, PartyOrganization
from civicgrid.partybuilding.services.common import text


def _registry_entry(actor, entry_id: int | None) -> Organization | None:
    """An organization of the registry as the actor sees it (404 outside their jurisdiction)."""
    return registry.organization_detail(actor=actor, organization_id=entry_id) if entry_id else None


def _party(actor, organization_id: int | None) -> PartyOrganization | None:
    return PartyOrganization.objects.get_visible(actor, pk=organization_id) if organization_id else None


def _not_a_tenant():
    return ValidationFailed(_("Member enterprises are tenants of the chamber's buildings."), code="not_a_tenant",
                            field="enterprise_id")


def _locked(actor, chamber_id: int) -> Chamber:
    Chamber.objects.get_managed(actor, pk=chamber_id)
    return Chamber.objects.select_for_update(of=("self",)).get(pk=chamber_id)


@transaction.atomic
def create_chamber(*, actor, name: str, building_ids, enterprise_ids=(), organization_id: int | None = None,
                   registry_entry_id: int | None = None, credit_code: str = "",
                   founded_on: date | None = None) -> Chamber:
    buildings = [BuildingProfile.objects.get_managed(actor, pk=pk) for pk in building_ids or ()]
    if not buildings:
        raise ValidationFailed(_("Name the building(s) of the chamber."), code="building_required",
                               field="building_ids")
    enterprises = [Enterprise.objects.get_managed(actor, pk=pk) for pk in enterprise_ids or ()]
    if any(e.building_id not in {b.pk for b in buildings} for e in enterprises):
        raise _not_a_tenant()
    code = creditcode.clean_credit_code(credit_code) if (credit_code or "").strip() else ""
    chamber = Chamber.objects.create(name=text(name, field="name", high=100),
                                     region_code=buildings[0].region_code[:12], credit_code=code,
                                     organization=_party(actor, organization_id),
                                     registry_entry=_registry_entry(actor, registry_entry_id), founded_on=founded_on)
    chamber.buildings.set(buildings)
    chamber.enterprises.set(enterprises)
    audit.record(actor=actor, action="partybuilding.chamber.create", target=chamber, region_code=chamber.region_code,
                 detail={"buildings": len(buildings), "enterprises": len(enterprises),
                         "registry_entry": registry_entry_id})
    return chamber


@transaction.atomic
def add_chamber_member(*, actor, chamber_id: int, enterprise_id: int) -> Chamber:
    chamber = _locked(actor, chamber_id)
    enterprise = Enterprise.objects.get_managed(actor, pk=enterprise_id)
    if not chamber.buildings.filter(pk=enterprise.building_id).exists():
        raise _not_a_tenant()
    if chamber.enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationFailed(_("The enterprise is already a member of the chamber."), code="already_member",
                               field="enterprise_id")
    chamber.enterprises.add(enterprise)
    audit.record(actor=actor, action="partybuilding.chamber.member_add", target=chamber,
                 region_code=chamber.region_code, detail={"enterprise": enterprise.pk})
    return chamber


@transaction.atomic
def remove_chamber_member(*, actor, chamber_id: int, enterprise_id: int) -> Chamber:
    chamber = _locked(actor, chamber_id)
    enterprise = chamber.enterprises.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ValidationFailed(_("The enterprise is not a member of the chamber."), code="not_a_member",
                               field="enterprise_id")
    chamber.enterprises.remove(enterprise)
    audit.record(actor=actor, action="partybuilding.chamber.member_remove", target=chamber,
                 region_code=chamber.region_code, detail={"enterprise": enterprise.pk})
    return chamber


@transaction.atomic
def link_chamber_building(*, actor, chamber_id: int, building_id: int) -> Chamber:
    chamber = _locked(actor, chamber_id)
    building = BuildingProfile.objects.get_managed(actor, pk=building_id)
    if chamber.buildings.filter(pk=building.pk).exists():
        raise ValidationFailed(_("The building is already linked to the chamber."), code="building_linked",
                               field="building_id")
    chamber.buildings.add(building)
    audit.record(actor=actor, action="partybuilding.chamber.building_link", target=chamber,
                 region_code=chamber.region_code, detail={"building": building.pk})
    return chamber


@transaction.atomic
def unlink_chamber_building(*, actor, chamber_id: int, building_id: int) -> Chamber:
    """A chamber keeps at least one building, and no member enterprise outside its buildings."""
    chamber = _locked(actor, chamber_id)
    building = chamber.buildings.filter(pk=building_id).first()
    if building is None:
        raise ValidationFailed(_("The building is not linked to the chamber."), code="building_not_linked",
                               field="building_id")
    if chamber.buildings.count() == 1:
        raise ValidationFailed(_("A chamber keeps at least one building."), code="building_required",
                               field="building_id")
    if chamber.enterprises.filter(building=building).exists():
        raise ValidationFailed(_("Remove the building's member enterprises first."), code="building_has_members",
                               field="building_id")
    chamber.buildings.remove(building)
    audit.record(actor=actor, action="partybuilding.chamber.building_unlink", target=chamber,
                 region_code=chamber.region_code, detail={"building": building.pk})
    return chamber


@transaction.atomic
def link_chamber(*, actor, chamber_id: int, organization_id: int | None = None,
                 registry_entry_id: int | None = None) -> Chamber:
    """Set (or clear, with none) the chamber's party organization and its entry in the organizations registry."""
    chamber = _locked(actor, chamber_id)
    before = {"organization": chamber.organization_id, "registry_entry": chamber.registry_entry_id}
    chamber.organization = _party(actor, organization_id)
    chamber.registry_entry = _registry_entry(actor, registry_entry_id)
    chamber.save(update_fields=["organization", "registry_entry"])
    audit.record(actor=actor, action="partybuilding.chamber.link", target=chamber, region_code=chamber.region_code,
                 detail={"before": before, "after": {"organization": chamber.organization_id,
                                                     "registry_entry": chamber.registry_entry_id}})
    return chamber


@transaction.atomic
def add_chamber_activity(*, actor, chamber_id: int, title: str, held_on: date) -> ChamberActivity:
    chamber = Chamber.objects.get_managed(actor, pk=chamber_id)
    if held_on is None or held_on > date.today():
        raise ValidationFailed(_("Give the day the activity was held (not in the future)."), code="invalid_date",
                               field="held_on")
    made = ChamberActivity.objects.create(chamber=chamber, title=text(title, field="title", high=100),
                                          held_on=held_on)
    audit.record(actor=actor, action="partybuilding.chamber.activity", target=chamber,
                 region_code=chamber.region_code, detail={"activity": made.pk})
    return made
