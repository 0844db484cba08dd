"""Hub organizations, the service centre's incubation board and training sessions with sign-in."""

import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core.scoping import covers
from civicgrid.core.web import acting, found
from civicgrid.organizations import selectors, services
from civicgrid.organizations.models import (
    CapacityAssessment,
    Cohort,
    Field,
    IndicatorTemplate,
    Organization,
    ServiceLog,
)
from civicgrid.organizations.services.common import is_office, own_organization
from civicgrid.organizations.webutil import local_datetime, post_int, require_office
from civicgrid.territory.models import Level, Region


def _subdistricts(actor):
    area = getattr(actor, "area_code", None)
    found_ = Region.objects.filter(level=Level.SUBDISTRICT)
    if area and len(area) >= 9:
        found_ = found_.filter(code=area[:9])
    elif area:
        found_ = found_.filter(code__startswith=area)
    return found_.order_by("code")


# --- hubs ---------------------------------------------------------------------------------------------------

@login_required
@require_GET
def hubs(request):
    if own_organization(request.user) is None:
        require_office(request)
    return render(request, "organizations/hubs.html", {
        "hubs": selectors.hubs_for(actor=request.user), "fields": Field.choices,
        "can_designate": is_office(request.user),
        "subdistricts": _subdistricts(request.user),
        "organizations": selectors.organizations_for(actor=request.user, status=Organization.Status.ACTIVE)
        if is_office(request.user) else []})


@login_required
@require_POST
@acting("organizations:hubs")
def designate(request):
    hub = services.designate_hub(actor=request.user, organization_id=post_int(request, "organization"),
                                 subdistrict_code=request.POST.get("subdistrict", ""),
                                 field=request.POST.get("field", ""), designated_on=request.POST.get("designated_on"),
                                 resources=request.POST.get("resources", ""))
    messages.success(request, _("The hub organization is designated."))
    return redirect("organizations:hub", hub_id=hub.pk)


@login_required
@require_GET
def hub(request, hub_id):
    found_hub = found(selectors.hub_detail, actor=request.user, hub_id=hub_id)
    manages = selectors.can_see_member_figures(request.user, found_hub)
    candidates = (Organization.objects.within(found_hub.region_code[:6]).filter(status=Organization.Status.ACTIVE)
                  .exclude(pk=found_hub.organization_id).order_by("name") if manages else [])
    return render(request, "organizations/hub.html", {
        "hub": found_hub, "manages": manages, "is_office": manages and is_office(request.user),
        "figures": selectors.member_figures(hub=found_hub) if manages else [],
        "members": found_hub.memberships.select_related("member").order_by("left_on", "member__name"),
        "activities": found_hub.activities.prefetch_related("members")[:50], "candidates": candidates})


@login_required
@require_POST
@acting("organizations:hubs")
def hub_add_member(request, hub_id):
    services.add_member(actor=request.user, hub_id=hub_id, member_id=post_int(request, "member"),
                        joined_on=request.POST.get("joined_on"), note=request.POST.get("note", ""))
    return redirect("organizations:hub", hub_id=hub_id)


@login_required
@require_POST
@acting("organizations:hubs")
def hub_end_membership(request, membership_id):
    membership = services.end_membership(actor=request.user, membership_id=membership_id,
                                         left_on=request.POST.get("left_on"))
    return redirect("organizations:hub", hub_id=membership.hub_id)


@login_required
@require_POST
@acting("organizations:hubs")
def hub_activity(request, hub_id):
    services.record_joint_activity(actor=request.user, hub_id=hub_id, title=request.POST.get("title", ""),
                                   held_on=request.POST.get("held_on"), member_ids=request.POST.getlist("members"),
                                   participants=request.POST.get("participants") or 0,
                                   volunteer_hours=request.POST.get("volunteer_hours") or 0,
                                   funds=request.POST.get("funds") or 0, place_name=request.POST.get("place_name", ""),
                                   description=request.POST.get("description", ""))
    messages.success(request, _("The joint activity is recorded."))
    return redirect("organizations:hub", hub_id=hub_id)


@login_required
@require_POST
@acting("organizations:hubs")
def hub_end(request, hub_id):
    services.end_designation(actor=request.user, hub_id=hub_id, ended_on=request.POST.get("ended_on"),
                             reason=request.POST.get("reason", ""))
    return redirect("organizations:hubs")


