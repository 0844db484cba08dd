"""Every read of organizations: takes the actor and applies the jurisdiction scope."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.organizations.models import (
    AnnualReport,
    CapacityAssessment,
    Cohort,
    Hub,
    Incubation,
    IncubationApplication,
    JointActivity,
    Milestone,
    Organization,
    OrgProject,
    Registration,
    ServiceLog,
    TrainingAttendance,
    TrainingSession,
)


def eligibility_problems(org: Organization, *, min_rating: int, year: int, on: date | None = None) -> list[str]:
    """Why `org` may not take part in a purchase of `year` (empty when it may): it must be active and
    registered (登记, not only filed), hold a grade of at least `min_rating` (1–5, i.e. 1A–5A) unexpired on `on`
    (default today), and have filed its annual report for the previous year. Procurement adds its own rules."""
    day = on or timezone.localdate()
    problems = []
    if org.status != Organization.Status.ACTIVE:
        problems.append(_("The organization is not active (%(status)s).") % {"status": org.get_status_display()})
    if org.registration != Registration.REGISTERED:
        problems.append(_("The organization is only filed with its community, not registered."))
    if min_rating:
        problems.extend(_rating_problems(org, min_rating=min_rating, day=day))
    if not AnnualReport.objects.filter(organization=org, year=year - 1, status__in=AnnualReport.FILED).exists():
        problems.append(_("The annual report for %(year)d has not been filed.") % {"year": year - 1})
    return problems


def _rating_problems(org: Organization, *, min_rating: int, day: date) -> list[str]:
    wanted = {"grade": f"{min_rating}A"}
    if not org.rating:
        return [_("The organization has no assessment grade; %(grade)s or better is required.") % wanted]
    if org.rating < min_rating:
        return [_("The organization's grade %(have)s is below the required %(grade)s.")
                % {"have": org.rating_label, **wanted}]
    if org.rating_valid_on(day) is None:
        return [_("The organization's grade %(have)s expired on %(date)s.")
                % {"have": org.rating_label, "date": org.rating_expires_on}]
    return []


# --- the registry ---------------------------------------------------------------------------------------------

def organizations_for(*, actor, kind: str = "", field: str = "", registration: str = "", status: str = "",
                      min_rating: int | None = None, region_code: str = "", q: str = "",
                      report_year: int | None = None, report_filed: bool | None = None):
    """The registry as the actor sees it, filtered. `region_code` narrows to organizations kept by that office or
    offices under it; `report_year` with `report_filed` keeps those that did (or did not) file that year."""
    found = Organization.objects.visible_to(actor).select_related("region")
    if kind:
        found = found.filter(kind=kind)
    if field:
        found = found.filter(field=field)
    if registration:
        found = found.filter(registration=registration)
    if status:
        found = found.filter(status=status)
    if min_rating:
        found = found.filter(rating__gte=min_rating, rating_expires_on__gte=timezone.localdate())
    if region_code:
        found = found.within(region_code)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(credit_code=q.strip().upper()))
    if report_year and report_filed is not None:
        filed = AnnualReport.objects.filter(year=report_year, status__in=AnnualReport.FILED).values("organization_id")
        found = found.filter(pk__in=filed) if report_filed else found.exclude(pk__in=filed)
    return found.order_by("region_code", "name")


def organization_detail(*, actor, organization_id: int) -> Organization:
    return Organization.objects.get_visible(actor, pk=organization_id)


def annual_reports(*, org: Organization):
    return org.annual_reports.order_by("-year")


def report_status_by_year(*, org: Organization, years: list[int]) -> dict[int, str]:
    """{year: status code or ""} for the years asked."""
    found = dict(org.annual_reports.filter(year__in=years).values_list("year", "status"))
    return {year: found.get(year, "") for year in years}


def own_organization(actor) -> Organization | None:
    return Organization.objects.filter(_own_org_q(actor)).first()


def _own_org_q(actor) -> Q:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(accounts__user_id=actor.pk)


# --- hubs -------------------------------------------------------------------------------------------------------

def hubs_for(*, actor, field: str = "", subdistrict: str = "", current: bool = True):
    found = Hub.objects.visible_to(actor).select_related("organization", "subdistrict")
    if field:
        found = found.filter(field=field)
    if subdistrict:
        found = found.within(subdistrict)
    if current:
        found = found.filter(designated=True)
    return found.annotate(members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))


def hub_detail(*, actor, hub_id: int) -> Hub:
    return Hub.objects.select_related("organization", "subdistrict").get_visible(actor, pk=hub_id)


def can_see_member_figures(actor, hub: Hub) -> bool:
    """The hub's office and the hub organization's own accounts see the members' figures."""
    return Hub.objects.managed_by(actor).filter(pk=hub.pk).exists()


