"""The party building card of the home dashboard: organization coverage of the actor's area and the brand
projects behind schedule."""

from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.core.numbers import percent
from civicgrid.core.registry import Figure
from civicgrid.core.scoping import area_of
from civicgrid.partybuilding import selectors
from civicgrid.territory.models import Region


def area_coverage(user) -> float | None:
    """Organization coverage of the enterprises in the user's whole area."""
    area = area_of(user)
    region = Region.objects.filter(code=area).first() if area else Region.objects.filter(parent=None).first()
    if region is None:
        return None
    return selectors.coverage_for(actor=user, regions=[region])[region.code].organization_share


def home_figures(user) -> list[Figure]:
    if area_of(user) is None:
        return []
    late = sum(1 for _project, slip in selectors.board(actor=user) if not slip.on_schedule)
    return [Figure(_("party organization coverage of enterprises"), percent(area_coverage(user)),
                   reverse("partybuilding:coverage"), testid="figure-party-coverage"),
            Figure(_("brand projects behind schedule"), f"{late:,}", reverse("partybuilding:projects"),
                   level="warn" if late else "", testid="figure-projects-late")]
