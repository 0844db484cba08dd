"""Registry pages (district and subdistrict offices) and the organization's own portal."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.registry import record_links
from civicgrid.core.scoping import covers
from civicgrid.core.views import refusal
from civicgrid.core.web import acting, found
from civicgrid.organizations import exporting, selectors, services
from civicgrid.organizations.forms import RegistryFilterForm
from civicgrid.organizations.models import (
    AnnualReport,
    Cohort,
    Field,
    Kind,
    OrgProject,
    OrgStaff,
    Rating,
    Registration,
)
from civicgrid.organizations.services.common import is_office, own_organization
from civicgrid.organizations.services.registry import REVEAL_PERMISSION
from civicgrid.organizations.webutil import page_of, post_int, recent_years, require_office, require_org
from civicgrid.territory.models import Level, Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def home(request):
    if own_organization(request.user) is not None:
        return redirect("organizations:portal")
    if request.user.is_staff_role or request.user.is_superuser:
        return redirect("organizations:registry")
    raise Http404


# --- registry ---------------------------------------------------------------------------------------------------

def _filter_form(request):
    return RegistryFilterForm(request.GET, actor=request.user, years=recent_years())


@login_required
@require_GET
def registry(request):
    require_office(request)
    form = _filter_form(request)
    page, query = page_of(request, selectors.organizations_for(actor=request.user, **form.filters()))
    return render(request, "organizations/registry.html", {
        "form": form, "page": page, "query": query, "count": page.paginator.count,
        "figures": selectors.registry_figures(actor=request.user), "can_register": is_office(request.user)})


@login_required
@require_GET
def registry_export(request):
    require_office(request)
    try:
        content, _count = exporting.export_registry_xlsx(actor=request.user, filters=_filter_form(request).filters())
    except PermissionDenied as error:
        return refusal(request, error)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="organizations-{time.strftime("%Y%m%d")}.xlsx"'
    return response


def _offices(actor):
    area = getattr(actor, "area_code", None)
    regions = Region.objects.filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY])
    return regions.filter(code__startswith=area) if area else regions


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    require_office(request)
    if not is_office(request.user):
        raise Http404
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            org = services.register_organization(
                actor=request.user, **{name: request.POST.get(name, "") for name in (
                    "name", "kind", "field", "registration", "registration_authority", "registered_on", "region_code",
                    "rep_name", "credit_code", "rep_id_number", "rep_phone", "staff_count", "volunteer_count",
                    "address", "business_scope", "party_organization")},
                service_area=request.POST.getlist("service_area"))
        except (NotFound, PermissionDenied) as error:
            return refusal(request, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The organization is in the registry."))
            return redirect("organizations:detail", org_id=org.pk)
    return render(request, "organizations/register.html", {
        "values": values, "kinds": Kind.choices, "fields": Field.choices, "registrations": Registration.choices,
        "offices": _offices(request.user).order_by("code")})


def _detail_context(request, org, revealed_field: str = "", revealed_value: str = "") -> dict:
    years = recent_years()
    manages = is_office(request.user) and covers(request.user, org.region_code)
    return {"org": org, "reports": selectors.annual_reports(org=org),
            "report_years": selectors.report_status_by_year(org=org, years=years),
            "staff": org.staff.all(), "projects": org.projects.all(), "accounts": org.accounts.select_related("user"),
            "hubs": org.hubs.filter(designated=True),
            "memberships": org.hub_memberships.select_related("hub__organization"),
            "incubations": org.incubations.select_related("cohort"),
            "eligibility": selectors.eligibility_problems(org, min_rating=3, year=timezone.localdate().year),
            "manages": manages, "ratings": Rating.choices, "statuses": org.Status.choices,
            "can_reveal": manages and request.user.has_perm(REVEAL_PERMISSION),
            "revealed_field": revealed_field, "revealed_value": revealed_value,
            "record_links": record_links(request.user, org)}


@login_required
@require_GET
def detail(request, org_id):
    org = found(selectors.organization_detail, actor=request.user, organization_id=org_id)
    if own_organization(request.user) == org:
        return redirect("organizations:portal")
    return render(request, "organizations/detail.html", _detail_context(request, org))


@never_cache
@login_required
@require_POST
def reveal(request, org_id):
    field = request.POST.get("field", "")
    try:
        value = services.reveal(actor=request.user, organization_id=org_id, field=field,
                                purpose=request.POST.get("purpose", "")[:200])
    except (NotFound, PermissionDenied) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("organizations:detail", org_id=org_id)
    org = selectors.organization_detail(actor=request.user, organization_id=org_id)
    response = render(request, "organizations/detail.html", _detail_context(request, org, field, value))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@acting("organizations:registry")
def rate(request, org_id):
    services.set_rating(actor=request.user, organization_id=org_id, rating=post_int(request, "rating"),
                        rated_on=request.POST.get("rated_on"), expires_on=request.POST.get("expires_on"))
    messages.success(request, _("The grade is recorded."))
    return redirect("organizations:detail", org_id=org_id)


@login_required
@require_POST
@acting("organizations:registry")
def change_status(request, org_id):
    services.set_status(actor=request.user, organization_id=org_id, status=request.POST.get("status", ""),
                        reason=request.POST.get("reason", ""))
    return redirect("organizations:detail", org_id=org_id)


@login_required
@require_POST
@acting("organizations:registry")
def link_account(request, org_id):
    services.link_account(actor=request.user, organization_id=org_id, username=request.POST.get("username", ""),
                          title=request.POST.get("title", ""), is_admin=request.POST.get("is_admin") == "1")
    messages.success(request, _("The account is linked."))
    if request.POST.get("back") == "portal":
        return redirect("organizations:portal_staff")
    return redirect("organizations:detail", org_id=org_id)


@login_required
@require_POST
@acting("organizations:registry")
def review_report(request, report_id):
    report = services.review_annual_report(actor=request.user, report_id=report_id,
                                           accept=request.POST.get("decision") == "accept",
                                           note=request.POST.get("note", ""))
    return redirect("organizations:detail", org_id=report.organization_id)


# --- the organization's own portal -----------------------------------------------------------------------------

def _portal(request, template: str, **context):
    org = require_org(request)
    return render(request, f"organizations/{template}", {"org": org, "tab": template.split(".")[0], **context})


@login_required
@require_GET
def portal(request):
    org = require_org(request)
    return _portal(request, "portal.html", fields=Field.choices,
                   eligibility=selectors.eligibility_problems(org, min_rating=3, year=timezone.localdate().year),
                   report_years=selectors.report_status_by_year(org=org, years=recent_years()),
                   memberships=org.hub_memberships.filter(left_on__isnull=True).select_related("hub__organization"),
                   hubs=org.hubs.filter(designated=True))


@login_required
@require_POST
@acting("organizations:portal")
def portal_profile(request):
    org = require_org(request)
    services.update_profile(actor=request.user, organization_id=org.pk, **{
        name: request.POST.get(name, "") for name in ("address", "business_scope", "party_organization",
                                                       "staff_count", "volunteer_count", "field")})
    messages.success(request, _("The profile is saved."))
    return redirect("organizations:portal")


@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:portal_staff")
def portal_staff(request):
    org = require_org(request)
    if request.method == "POST":
        services.add_staff(actor=request.user, organization_id=org.pk, name=request.POST.get("name", ""),
                           position=request.POST.get("position", ""), kind=request.POST.get("kind", ""),
                           phone=request.POST.get("phone", ""), joined_on=request.POST.get("joined_on") or None,
                           is_social_worker=request.POST.get("is_social_worker") == "1")
        messages.success(request, _("The staff member is added."))
        return redirect("organizations:portal_staff")
    return _portal(request, "portal_staff.html", staff=org.staff.all(), kinds=OrgStaff.Kind.choices,
                   accounts=org.accounts.select_related("user"))


@login_required
@require_POST
@acting("organizations:portal_staff")
def portal_staff_left(request, staff_id):
    services.staff_left(actor=request.user, staff_id=staff_id, left_on=request.POST.get("left_on", ""))
    return redirect("organizations:portal_staff")


@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:portal_projects")
def portal_projects(request):
    org = require_org(request)
    if request.method == "POST":
        services.add_project(actor=request.user, organization_id=org.pk, title=request.POST.get("title", ""),
                             field=request.POST.get("field", ""), starts_on=request.POST.get("starts_on", ""),
                             ends_on=request.POST.get("ends_on") or None,
                             description=request.POST.get("description", ""),
                             status=request.POST.get("status", OrgProject.Status.PLANNED),
                             beneficiaries=request.POST.get("beneficiaries") or 0,
                             service_hours=request.POST.get("service_hours") or 0)
        messages.success(request, _("The project is added."))
        return redirect("organizations:portal_projects")
    return _portal(request, "portal_projects.html", projects=org.projects.all(), fields=Field.choices,
                   statuses=OrgProject.Status.choices)


@login_required
@require_POST
@acting("organizations:portal_projects")
def portal_project_update(request, project_id):
    services.update_project(actor=request.user, project_id=project_id, status=request.POST.get("status", ""),
                            beneficiaries=request.POST.get("beneficiaries") or 0,
                            service_hours=request.POST.get("service_hours") or 0,
                            ends_on=request.POST.get("ends_on") or None)
    return redirect("organizations:portal_projects")


@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:portal_reports")
def portal_reports(request):
    org = require_org(request)
    if request.method == "POST":
        services.submit_annual_report(actor=request.user, organization_id=org.pk, year=post_int(request, "year"),
                                      income=request.POST.get("income") or 0,
                                      expenditure=request.POST.get("expenditure") or 0,
                                      activities=request.POST.get("activities") or 0,
                                      beneficiaries=request.POST.get("beneficiaries") or 0,
                                      summary=request.POST.get("summary", ""))
        messages.success(request, _("The annual report is filed."))
        return redirect("organizations:portal_reports")
    return _portal(request, "portal_reports.html", reports=org.annual_reports.all(), years=recent_years(),
                   statuses=dict(AnnualReport.Status.choices))


@login_required
@require_http_methods(["GET", "POST"])
@acting("organizations:portal_incubation")
def portal_incubation(request):
    org = require_org(request)
    if request.method == "POST":
        services.apply(actor=request.user, cohort_id=post_int(request, "cohort"), needs=request.POST.get("needs", ""),
                       plan=request.POST.get("plan", ""))
        messages.success(request, _("Your application is submitted to the service centre."))
        return redirect("organizations:portal_incubation")
    return _portal(request, "portal_incubation.html",
                   cohorts=selectors.cohorts_for(actor=request.user).filter(status=Cohort.Status.RECRUITING),
                   applications=org.incubation_applications.select_related("cohort"),
                   incubations=org.incubations.select_related("cohort").prefetch_related("milestones", "services"))
