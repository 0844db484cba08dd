"""What an organization keeps itself (annual reports, staff, projects) and its office reviews."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.encrypted import seal
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.personal import mask_phone, normalize_phone
from civicgrid.organizations.errors import WrongState
from civicgrid.organizations.models import AnnualReport, Field, OrgProject, OrgStaff
from civicgrid.organizations.services.common import count, day, managed_organization, office_organization, text
from civicgrid.territory.models import Region


def money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter an amount in yuan."), code="invalid_amount", field=field) from None
    if not Decimal(0) <= amount < Decimal("1e12"):
        raise ValidationFailed(_("Enter an amount in yuan."), code="invalid_amount", field=field)
    return amount


def _year(value) -> int:
    number = count(value, field="year", limit=2100)
    if number < 2000 or number > timezone.localdate().year:
        raise ValidationFailed(_("A report covers a past or the current year."), code="invalid_year", field="year")
    return number


@transaction.atomic
def submit_annual_report(*, actor, organization_id: int, year: int, income=0, expenditure=0, activities=0,
                         beneficiaries=0, summary: str = "") -> AnnualReport:
    """The organization files its annual report (or files it again after it was returned)."""
    org = managed_organization(actor, organization_id)
    year = _year(year)
    report = AnnualReport.objects.select_for_update().filter(organization=org, year=year).first()
    if report is not None and report.status != AnnualReport.Status.RETURNED:
        raise WrongState(_("The report for this year is already filed."))
    report = report or AnnualReport(organization=org, year=year)
    report.status = AnnualReport.Status.SUBMITTED
    report.income, report.expenditure = money(income, field="income"), money(expenditure, field="expenditure")
    report.activities = count(activities, field="activities")
    report.beneficiaries = count(beneficiaries, field="beneficiaries", limit=100_000_000)
    report.summary = text(summary, field="summary", limit=5000, required=False)
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.reviewed_at = report.reviewed_by = None
    report.full_clean()
    report.save()
    audit.record(actor=actor, action="organizations.report.submit", target=report, region_code=org.region_code,
                 detail={"year": year})
    return report


@transaction.atomic
def review_annual_report(*, actor, report_id: int, accept: bool, note: str = "") -> AnnualReport:
    report = AnnualReport.objects.get_visible(actor, pk=report_id)
    office_organization(actor, report.organization_id)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AnnualReport.Status.SUBMITTED:
        raise WrongState()
    note = text(note, field="note", limit=500, required=not accept)
    report.status = AnnualReport.Status.ACCEPTED if accept else AnnualReport.Status.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_note = timezone.now(), actor, note
    report.save()
    audit.record(actor=actor, action="organizations.report.review", target=report,
                 region_code=report.organization.region_code, detail={"year": report.year, "to": report.status})
    return report


@transaction.atomic
def add_staff(*, actor, organization_id: int, name: str, position: str = "", kind: str = OrgStaff.Kind.FULL_TIME,
              phone: str = "", is_social_worker: bool = False, joined_on=None) -> OrgStaff:
    org = managed_organization(actor, organization_id)
    if kind not in OrgStaff.Kind.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="kind")
    member = OrgStaff(organization=org, name=text(name, field="name", limit=50),
                      position=text(position, field="position", limit=50, required=False), kind=kind,
                      is_social_worker=bool(is_social_worker), joined_on=day(joined_on, field="joined_on",
                                                                              required=False))
    mobile = normalize_phone(phone) if phone else ""
    seal(member, "phone", mobile)
    member.phone_masked = mask_phone(mobile) if mobile else ""
    member.save()
    audit.record(actor=actor, action="organizations.staff.add", target=member, region_code=org.region_code,
                 detail={"kind": kind, "phone": member.phone_masked})
    return member


@transaction.atomic
def staff_left(*, actor, staff_id: int, left_on) -> OrgStaff:
    member = OrgStaff.objects.get_managed(actor, pk=staff_id)
    left = day(left_on, field="left_on")
    if member.left_on is not None:
        raise WrongState()
    if member.joined_on and left < member.joined_on:  # type: ignore[operator]
        raise ValidationFailed(_("The leaving date is before the joining date."), code="invalid_date",
                               field="left_on")
    member.left_on = left
    member.save(update_fields=["left_on"])
    audit.record(actor=actor, action="organizations.staff.leave", target=member,
                 region_code=member.organization.region_code)
    return member


def _project_region(code, org) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=str(code), code__startswith=org.region_code[:6]).first()
    if region is None:
        raise ValidationFailed(_("Choose a region inside the district."), code="unknown_region", field="region")
    return region


@transaction.atomic
def add_project(*, actor, organization_id: int, title: str, field: str, starts_on, ends_on=None,
                description: str = "", region_code: str = "", beneficiaries=0, service_hours=0,
                status: str = OrgProject.Status.PLANNED) -> OrgProject:
    org = managed_organization(actor, organization_id)
    if field not in Field.values or status not in OrgProject.Status.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="field")
    project = OrgProject(organization=org, title=text(title, field="title", limit=200), field=field,
                         description=text(description, field="description", limit=5000, required=False),
                         region=_project_region(region_code, org), starts_on=day(starts_on, field="starts_on"),
                         ends_on=day(ends_on, field="ends_on", required=False), status=status,
                         beneficiaries=count(beneficiaries, field="beneficiaries", limit=100_000_000),
                         service_hours=money(service_hours, field="service_hours").quantize(Decimal("0.1")))
    if project.ends_on and project.ends_on < project.starts_on:
        raise ValidationFailed(_("The end is before the start."), code="invalid_date", field="ends_on")
    project.save()
    audit.record(actor=actor, action="organizations.project.add", target=project, region_code=org.region_code)
    return project


@transaction.atomic
def update_project(*, actor, project_id: int, status: str, beneficiaries=0, service_hours=0,
                   ends_on=None) -> OrgProject:
    project = OrgProject.objects.get_managed(actor, pk=project_id)
    if status not in OrgProject.Status.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="status")
    project.status = status
    project.beneficiaries = count(beneficiaries, field="beneficiaries", limit=100_000_000)
    project.service_hours = money(service_hours, field="service_hours").quantize(Decimal("0.1"))
    project.ends_on = day(ends_on, field="ends_on", required=False) or project.ends_on
    if project.ends_on and project.ends_on < project.starts_on:
        raise ValidationFailed(_("The end is before the start."), code="invalid_date", field="ends_on")
    project.save()
    audit.record(actor=actor, action="organizations.project.update", target=project,
                 region_code=project.organization.region_code, detail={"status": status})
    return project
