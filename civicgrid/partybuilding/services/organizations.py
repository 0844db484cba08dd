"""Party organizations in their tree, and their joint-building partners (共建单位)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.organizations import selectors as registry
from civicgrid.partybuilding.models import BuildingProfile, Enterprise, OrgKind, Partner, PartyOrganization
from civicgrid.partybuilding.services.common import managed_region, text

JOINT_MINIMUM = 2  # a joint branch covers several small enterprises


def _where(actor, kind, region_code, building_id, enterprise_id) -> tuple[str, BuildingProfile | None,
                                                                       Enterprise | None]:
    building = BuildingProfile.objects.get_managed(actor, pk=building_id) if building_id else None
    enterprise = Enterprise.objects.get_managed(actor, pk=enterprise_id) if enterprise_id else None
    if kind == OrgKind.ENTERPRISE and enterprise is None:
        raise ValidationFailed(_("An enterprise's party organization names its enterprise."),
                               code="enterprise_required", field="enterprise_id")
    if kind == OrgKind.BUILDING and building is None:
        raise ValidationFailed(_("A building's party organization names its building."), code="building_required",
                               field="building_id")
    if enterprise is not None:
        return enterprise.region_code, building, enterprise
    if building is not None:
        return building.region_code, building, enterprise
    return managed_region(actor, region_code).code, None, None


def _parent(actor, parent_id, region_code) -> PartyOrganization | None:
    if not parent_id:
        return None
    parent = PartyOrganization.objects.get_visible(actor, pk=parent_id)
    if not region_code.startswith(parent.region_code):
        raise ValidationFailed(_("The parent organization must cover the area of the new one."),
                               code="parent_outside", field="parent_id")
    return parent


@transaction.atomic
def create_organization(*, actor, name: str, kind: str, region_code: str = "", parent_id: int | None = None,
                        building_id: int | None = None, enterprise_id: int | None = None, secretary: str = "",
                        founded_on: date | None = None, covered_enterprise_ids=(),
                        social_organization_id: int | None = None) -> PartyOrganization:
    if kind not in OrgKind.values:
        raise ValidationFailed(_("Unknown kind of organization."), code="invalid_kind", field="kind")
    code, building, enterprise = _where(actor, kind, region_code, building_id, enterprise_id)
    if enterprise is not None and PartyOrganization.objects.filter(enterprise=enterprise).exists():
        raise ValidationFailed(_("This enterprise already has its own party organization."),
                               code="enterprise_has_organization", field="enterprise_id")
    social = _social_organization(actor, kind, social_organization_id)
    covered = [Enterprise.objects.get_managed(actor, pk=pk) for pk in covered_enterprise_ids]
    if kind == OrgKind.JOINT and len(covered) < JOINT_MINIMUM:
        raise ValidationFailed(_("A joint party branch covers at least two enterprises."),
                               code="joint_needs_enterprises", field="covered_enterprise_ids")
    organization = PartyOrganization(name=text(name, field="name", high=100), kind=kind, region_code=code,
                                     parent=_parent(actor, parent_id, code), building=building,
                                     enterprise=enterprise, secretary=text(secretary, field="secretary", high=50,
                                                                           required=False),
                                     founded_on=founded_on, social_organization=social)
    organization.full_clean()
    organization.save()
    if covered:
        organization.covered_enterprises.set(covered)
    audit.record(actor=actor, action="partybuilding.organization.create", target=organization, region_code=code,
                 detail={"kind": kind, "covered": len(covered), "social_organization": social_organization_id})
    return organization


def _social_organization(actor, kind: str, organization_id: int | None):
    """The registry entry of the social organization a party organization of that kind belongs to (404 outside the
    actor's jurisdiction; one party organization per social organization)."""
    if not organization_id:
        return None
    if kind != OrgKind.SOCIAL_ORG:
        raise ValidationFailed(_("Only a social organization's party organization names a registry entry."),
                               code="social_organization_kind", field="social_organization_id")
    entry = registry.organization_detail(actor=actor, organization_id=organization_id)
    if PartyOrganization.objects.filter(social_organization=entry).exists():
        raise ValidationFailed(_("This social organization already has its own party organization."),
                               code="social_organization_has_party_organization", field="social_organization_id")
    return entry


@transaction.atomic
def add_partner(*, actor, organization_id: int, name: str, pledge: str = "") -> Partner:
    organization = PartyOrganization.objects.get_managed(actor, pk=organization_id)
    ensure_manages(actor, organization.region_code)
    partner = Partner(organization=organization, name=text(name, field="name", high=100),
                      pledge=text(pledge, field="pledge", high=300, required=False))
    partner.full_clean()
    partner.save()
    audit.record(actor=actor, action="partybuilding.partner.add", target=organization,
                 region_code=organization.region_code, detail={"partner": partner.name})
    return partner
