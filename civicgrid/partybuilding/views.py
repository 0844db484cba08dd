"""Party building pages (phone first): the overview with coverage, organizations, members, enterprises,
buildings with their workstation, the "10+N" list, chambers, brand projects and the public showcase."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.cases.models import Category
from civicgrid.core import audit
from civicgrid.core.scoping import area_of, managed_area_of, manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404
from civicgrid.partybuilding import exporting, selectors, services
from civicgrid.partybuilding.models import (
    EnterpriseSize,
    Evidence,
    OrgKind,
    ResourceKind,
    StationKind,
)
from civicgrid.partybuilding.webutil import day, ids, moment, number, rows
from civicgrid.territory.models import Region


def _staff_only(user) -> None:
    """Party building's records are for area staff: anyone else finds nothing here."""
    if area_of(user) is None:
        raise Http404


def _names(codes) -> dict:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


@login_required
@require_GET
def home(request):
    user = request.user
    _staff_only(user)
    areas = selectors.coverage_areas(actor=user, code=request.GET.get("code"))
    coverage = selectors.coverage_for(actor=user, regions=areas)
    board = selectors.board(actor=user)
    return render(request, "partybuilding/home.html", {
        "areas": [(area, coverage.get(area.code)) for area in areas], "manager": managed_area_of(user) is not None,
        "board": board[:10], "late": sum(1 for _p, slip in board if not slip.on_schedule),
        "buildings": selectors.buildings_for(actor=user)[:50]})


@login_required
@require_GET
def coverage(request):
    _staff_only(request.user)
    areas = selectors.coverage_areas(actor=request.user, code=request.GET.get("code"))
    found = selectors.coverage_for(actor=request.user, regions=areas)
    return render(request, "partybuilding/coverage.html",
                  {"areas": [(area, found.get(area.code)) for area in areas]})


@login_required
@require_GET
def coverage_export(request):
    _staff_only(request.user)
    areas = selectors.coverage_areas(actor=request.user, code=request.GET.get("code"))
    found = selectors.coverage_for(actor=request.user, regions=areas)
    with transaction.atomic():
        audit.record(actor=request.user, action="partybuilding.coverage.export", region_code=area_of(request.user),
                     detail={"areas": len(areas)})
    return exporting.coverage_workbook([found[a.code] for a in areas], {a.code: a.name for a in areas})


@login_required
def organizations(request):
    _staff_only(request.user)
    if request.method == "POST":
        return _create_organization(request)
    found = selectors.organizations_for(actor=request.user).prefetch_related("partners")
    return render(request, "partybuilding/organizations.html", {
        "tree": selectors.tree(found), "kinds": OrgKind.choices, "organizations": found,
        "enterprises": selectors.enterprises_for(actor=request.user)[:300],
        "social_organizations": selectors.social_organizations_without_party(actor=request.user)[:300],
        "manager": managed_area_of(request.user) is not None})


@acting("partybuilding:organizations")
def _create_organization(request):
    services.create_organization(actor=request.user, name=request.POST.get("name", ""),
                                 kind=request.POST.get("kind", ""), region_code=request.POST.get("region_code", ""),
                                 parent_id=number(request, "parent_id"), enterprise_id=number(request, "enterprise_id"),
                                 secretary=request.POST.get("secretary", ""), founded_on=day(request, "founded_on"),
                                 covered_enterprise_ids=ids(request, "covered"),
                                 social_organization_id=number(request, "social_organization_id"))
    messages.success(request, _("The party organization is registered."))
    return redirect("partybuilding:organizations")


@login_required
@require_GET
def members(request):
    _staff_only(request.user)
    return render(request, "partybuilding/members.html",
                  {"members": selectors.members_for(actor=request.user)[:500]})


@login_required
@require_GET
def members_export(request):
    _staff_only(request.user)
    found = selectors.members_for(actor=request.user)
    with transaction.atomic():
        audit.record(actor=request.user, action="partybuilding.members.export", region_code=area_of(request.user),
                     detail={"rows": found.count()})
    return exporting.members_workbook(found)


@login_required
def enterprises(request):
    _staff_only(request.user)
    if request.method == "POST":
        return _register_enterprise(request)
    return render(request, "partybuilding/enterprises.html", {
        "enterprises": selectors.enterprises_for(actor=request.user)[:500], "sizes": EnterpriseSize.choices,
        "buildings": selectors.buildings_for(actor=request.user),
        "manager": managed_area_of(request.user) is not None})