def member_figures(*, hub: Hub, since: date | None = None) -> list[dict]:
    """Per current member: joint activities with the hub, running projects, people served and service hours
    (its projects), training sign-ins, and last year's annual report status; since `since` (default a year)."""
    since = since or timezone.localdate() - timedelta(days=365)
    last_year = timezone.localdate().year - 1
    memberships = hub.memberships.filter(left_on__isnull=True).select_related("member").order_by("member__name")
    ids = [m.member_id for m in memberships]
    joint = dict(JointActivity.objects.filter(hub=hub, held_on__gte=since, members__in=ids)
                 .values("members").annotate(n=Count("id")).values_list("members", "n"))
    projects = {row["organization_id"]: row for row in OrgProject.objects.filter(organization_id__in=ids)
                .exclude(status=OrgProject.Status.PLANNED).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
                .values("organization_id").annotate(n=Count("id"), served=Sum("beneficiaries"),
                                                    hours=Sum("service_hours"))}
    trainings = dict(TrainingAttendance.objects.filter(organization_id__in=ids, signed_in_at__date__gte=since)
                     .values("organization_id").annotate(n=Count("id")).values_list("organization_id", "n"))
    reports = dict(AnnualReport.objects.filter(organization_id__in=ids, year=last_year)
                   .values_list("organization_id", "status"))
    rows = []
    for membership in memberships:
        pk, project = membership.member_id, projects.get(membership.member_id, {})
        rows.append({"membership": membership, "member": membership.member, "joint": joint.get(pk, 0),
                     "projects": project.get("n", 0), "served": project.get("served") or 0,
                     "hours": project.get("hours") or Decimal(0), "trainings": trainings.get(pk, 0),
                     "report": reports.get(pk, "")})
    return rows


# --- incubation -------------------------------------------------------------------------------------------------

def cohorts_for(*, actor):
    return Cohort.objects.visible_to(actor).select_related("template")


def applications_for(*, actor, status: str = ""):
    found = IncubationApplication.objects.visible_to(actor).select_related("organization", "cohort")
    return found.filter(status=status) if status else found


def incubation_detail(*, actor, incubation_id: int) -> Incubation:
    return Incubation.objects.select_related("organization", "cohort__template").get_visible(actor, pk=incubation_id)


def graduation_rate(incubations) -> float | None:
    """Graduated among those whose incubation has ended (graduated or left); None before anyone ended."""
    counts = dict(incubations.values("status").annotate(n=Count("id")).values_list("status", "n"))
    ended = counts.get(Incubation.Status.GRADUATED, 0) + counts.get(Incubation.Status.LEFT, 0)
    return counts.get(Incubation.Status.GRADUATED, 0) / ended if ended else None


