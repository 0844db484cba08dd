"""The non-public enterprise registry and the office buildings (territory places of kind office_building)."""

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit, creditcode
from civicgrid.core.errors import ValidationFailed
from civicgrid.partybuilding.errors import NotAnOfficeBuilding
from civicgrid.partybuilding.models import BuildingProfile, Enterprise, EnterpriseSize
from civicgrid.partybuilding.services.common import count, managed_region, text
from civicgrid.territory.models import Level, Place, PlaceKind
from civicgrid.volunteering.models import Shop


@transaction.atomic
def register_building(*, actor, place_id: int, floors: int, committee: str = "") -> BuildingProfile:
    place = Place.objects.get_managed(actor, pk=place_id)
    if place.kind != PlaceKind.OFFICE_BUILDING:
        raise NotAnOfficeBuilding(field="place_id")
    if BuildingProfile.objects.filter(place=place).exists():
        raise ValidationFailed(_("This building is already registered."), code="building_registered",
                               field="place_id")
    building = BuildingProfile(place=place, floors=count(floors, field="floors", low=1, high=200),
                               committee=text(committee, field="committee", high=100, required=False))
    building.save()
    audit.record(actor=actor, action="partybuilding.building.register", target=building,
                 region_code=building.region_code, detail={"place": place.pk, "floors": building.floors})
    return building


def _location(actor, building_id, region_code) -> tuple[str, BuildingProfile | None]:
    if building_id:
        building = BuildingProfile.objects.get_managed(actor, pk=building_id)
        return building.region_code, building
    region = managed_region(actor, region_code)
    if region.level != Level.GRID:
        raise ValidationFailed(_("An enterprise outside a registered building is placed in a grid."),
                               code="grid_required", field="region_code")
    return region.code, None


def _shop(actor, shop_id: int | None) -> Shop | None:
    return Shop.objects.get_visible(actor, pk=shop_id) if shop_id else None


@transaction.atomic
def register_enterprise(*, actor, name: str, credit_code: str, size: str, industry: str = "",
                        building_id: int | None = None, region_code: str = "", employees: int = 0,
                        party_members: int = 0, partner_shop_id: int | None = None) -> Enterprise:
    """The credit code is checked (GB 32100 check character) before anything else is looked at."""
    code = creditcode.clean_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationFailed(_("An enterprise with this credit code is already registered."),
                               code="credit_code_registered", field="credit_code")
    if size not in EnterpriseSize.values:
        raise ValidationFailed(_("Choose a size."), code="invalid_size", field="size")
    where, building = _location(actor, building_id, region_code)
    enterprise = Enterprise(name=text(name, field="name", high=150), credit_code=code, size=size,
                            industry=text(industry, field="industry", high=50, required=False), building=building,
                            region_code=where, employees=count(employees, field="employees", high=10**6),
                            party_members=count(party_members, field="party_members", high=10**5),
                            partner_shop=_shop(actor, partner_shop_id))
    enterprise.full_clean()
    enterprise.save()
    audit.record(actor=actor, action="partybuilding.enterprise.register", target=enterprise, region_code=where,
                 detail={"size": size, "employees": enterprise.employees,
                         "building": building.pk if building else None})
    return enterprise


@transaction.atomic
def update_enterprise(*, actor, enterprise_id: int, employees: int, party_members: int,
                      partner_shop_id: int | None = None) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get_managed(actor, pk=enterprise_id)
    enterprise.employees = count(employees, field="employees", high=10**6)
    enterprise.party_members = count(party_members, field="party_members", high=10**5)
    enterprise.partner_shop = _shop(actor, partner_shop_id)
    enterprise.full_clean()
    enterprise.save()
    audit.record(actor=actor, action="partybuilding.enterprise.update", target=enterprise,
                 region_code=enterprise.region_code,
                 detail={"employees": enterprise.employees, "party_members": enterprise.party_members})
    return enterprise