# --- incubation -----------------------------------------------------------------------------------------------

@login_required
@require_GET
def board(request):
    require_office(request)
    return render(request, "organizations/board.html", {
        **selectors.board(actor=request.user), "templates": IndicatorTemplate.objects.filter(active=True),
        "applications": selectors.applications_for(actor=request.user, status="submitted"),
        "can_create": is_office(request.user), "centres": _centres(request.user),
        "service_kinds": ServiceLog.Kind.choices})


def _centres(actor):
    area = getattr(actor, "area_code", None)
    regions = Region.objects.filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT])
    return regions.filter(code__startswith=area).order_by("code") if area else regions.order_by("code")


@login_required
@require_POST
@acting("organizations:board")
def cohort_create(request):
    cohort = services.create_cohort(actor=request.user, name=request.POST.get("name", ""),
                                    region_code=request.POST.get("region", ""),
                                    starts_on=request.POST.get("starts_on"), ends_on=request.POST.get("ends_on"),
                                    template_id=post_int(request, "template"),
                                    capacity=request.POST.get("capacity") or 20)
    return redirect("organizations:cohort", cohort_id=cohort.pk)


@login_required
@require_GET
def cohort(request, cohort_id):
    require_office(request)
    found_cohort = found(Cohort.objects.get_visible, actor=request.user, pk=cohort_id)
    return render(request, "organizations/cohort.html", {
        "cohort": found_cohort, **selectors.board(actor=request.user, cohort_id=found_cohort.pk),
        "manages": Cohort.objects.managed_by(request.user).filter(pk=found_cohort.pk).exists(),
        "incubations": selectors.incubations_of(actor=request.user, cohort=found_cohort),
        "applications": selectors.applications_for(actor=request.user).filter(cohort=found_cohort),
        "statuses": Cohort.Status.choices})


@login_required
@require_POST
@acting("organizations:board")
def cohort_status(request, cohort_id):
    services.set_cohort_status(actor=request.user, cohort_id=cohort_id, status=request.POST.get("status", ""))
    return redirect("organizations:cohort", cohort_id=cohort_id)


@login_required
@require_POST
@acting("organizations:board")
def decide(request, application_id):
    application = services.decide_application(actor=request.user, application_id=application_id,
                                              admit=request.POST.get("decision") == "admit",
                                              reason=request.POST.get("reason", ""))
    if application.status == "admitted":
        messages.success(request, _("Admitted to the cohort."))
        return redirect("organizations:incubation", incubation_id=application.incubation.pk)
    return redirect("organizations:cohort", cohort_id=application.cohort_id)


@login_required
@require_GET
def incubation(request, incubation_id):
    found_incubation = found(selectors.incubation_detail, actor=request.user, incubation_id=incubation_id)
    indicators = list(found_incubation.cohort.template.indicators.all())
    assessments = {a.stage: a for a in found_incubation.assessments.all()}
    today = timezone.localdate()
    return render(request, "organizations/incubation.html", {
        "incubation": found_incubation, "services": found_incubation.services.select_related("staff"),
        "milestones": [(m, m.state_on(today)) for m in found_incubation.milestones.all()],
        "indicators": indicators, "stages": [(value, label, assessments.get(value))
                                             for value, label in CapacityAssessment.Stage.choices],
        "manages": Cohort.objects.managed_by(request.user).filter(pk=found_incubation.cohort_id).exists()
        and found_incubation.status in ("incubating", "extended"),
        "kinds": ServiceLog.Kind.choices, "today": today})


@login_required
@require_POST
@acting("organizations:board")
def log_service(request, incubation_id):
    services.log_service(actor=request.user, incubation_id=incubation_id, kind=request.POST.get("kind", ""),
                         delivered_on=request.POST.get("delivered_on"), hours=request.POST.get("hours", ""),
                         note=request.POST.get("note", ""))
    messages.success(request, _("The service is logged."))
    return redirect("organizations:incubation", incubation_id=incubation_id)


@login_required
@require_POST
@acting("organizations:board")
def add_milestone(request, incubation_id):
    services.add_milestone(actor=request.user, incubation_id=incubation_id, title=request.POST.get("title", ""),
                           due_on=request.POST.get("due_on"))
    return redirect("organizations:incubation", incubation_id=incubation_id)


