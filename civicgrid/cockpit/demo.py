"""Demo cockpit: the rollups of the demo cases, district targets for the first key figures (the district and
every subdistrict, set by the district office's demo login) and last month's monthly reports."""

from django.utils import timezone

from civicgrid.accounts.models import Role, User
from civicgrid.cockpit import rollup, selectors, services
from civicgrid.territory.models import Level, Region

TARGETS = {"response_rate": 0.95, "resolution_rate": 0.9, "satisfaction_rate": 0.9, "on_time_closure_rate": 0.9,
           "rework_rate": 0.05, "volunteer_hours_per_thousand": 50.0}


def seed_demo_cockpit() -> dict:
    rollup.refresh(full=True)
    district_user = User.objects.filter(role=Role.DISTRICT).order_by("pk").first()
    targets = 0
    regions = list(Region.objects.filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT]).order_by("code"))
    known = {k.key for k in selectors.kpis()}
    if district_user is not None:
        for region in regions:
            if not region.code.startswith(district_user.region_code or ""):
                continue
            for kpi, value in TARGETS.items():
                if kpi in known:
                    services.set_target(actor=district_user, kpi=kpi, region_code=region.code, value=value)
                    targets += 1
    made = services.monthly_reports_due(today=timezone.localdate(), force=True)
    return {"cockpit_targets": targets, "cockpit_reports": made}