@acting("partybuilding:enterprises")
def _register_enterprise(request):
    services.register_enterprise(actor=request.user, name=request.POST.get("name", ""),
                                 credit_code=request.POST.get("credit_code", ""), size=request.POST.get("size", ""),
                                 industry=request.POST.get("industry", ""), building_id=number(request, "building_id"),
                                 region_code=request.POST.get("region_code", ""),
                                 employees=number(request, "employees") or 0,
                                 party_members=number(request, "party_members") or 0)
    messages.success(request, _("The enterprise is registered."))
    return redirect("partybuilding:enterprises")


@login_required
@require_GET
def building(request, building_id):
    found = found_or_404(selectors.get_building, actor=request.user, building_id=building_id)
    station = found.workstation if found.has_workstation else None
    year = timezone.localdate().year
    context = {"building": found, "station": station, "year": year, "manager": manages(request.user, found.region_code),
               "record": selectors.annual_record(actor=request.user, building_id=found.pk, year=year),
               "tenants": found.enterprises.order_by("name"), "kinds": StationKind.choices,
               "categories": Category.objects.filter(active=True, parent__isnull=False).order_by("code")}
    if station is not None:
        context.update({"rooms": station.rooms.all(), "staff": station.staff.all(),
                        "station_kinds": [(v, label) for v, label in StationKind.choices if v in station.stations],
                        "stations": [label for value, label in StationKind.choices if value in station.stations],
                        "bookings": selectors.bookings_of(actor=request.user, workstation=station)
                        .filter(ends_at__gte=timezone.now())[:50],
                        "events": selectors.events_for(actor=request.user).filter(workstation=station)[:20],
                        "requests": selectors.requests_of(actor=request.user, workstation=station)[:50]})
    return render(request, "partybuilding/building.html", context)


@login_required
@require_POST
@acting("partybuilding:home")
def book(request, room_id):
    booking = services.book_room(actor=request.user, room_id=room_id, starts_at=moment(request, "starts_at"),
                                 ends_at=moment(request, "ends_at"), purpose=request.POST.get("purpose", ""),
                                 enterprise_id=number(request, "enterprise_id"))
    messages.success(request, _("The room is booked."))
    return redirect("partybuilding:building", building_id=booking.room.workstation.building_id)


@login_required
@require_POST
@acting("partybuilding:home")
def file_request(request, workstation_id):
    made = services.file_request(actor=request.user, workstation_id=workstation_id,
                                 enterprise_id=number(request, "enterprise_id") or 0,
                                 description=request.POST.get("description", ""),
                                 category_id=number(request, "category_id") or 0)
    messages.success(request, _("The request became case %(number)s, dispatched to %(unit)s.")
                     % {"number": made.case.number, "unit": made.case.unit.name})
    return redirect("partybuilding:building", building_id=made.workstation.building_id)


@login_required
@require_POST
@acting("partybuilding:home")
def create_event(request, workstation_id):
    event = services.create_event(actor=request.user, workstation_id=workstation_id,
                                  title=request.POST.get("title", ""), starts_at=moment(request, "starts_at"),
                                  capacity=number(request, "capacity") or 0,
                                  self_signup=request.POST.get("self_signup") == "on")
    messages.success(request, _("The event is announced."))
    return redirect("partybuilding:building", building_id=event.workstation.building_id)


@login_required
@require_POST
@acting("partybuilding:home")
def sign_up(request, event_id):
    made = services.sign_up(actor=request.user, event_id=event_id, name=request.POST.get("name", ""),
                            enterprise_id=number(request, "enterprise_id") or 0)
    messages.success(request, _("The sign-up is recorded."))
    return redirect("partybuilding:building", building_id=made.event.workstation.building_id)


@login_required
@require_POST
@acting("partybuilding:home")
def add_staff(request, workstation_id):
    made = services.add_staff(actor=request.user, workstation_id=workstation_id, name=request.POST.get("name", ""),
                              station=request.POST.get("station", ""), post=request.POST.get("post", ""))
    messages.success(request, _("The staff member is added."))
    return redirect("partybuilding:building", building_id=made.workstation.building_id)


@login_required
@require_POST
@acting("partybuilding:home")
def remove_staff(request, staff_id):
    station = services.remove_staff(actor=request.user, staff_id=staff_id)
    messages.success(request, _("The staff member is removed."))
    return redirect("partybuilding:building", building_id=station.building_id)