@login_required
@require_POST
@acting("organizations:board")
def milestone_done(request, milestone_id):
    milestone = services.complete_milestone(actor=request.user, milestone_id=milestone_id,
                                            done_on=request.POST.get("done_on") or None,
                                            evidence=request.POST.get("evidence", ""))
    messages.success(request, _("The milestone is done."))
    return redirect("organizations:incubation", incubation_id=milestone.incubation_id)


@login_required
@require_POST
@acting("organizations:board")
def assess(request, incubation_id):
    found_incubation = found(selectors.incubation_detail, actor=request.user, incubation_id=incubation_id)
    codes = found_incubation.cohort.template.indicators.values_list("code", flat=True)
    services.assess(actor=request.user, incubation_id=incubation_id, stage=request.POST.get("stage", ""),
                    scores={code: request.POST.get(f"score_{code}", "") for code in codes},
                    assessed_on=request.POST.get("assessed_on") or None, note=request.POST.get("note", ""))
    return redirect("organizations:incubation", incubation_id=incubation_id)


@login_required
@require_POST
@acting("organizations:board")
def conclude(request, incubation_id):
    services.conclude(actor=request.user, incubation_id=incubation_id, outcome=request.POST.get("outcome", ""),
                      reason=request.POST.get("reason", ""), extend_until=request.POST.get("extend_until") or None)
    return redirect("organizations:incubation", incubation_id=incubation_id)


# --- training -------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:trainings")
def trainings(request):
    if own_organization(request.user) is None:
        require_office(request)
    if request.method == "POST":
        session = services.create_session(
            actor=request.user, title=request.POST.get("title", ""), region_code=request.POST.get("region", ""),
            starts_at=local_datetime(request.POST.get("starts_at", "")),
            ends_at=local_datetime(request.POST.get("ends_at", "")), capacity=request.POST.get("capacity") or 50,
            topic=request.POST.get("topic", ""), trainer=request.POST.get("trainer", ""),
            place_name=request.POST.get("place_name", ""), cohort_id=post_int(request, "cohort"))
        return redirect("organizations:training", session_id=session.pk)
    return render(request, "organizations/trainings.html", {
        "sessions": selectors.trainings_for(actor=request.user)[:100], "can_create": is_office(request.user),
        "centres": _centres(request.user), "cohorts": Cohort.objects.managed_by(request.user)})


def _checkin_url(request, session) -> str:
    return request.build_absolute_uri(reverse("organizations:training_checkin", args=[session.checkin_token]))


@login_required
@require_GET
def training(request, session_id):
    session = found(selectors.training_detail, actor=request.user, session_id=session_id)
    manages = is_office(request.user) and covers(request.user, session.region_code)
    return render(request, "organizations/training.html", {
        "session": session, "manages": manages, "checkin_url": _checkin_url(request, session) if manages else "",
        "attendances": session.attendances.select_related("organization") if manages else [],
        "organizations": Organization.objects.within(session.region_code[:6])
        .filter(status=Organization.Status.ACTIVE).order_by("name")
        if manages else []})


@login_required
@require_GET
def training_qr(request, session_id):
    session = found(selectors.training_detail, actor=request.user, session_id=session_id)
    if not is_office(request.user):
        raise Http404
    image = qrcode.make(_checkin_url(request, session), box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@login_required
@require_POST
@acting("organizations:trainings")
def training_desk_sign_in(request, session_id):
    services.desk_sign_in(actor=request.user, session_id=session_id, organization_id=post_int(request, "organization"),
                          attendee=request.POST.get("attendee", ""))
    messages.success(request, _("Signed in."))
    return redirect("organizations:training", session_id=session_id)


@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:portal")
def training_checkin(request, token):
    """The page behind a session's sign-in code: the organization's account signs in."""
    org = own_organization(request.user)
    session = selectors.session_for_checkin(org=org, token=token) if org is not None else None
    if session is None:
        raise Http404
    if request.method == "POST":
        services.scan_sign_in(actor=request.user, token=token, attendee=request.POST.get("attendee", ""))
        messages.success(request, _("Signed in."))
        return redirect("organizations:training_checkin", token=token)
    signed = session.attendances.filter(organization=org)
    return render(request, "organizations/training_checkin.html", {"session": session, "org": org, "signed": signed})