def board(*, actor, cohort_id: int | None = None) -> dict:
    """The centre's board: per cohort the organizations by status, services delivered (count and hours by kind),
    milestones done, open and overdue, graduation rate and the average capacity score at each stage."""
    today = timezone.localdate()
    cohorts = list(cohorts_for(actor=actor).filter(**({"pk": cohort_id} if cohort_id else {})))
    incubations = Incubation.objects.visible_to(actor).filter(cohort__in=cohorts)
    rows = []
    for cohort in cohorts:
        mine = incubations.filter(cohort=cohort)
        rows.append({"cohort": cohort, **_cohort_figures(mine, today)})
    total = _cohort_figures(incubations, today)
    return {"cohorts": rows, "total": total, "today": today}


def _cohort_figures(incubations, today: date) -> dict:
    statuses = dict(incubations.values("status").annotate(n=Count("id")).values_list("status", "n"))
    services = ServiceLog.objects.filter(incubation__in=incubations)
    by_kind = {row["kind"]: row for row in services.values("kind").annotate(n=Count("id"), hours=Sum("hours"))}
    milestones = Milestone.objects.filter(incubation__in=incubations)
    done = milestones.filter(done_on__isnull=False).count()
    overdue = milestones.filter(done_on__isnull=True, due_on__lt=today).count()
    stages = dict(CapacityAssessment.objects.filter(incubation__in=incubations).values("stage")
                  .annotate(avg=Avg("total")).values_list("stage", "avg"))
    return {"statuses": {status: statuses.get(status, 0) for status in Incubation.Status.values},
            "current": statuses.get("incubating", 0) + statuses.get("extended", 0),
            "services": services.count(), "hours": services.aggregate(t=Sum("hours"))["t"] or Decimal(0),
            "by_kind": [{"kind": kind, "label": label, "n": by_kind.get(kind, {}).get("n", 0),
                         "hours": by_kind.get(kind, {}).get("hours") or Decimal(0)}
                        for kind, label in ServiceLog.Kind.choices],
            "milestones": {"done": done, "overdue": overdue, "open": milestones.count() - done - overdue},
            "graduation_rate": graduation_rate(incubations),
            "scores": {stage: stages.get(stage) for stage in CapacityAssessment.Stage.values}}


def incubations_of(*, actor, cohort: Cohort):
    today = timezone.localdate()
    found = (Incubation.objects.visible_to(actor).filter(cohort=cohort).select_related("organization")
             .annotate(hours=Sum("services__hours"),
                       done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
                       overdue=Count("milestones", filter=Q(milestones__done_on__isnull=True,
                                                            milestones__due_on__lt=today), distinct=True),
                       milestone_count=Count("milestones", distinct=True)))
    return found.order_by("status", "organization__name")


# --- training ---------------------------------------------------------------------------------------------------

def trainings_for(*, actor):
    return TrainingSession.objects.visible_to(actor).annotate(signed=Count("attendances")).order_by("-starts_at")


def training_detail(*, actor, session_id: int) -> TrainingSession:
    return TrainingSession.objects.get_visible(actor, pk=session_id)


# --- figures for the home card, region pages and the cockpit ------------------------------------------------------

def registry_figures(*, actor, regions: list | None = None) -> dict:
    """Active organizations, share rated 3A or better (unexpired) among them, graduation rate."""
    today = timezone.localdate()
    active = Organization.objects.visible_to(actor).filter(status=Organization.Status.ACTIVE)
    rated = active.filter(rating__gte=3, rating_expires_on__gte=today).count()
    n = active.count()
    return {"active": n, "rated_3a": rated, "share_3a": rated / n if n else None,
            "incubating": Incubation.objects.visible_to(actor).filter(status__in=Incubation.CURRENT).count(),
            "graduation_rate": graduation_rate(Incubation.objects.visible_to(actor))}


def session_for_checkin(*, org: Organization, token: str) -> TrainingSession | None:
    """The session behind a sign-in code, when this organization may attend it (open to all, or its cohort's)."""
    session = TrainingSession.objects.filter(checkin_token=str(token or "")).select_related("cohort").first()
    if session is None:
        return None
    if session.open_to_all or (session.cohort_id and session.cohort.incubations.filter(organization=org).exists()):
        return session
    return None