@login_required
@require_GET
def sunflower(request):
    _staff_only(request.user)
    found = list(selectors.models_for(actor=request.user))
    for model in found:
        for pledge in model.pledges.all():
            pledge.used = sum(use.amount for use in pledge.uses.all())
            pledge.left = None if pledge.amount is None else pledge.amount - pledge.used
    return render(request, "partybuilding/sunflower.html", {
        "models": found, "kinds": ResourceKind.choices, "manager": managed_area_of(request.user) is not None,
        "evaluator": managed_area_of(request.user) is not None and (request.user.is_superuser or request.user.role in (
            "district", "subdistrict")),
        "enterprises": selectors.enterprises_for(actor=request.user).order_by("-employees")[:300],
        "year": timezone.localdate().year})


@login_required
@require_POST
@acting("partybuilding:sunflower")
def use_pledge(request, pledge_id):
    services.record_use(actor=request.user, pledge_id=pledge_id, used_on=day(request, "used_on"),
                        used_by=request.POST.get("used_by", ""), purpose=request.POST.get("purpose", ""),
                        amount=number(request, "amount") or 0)
    messages.success(request, _("The use is recorded."))
    return redirect("partybuilding:sunflower")


@login_required
def projects(request):
    _staff_only(request.user)
    if request.method == "POST":
        return _register_project(request)
    return render(request, "partybuilding/projects.html", {
        "board": selectors.board(actor=request.user), "manager": managed_area_of(request.user) is not None,
        "community": request.user.area_code if len(request.user.area_code or "") == 12 else ""})


@acting("partybuilding:projects")
def _register_project(request):
    milestones = [{"title": row["m_title"], "due_on": _date(row["m_due"])}
                  for row in rows(request, "m_title", "m_due")]
    indicators = [{"name": row["i_name"], "target": row["i_target"]} for row in rows(request, "i_name", "i_target")]
    project = services.register_project(
        actor=request.user, community=request.POST.get("community", ""), title=request.POST.get("title", ""),
        goal=request.POST.get("goal", ""), indicators=indicators, budget=number(request, "budget") or 0,
        owner=request.POST.get("owner", ""), partners=request.POST.get("partners", ""),
        starts_on=day(request, "starts_on"), ends_on=day(request, "ends_on"), milestones=milestones)
    messages.success(request, _("The brand project is registered."))
    return redirect("partybuilding:project", project_id=project.pk)


def _date(value: str):
    from django.utils.dateparse import parse_date

    try:
        return parse_date(value)
    except ValueError:
        return None


@login_required
@require_GET
def project(request, project_id):
    found = found_or_404(selectors.get_project, actor=request.user, project_id=project_id)
    user = request.user
    return render(request, "partybuilding/project.html", {
        "project": found, "slip": selectors.slippage(found.milestones.all(), timezone.localdate()),
        "manager": manages(user, found.region_code),
        "evaluator": manages(user, found.region_code) and (user.is_superuser or user.role in ("district",
                                                                                             "subdistrict")),
        "today": timezone.localdate()})


@login_required
@require_POST
@acting("partybuilding:projects")
def report(request, project_id):
    services.report_progress(actor=request.user, project_id=project_id, text_=request.POST.get("text", ""),
                             spent=number(request, "spent") or 0, files=request.FILES.getlist("files"))
    messages.success(request, _("The progress report is stored."))
    return redirect("partybuilding:project", project_id=project_id)


@login_required
@require_POST
@acting("partybuilding:projects")
def complete_milestone(request, milestone_id):
    done = services.complete_milestone(actor=request.user, milestone_id=milestone_id,
                                       done_on=day(request, "done_on") or timezone.localdate())
    return redirect("partybuilding:project", project_id=done.project_id)


@login_required
@require_POST
@acting("partybuilding:projects")
def evaluate(request, project_id):
    services.evaluate(actor=request.user, project_id=project_id, stage=request.POST.get("stage", ""),
                      score=request.POST.get("score", ""), comments=request.POST.get("comments", ""))
    messages.success(request, _("The evaluation is stored."))
    return redirect("partybuilding:project", project_id=project_id)


@login_required
@require_POST
@acting("partybuilding:projects")
def promote(request, project_id):
    services.promote(actor=request.user, project_id=project_id, showcase_text=request.POST.get("showcase_text", ""))
    messages.success(request, _("The project is shown on the public showcase."))
    return redirect("partybuilding:project", project_id=project_id)


@login_required
@require_GET
def evidence(request, evidence_id):
    found = Evidence.objects.visible_to(request.user).filter(pk=evidence_id).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@require_GET
def showcase(request):
    """Public: promoted model brand projects with their showcase text, nothing else."""
    found = list(selectors.showcase()[:100])
    names = _names({p.region_code for p in found})
    for item in found:
        item.community_name = names.get(item.region_code, "")
    return render(request, "partybuilding/showcase.html", {"projects": found})
