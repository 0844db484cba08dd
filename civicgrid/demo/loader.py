"""Orchestrates the demo district: territory, people, accounts for every role, then each module's own demo data."""

from collections.abc import Callable

from civicgrid.assets.demo import seed_demo_assets
from civicgrid.cases.demo import seed_demo_cases
from civicgrid.cockpit.demo import seed_demo_cockpit
from civicgrid.communityaffairs.demo import seed_demo_communityaffairs
from civicgrid.consultation.demo import seed_demo_consultation
from civicgrid.demo.accounts import create_demo_accounts
from civicgrid.organizations.demo import seed_demo_organizations
from civicgrid.partybuilding.demo import seed_demo_partybuilding
from civicgrid.people import demo as people_demo
from civicgrid.procurement.demo import seed_demo_procurement
from civicgrid.servicecircle.demo import seed_demo_servicecircle
from civicgrid.territory import demo as territory_demo
from civicgrid.territory.models import Region
from civicgrid.volunteering.demo import seed_demo_volunteering

DEMO_DISTRICT = "110107"
SCALES = {"default": 20_000, "full": 560_000}


def demo_loaded() -> bool:
    return Region.objects.filter(code=DEMO_DISTRICT).exists()


def load_demo(*, scale: str = "default", residents: int | None = None, seed: int = 2026,
              progress: Callable[[str], object] = print) -> dict:
    progress("building the territory (real divisions, generated boundaries and places)…")
    summary = dict(territory_demo.build_demo_territory(seed=seed, scale=scale))
    count = residents if residents is not None else SCALES[scale]
    progress(f"generating {count} residents…")
    summary.update(people_demo.generate_residents(count=count, seed=seed))
    progress("creating accounts and the staff roster…")
    district = Region.objects.get(code=DEMO_DISTRICT)
    create_demo_accounts(district)
    summary.update(people_demo.generate_staff(seed=seed))
    summary["staff_linked_to_users"] = people_demo.link_staff_users()
    progress("seeding grid cases…")
    summary.update(seed_demo_cases(seed=seed))
    progress("seeding volunteers, teams, shops and points…")
    summary.update(seed_demo_volunteering(seed=seed))
    progress("building the service circle (generated walking network, facilities, one analysis)…")
    summary.update(seed_demo_servicecircle(seed=seed))
    progress("placing street assets along the demo streets (generated)…")
    summary.update(seed_demo_assets())
    progress("seeding consultation (topics, meetings, votes, resolutions, honorary directors)…")
    summary.update(seed_demo_consultation())
    progress("seeding social organizations (registry, hub, incubation cohorts, trainings)…")
    summary.update(seed_demo_organizations(seed=seed))
    progress("seeding party building (organizations, members on grids, enterprises and buildings, workstation, "
             "\"10+N\", brand projects)…")
    summary.update(seed_demo_partybuilding(seed=seed))
    progress("seeding purchases of services (one in every stage, one from a service-circle gap)…")
    summary.update(seed_demo_procurement())
    progress("seeding community standardization (charters, rooms, trainings, the one-stop window, an assessment)…")
    summary.update(seed_demo_communityaffairs(seed=seed))
    progress("rolling up the cockpit's figures, setting targets and making last month's reports…")
    summary.update(seed_demo_cockpit())
    return summary
