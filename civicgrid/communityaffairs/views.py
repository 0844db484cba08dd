"""Staff pages: a community's charters, staffing, rooms, training and assessment; the gap list by subdistrict;
the standards; xlsx export. The one-stop pages are in onestop_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.communityaffairs import exporting, figures, selectors, services
from civicgrid.communityaffairs import standards as rules
from civicgrid.communityaffairs.models import Body, Indicator, Room, Stage, Standard
from civicgrid.communityaffairs.webutil import chosen_code, day, number, staff_communities, year_of
from civicgrid.core.scoping import managed_area_of, manages
from civicgrid.core.web import acting, found
from civicgrid.people.models import StaffMember


def _back(code: str, anchor: str = "") -> str:
    return f"{reverse('communityaffairs:home')}?code={code}{anchor}"


@login_required
@require_GET
def home(request):
    communities = staff_communities(request)
    code, year = chosen_code(request, communities), year_of(request)
    context = {"communities": communities, "code": code, "year": year, "bodies": Body.choices,
               "uses": Room.Use.choices}
    if code:
        certificates = selectors.qualifications(actor=request.user, code=code)
        context.update(selectors.overview(actor=request.user, code=code, year=year))
        context.update(charters=selectors.charters(actor=request.user, code=code),
                       rooms=selectors.rooms(actor=request.user, code=code),
                       manager=manages(request.user, code),
                       body_labels=dict(Body.choices),
                       qualifications=certificates,
                       certificates_expiring=sum(row["state"] == figures.CertificateState.EXPIRING
                                                 for row in certificates),
                       certificates_expired=sum(row["state"] == figures.CertificateState.EXPIRED
                                                for row in certificates),
                       workers=StaffMember.objects.visible_to(request.user).filter(region_code=code,
                                                                                   body__in=figures.BODIES))
    return render(request, "communityaffairs/home.html", context)


@login_required
@require_GET
def gaps(request):
    staff_communities(request)
    return render(request, "communityaffairs/gaps.html", {"groups": selectors.gap_list(actor=request.user)})


@login_required
@require_GET
def export(request):
    staff_communities(request)
    response = HttpResponse(exporting.workbook_bytes(actor=request.user, year=year_of(request)),
                            content_type=exporting.XLSX)
    response["Content-Disposition"] = 'attachment; filename="communityaffairs.xlsx"'
    return response


@login_required
@require_POST
@acting("communityaffairs:home")
def save_charter(request):
    code = request.POST.get("community", "")
    services.save_charter(actor=request.user, community=code, body=request.POST.get("body", ""),
                          duties=request.POST.get("duties", ""), approved_on=day(request, "approved_on"))
    return redirect(_back(code, "#charters"))


@login_required
@require_POST
@acting("communityaffairs:home")
def set_post(request, charter_id):
    charter = found(selectors.get_charter, actor=request.user, charter_id=charter_id)
    services.set_post(actor=request.user, charter_id=charter_id, title=request.POST.get("title", ""),
                      quota=request.POST.get("quota", ""))
    return redirect(_back(charter.region_code, "#charters"))


@login_required
@require_POST
@acting("communityaffairs:home")
def remove_post(request, post_id):
    post = found(selectors.get_post, actor=request.user, post_id=post_id)
    services.remove_post(actor=request.user, post_id=post_id)
    return redirect(_back(post.charter.region_code, "#charters"))


@login_required
@require_POST
@acting("communityaffairs:home")
def add_room(request):
    code = request.POST.get("community", "")
    services.add_room(actor=request.user, community=code, name=request.POST.get("name", ""),
                      use=request.POST.get("use", ""), area_m2=request.POST.get("area_m2", ""))
    return redirect(_back(code, "#rooms"))


@login_required
@require_POST
@acting("communityaffairs:home")
def remove_room(request, room_id):
    room = found(Room.objects.get_visible, actor=request.user, pk=room_id)
    services.remove_room(actor=request.user, room_id=room_id)
    return redirect(_back(room.region_code, "#rooms"))


@login_required
@require_POST
@acting("communityaffairs:home")
def set_profile(request):
    code = request.POST.get("community", "")
    services.set_new_community(actor=request.user, community=code, is_new=request.POST.get("is_new") == "1")
    return redirect(_back(code, "#rooms"))


@login_required
def standards(request):
    staff_communities(request)
    if request.method == "POST":
        return _save_standard(request)
    current = rules.current()
    rows = [{"key": key, "label": label, "rule": current[key]} for key, label in Standard.Key.choices]
    area = managed_area_of(request.user)
    return render(request, "communityaffairs/standards.html", {"rows": rows,
                                                               "editable": area is not None and len(area) <= 6})


@acting("communityaffairs:standards")
def _save_standard(request):
    services.set_standard(actor=request.user, key=request.POST.get("key", ""), value=request.POST.get("value", ""),
                          source=request.POST.get("source", ""),
                          source_checked=request.POST.get("source_checked") == "1")
    messages.success(request, _("The standard is saved; the gap lists use it from now on."))
    return redirect("communityaffairs:standards")


@login_required
def trainings(request):
    communities = staff_communities(request)
    if request.method == "POST":
        return _create_course(request)
    code, year = chosen_code(request, communities), year_of(request)
    training = figures.training([code], year)[code] if code else None
    names = dict(StaffMember.objects.visible_to(request.user).filter(region_code=code).values_list("pk", "name"))
    return render(request, "communityaffairs/trainings.html", {
        "courses": selectors.courses(actor=request.user)[:100], "communities": communities, "code": code,
        "year": year, "training": training,
        "hours": sorted(((names.get(k, k), v) for k, v in training.hours.items()), key=lambda r: r[1])
        if training else [], "area": managed_area_of(request.user)})


@acting("communityaffairs:trainings")
def _create_course(request):
    made = services.create_course(actor=request.user, region=request.POST.get("region", ""),
                                  title=request.POST.get("title", ""), held_on=day(request, "held_on"),
                                  hours=request.POST.get("hours", ""))
    return redirect("communityaffairs:course", course_id=made.pk)


@login_required
@require_GET
def course(request, course_id):
    found_course = found(selectors.get_course, actor=request.user, course_id=course_id)
    return render(request, "communityaffairs/course.html", {
        "course": found_course, "attendances": found_course.attendances.visible_to(request.user)
        .select_related("staff"),
        "workers": StaffMember.objects.managed_by(request.user).within(found_course.region_code)
        .filter(body__in=figures.BODIES)})


@login_required
@require_POST
@acting("communityaffairs:trainings")
def sign_in(request, course_id):
    services.sign_in(actor=request.user, course_id=course_id, staff_id=number(request, "staff"))
    return redirect("communityaffairs:course", course_id=course_id)


@login_required
@require_GET
def assessments(request):
    communities = staff_communities(request)
    year = year_of(request)
    templates = list(selectors.templates(actor=request.user))
    boards = [(template, selectors.ranking(actor=request.user, template_id=template.pk, year=year))
              for template in templates] if selectors.may_rank(request.user) else []
    found = list(selectors.assessments(actor=request.user, year=year))
    names = selectors.region_names(item.region_code for item in found)
    return render(request, "communityaffairs/assessments.html", {
        "year": year, "templates": templates, "boards": boards, "communities": communities,
        "list": [(item, names.get(item.region_code, item.region_code)) for item in found]})


@login_required
@require_POST
@acting("communityaffairs:assessments")
def start_assessment(request):
    made = services.start(actor=request.user, template_id=number(request, "template") or 0,
                          community=request.POST.get("community", ""), year=number(request, "year") or 0)
    return redirect("communityaffairs:assessment", assessment_id=made.pk)


@login_required
@require_GET
def assessment(request, assessment_id):
    item = found(selectors.get_assessment, actor=request.user, assessment_id=assessment_id)
    area = managed_area_of(request.user)
    reviewer = {Stage.SUBMITTED: 9, Stage.SUBDISTRICT: 6}.get(item.stage)
    return render(request, "communityaffairs/assessment.html", {
        "item": item, "scores": item.scores.select_related("indicator"), "manual": Indicator.MANUAL,
        "editable": item.stage == Stage.DRAFT and manages(request.user, item.region_code)
        and len(area or "") == 12,
        "reviewing": reviewer is not None and area is not None and (area == "" or len(area) == reviewer)})


def _scores(request, field: str) -> dict:
    return {int(key.split("-")[1]): value for key, value in request.POST.items()
            if key.startswith(f"{field}-") and key.split("-")[1].isdigit()}


@login_required
@require_POST
@acting("communityaffairs:assessments")
def self_assess(request, assessment_id):
    given: dict = {}
    for key, value in _scores(request, "score").items():
        given.setdefault(key, {})["score"] = value
    for key, value in _scores(request, "evidence").items():
        given.setdefault(key, {})["evidence"] = value
    services.self_assess(actor=request.user, assessment_id=assessment_id, scores=given)
    return redirect("communityaffairs:assessment", assessment_id=assessment_id)


@login_required
@require_POST
@acting("communityaffairs:assessments")
def submit_assessment(request, assessment_id):
    services.submit(actor=request.user, assessment_id=assessment_id)
    return redirect("communityaffairs:assessment", assessment_id=assessment_id)


@login_required
@require_POST
@acting("communityaffairs:assessments")
def review_assessment(request, assessment_id):
    services.review(actor=request.user, assessment_id=assessment_id, scores=_scores(request, "review"))
    return redirect("communityaffairs:assessment", assessment_id=assessment_id)
