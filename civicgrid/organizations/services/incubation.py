"""The district service centre's incubation: indicator templates and cohorts, applications and admission,
services logged with hours and staff, milestones, capacity scores (entry, mid-term, exit) and the outcome:
graduate, extend or leave."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.models import User
from civicgrid.core import audit
from civicgrid.core.errors import Conflict, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.organizations.errors import BadScores, WrongState
from civicgrid.organizations.models import (
    CapacityAssessment,
    Cohort,
    Incubation,
    IncubationApplication,
    Indicator,
    IndicatorTemplate,
    Milestone,
    ServiceLog,
)
from civicgrid.organizations.services.common import count, day, is_office, require_own_organization, text
from civicgrid.organizations.services.records import money
from civicgrid.territory.models import Level, Region

OUTCOMES = {"graduate": Incubation.Status.GRADUATED, "extend": Incubation.Status.EXTENDED,
            "leave": Incubation.Status.LEFT}


def _centre(actor, code) -> Region:
    region = Region.objects.filter(code=str(code or ""), level__in=[Level.DISTRICT, Level.SUBDISTRICT]).first()
    if region is None:
        raise ValidationFailed(_("Choose the district or a subdistrict."), code="unknown_region", field="region")
    ensure_manages(actor, region.code)
    return region


@transaction.atomic
def create_template(*, actor, name: str, indicators: list[dict], description: str = "") -> IndicatorTemplate:
    """A capacity indicator template: each indicator a code, a name, a weight and a maximum score."""
    if not is_office(actor):
        raise PermissionDenied()
    if not indicators:
        raise ValidationFailed(_("Add at least one indicator."), code="no_indicators", field="indicators")
    name = text(name, field="name", limit=100)
    if IndicatorTemplate.objects.filter(name=name).exists():
        raise ValidationFailed(_("A template of this name exists."), code="duplicate_name", field="name")
    template = IndicatorTemplate.objects.create(name=name, description=text(description, field="description",
                                                                            limit=300, required=False))
    codes = set()
    for order, item in enumerate(indicators):
        code = text(item.get("code"), field="indicators", limit=40)
        if code in codes:
            raise ValidationFailed(_("Each indicator needs its own code."), code="duplicate_code", field="indicators")
        codes.add(code)
        weight = money(item.get("weight", 1), field="indicators")
        if weight <= 0:
            raise ValidationFailed(_("A weight is above zero."), code="invalid_weight", field="indicators")
        Indicator.objects.create(template=template, code=code, name=text(item.get("name"), field="indicators",
                                                                          limit=100),
                                 weight=weight, max_score=max(1, count(item.get("max_score", 10), field="indicators",
                                                                       limit=1000)), order=order)
    audit.record(actor=actor, action="organizations.template.create", target=template,
                 detail={"indicators": len(codes)})
    return template


@transaction.atomic
def create_cohort(*, actor, name: str, region_code: str, starts_on, ends_on, template_id: int,
                  capacity: int = 20) -> Cohort:
    region = _centre(actor, region_code)
    template = IndicatorTemplate.objects.filter(pk=template_id, active=True).first()
    if template is None or not template.indicators.exists():
        raise ValidationFailed(_("Choose an active indicator template."), code="unknown_template", field="template")
    starts, ends = day(starts_on, field="starts_on"), day(ends_on, field="ends_on")
    if ends <= starts:  # type: ignore[operator]
        raise ValidationFailed(_("The end is before the start."), code="invalid_date", field="ends_on")
    name = text(name, field="name", limit=100)
    if Cohort.objects.filter(region_code=region.code, name=name).exists():
        raise ValidationFailed(_("A cohort of this name exists."), code="duplicate_name", field="name")
    cohort = Cohort.objects.create(name=name, region=region, starts_on=starts, ends_on=ends, template=template,
                                   capacity=max(1, count(capacity, field="capacity", limit=1000)))
    audit.record(actor=actor, action="organizations.cohort.create", target=cohort, region_code=cohort.region_code)
    return cohort


@transaction.atomic
def set_cohort_status(*, actor, cohort_id: int, status: str) -> Cohort:
    cohort = Cohort.objects.get_managed(actor, pk=cohort_id)
    if status not in Cohort.Status.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="status")
    before, cohort.status = cohort.status, status
    cohort.save(update_fields=["status"])
    audit.record(actor=actor, action="organizations.cohort.status", target=cohort, region_code=cohort.region_code,
                 detail={"from": before, "to": status})
    return cohort


@transaction.atomic
def apply(*, actor, cohort_id: int, needs: str, plan: str = "") -> IncubationApplication:
    """The organization (its own account) applies to a recruiting cohort."""
    org = require_own_organization(actor)
    cohort = Cohort.objects.get_visible(actor, pk=cohort_id)
    if cohort.status != Cohort.Status.RECRUITING:
        raise WrongState(_("This cohort is not taking applications."))
    if Incubation.objects.filter(organization=org, status__in=Incubation.CURRENT).exists():
        raise Conflict(_("Your organization is already in incubation."), code="already_incubating")
    if IncubationApplication.objects.filter(organization=org, cohort=cohort,
                                            status__in=["submitted", "admitted"]).exists():
        raise Conflict(_("Your organization has already applied to this cohort."), code="already_applied")
    application = IncubationApplication.objects.create(
        organization=org, cohort=cohort, needs=text(needs, field="needs", limit=2000),
        plan=text(plan, field="plan", limit=5000, required=False), submitted_by=actor)
    audit.record(actor=actor, action="organizations.incubation.apply", target=application,
                 region_code=org.region_code, detail={"cohort": cohort.pk})
    return application


@transaction.atomic
def decide_application(*, actor, application_id: int, admit: bool, reason: str = "",
                       mentor_id: int | None = None) -> IncubationApplication:
    """The centre admits an application into its cohort (within the cohort's capacity) or declines it."""
    application = IncubationApplication.objects.get_visible(actor, pk=application_id)
    cohort = Cohort.objects.get_managed(actor, pk=application.cohort_id)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)  # admissions to one cohort one at a time
    application = IncubationApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != IncubationApplication.Status.SUBMITTED:
        raise WrongState()
    if not admit:
        application.decision_reason = text(reason, field="reason", limit=500)
        _decide(application, actor, IncubationApplication.Status.DECLINED)
        return application
    if cohort.incubations.filter(status__in=Incubation.CURRENT).count() >= cohort.capacity:
        raise Conflict(_("The cohort is full."), code="cohort_full")
    if Incubation.objects.filter(organization_id=application.organization_id,
                                 status__in=Incubation.CURRENT).exists():
        raise Conflict(_("The organization is already in incubation."), code="already_incubating")
    today = timezone.localdate()
    mentor = User.objects.filter(pk=mentor_id).first() if mentor_id else None
    Incubation.objects.create(organization_id=application.organization_id, cohort=cohort, application=application,
                              admitted_on=today, mentor=mentor,
                              planned_exit_on=max(cohort.ends_on, today + timedelta(days=1)))
    application.decision_reason = text(reason, field="reason", limit=500, required=False)
    _decide(application, actor, IncubationApplication.Status.ADMITTED)
    return application


def _decide(application: IncubationApplication, actor, status: str) -> None:
    application.status, application.decided_at, application.decided_by = status, timezone.now(), actor
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    detail = {"cohort": application.cohort_id}
    if status == IncubationApplication.Status.ADMITTED:
        audit.record(actor=actor, action="organizations.incubation.admit", target=application,
                     region_code=application.organization.region_code, detail=detail)
    else:
        audit.record(actor=actor, action="organizations.incubation.decline", target=application,
                     region_code=application.organization.region_code, detail=detail)


def _centre_incubation(actor, incubation_id, *, current: bool = True) -> Incubation:
    """An incubation the actor's centre runs: 404 out of sight, 403 when only visible."""
    incubation = Incubation.objects.get_visible(actor, pk=incubation_id)
    if not Cohort.objects.managed_by(actor).filter(pk=incubation.cohort_id).exists():
        raise PermissionDenied()
    if current and incubation.status not in Incubation.CURRENT:
        raise WrongState(_("The incubation has ended."))
    return incubation


@transaction.atomic
def log_service(*, actor, incubation_id: int, kind: str, delivered_on, hours, note: str = "",
                staff_id: int | None = None) -> ServiceLog:
    incubation = _centre_incubation(actor, incubation_id)
    if kind not in ServiceLog.Kind.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="kind")
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not Decimal("0") < amount <= Decimal("24"):
        raise ValidationFailed(_("Hours are above 0 and at most 24 a day."), code="invalid_hours", field="hours")
    delivered = day(delivered_on, field="delivered_on")
    if delivered > timezone.localdate() or delivered < incubation.admitted_on:  # type: ignore[operator]
        raise ValidationFailed(_("The date lies outside the incubation."), code="invalid_date", field="delivered_on")
    staff = actor
    if staff_id and staff_id != actor.pk:
        staff = User.objects.filter(pk=staff_id, role=actor.role, region_code=actor.region_code).first()
        if staff is None:
            raise ValidationFailed(_("Choose a colleague of the centre."), code="unknown_staff", field="staff")
    log = ServiceLog.objects.create(incubation=incubation, kind=kind, delivered_on=delivered, hours=amount,
                                    staff=staff, note=text(note, field="note", limit=500, required=False))
    audit.record(actor=actor, action="organizations.incubation.service", target=log,
                 region_code=incubation.organization.region_code, detail={"kind": kind, "hours": str(amount)})
    return log


@transaction.atomic
def add_milestone(*, actor, incubation_id: int, title: str, due_on) -> Milestone:
    incubation = _centre_incubation(actor, incubation_id)
    milestone = Milestone.objects.create(incubation=incubation, title=text(title, field="title", limit=200),
                                         due_on=day(due_on, field="due_on"))
    audit.record(actor=actor, action="organizations.incubation.milestone", target=milestone,
                 region_code=incubation.organization.region_code)
    return milestone


@transaction.atomic
def complete_milestone(*, actor, milestone_id: int, done_on=None, evidence: str = "") -> Milestone:
    """The centre confirms a milestone reached (with what shows it)."""
    milestone = Milestone.objects.get_visible(actor, pk=milestone_id)
    incubation = _centre_incubation(actor, milestone.incubation_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise WrongState(_("The milestone is already done."))
    done = day(done_on, field="done_on", required=False) or timezone.localdate()
    if done > timezone.localdate():
        raise ValidationFailed(_("A milestone is done today or earlier."), code="invalid_date", field="done_on")
    milestone.done_on, milestone.evidence = done, text(evidence, field="evidence", limit=500, required=False)
    milestone.save(update_fields=["done_on", "evidence"])
    audit.record(actor=actor, action="organizations.incubation.milestone.done", target=milestone,
                 region_code=incubation.organization.region_code)
    return milestone


def score_total(indicators: list[Indicator], scores: dict) -> tuple[dict, Decimal]:
    """Checked scores and the weighted total on 0–100: Σ weight × score / max, over Σ weight."""
    cleaned, weighted, weights = {}, Decimal(0), Decimal(0)
    for indicator in indicators:
        try:
            value = Decimal(str(scores[indicator.code]))
        except (KeyError, InvalidOperation, ValueError):
            raise BadScores(field=indicator.code) from None
        if not Decimal(0) <= value <= indicator.max_score:
            raise BadScores(field=indicator.code)
        cleaned[indicator.code] = float(value)
        weighted += indicator.weight * value / indicator.max_score
        weights += indicator.weight
    if set(scores) - set(cleaned):
        raise BadScores(field=sorted(set(scores) - set(cleaned))[0])
    return cleaned, (weighted * 100 / weights).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def assess(*, actor, incubation_id: int, stage: str, scores: dict, assessed_on=None,
           note: str = "") -> CapacityAssessment:
    """A capacity score with the cohort's indicator template; mid-term and exit come after entry."""
    incubation = _centre_incubation(actor, incubation_id)
    if stage not in CapacityAssessment.Stage.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="stage")
    done = set(incubation.assessments.values_list("stage", flat=True))
    if stage in done:
        raise WrongState(_("This stage has already been scored."))
    if stage != CapacityAssessment.Stage.ENTRY and CapacityAssessment.Stage.ENTRY not in done:
        raise WrongState(_("Score the entry stage first."))
    cleaned, total = score_total(list(incubation.cohort.template.indicators.all()), scores or {})
    assessment = CapacityAssessment.objects.create(
        incubation=incubation, stage=stage, assessed_on=day(assessed_on, field="assessed_on", required=False)
        or timezone.localdate(), assessor=actor, scores=cleaned, total=total,
        note=text(note, field="note", limit=500, required=False))
    audit.record(actor=actor, action="organizations.incubation.assess", target=assessment,
                 region_code=incubation.organization.region_code, detail={"stage": stage, "total": str(total)})
    return assessment


@transaction.atomic
def conclude(*, actor, incubation_id: int, outcome: str, reason: str = "", on=None,
             extend_until=None) -> Incubation:
    """Graduate (needs the exit score), extend (to a later planned exit) or leave (with a reason)."""
    incubation = _centre_incubation(actor, incubation_id)
    incubation = Incubation.objects.select_for_update().get(pk=incubation.pk)
    if outcome not in OUTCOMES:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="outcome")
    before = incubation.status
    if outcome == "extend":
        until = day(extend_until, field="extend_until")
        if until <= incubation.planned_exit_on:  # type: ignore[operator]
            raise ValidationFailed(_("An extension ends after the planned exit."), code="invalid_date",
                                   field="extend_until")
        incubation.planned_exit_on = until  # type: ignore[assignment]
        incubation.outcome_reason = text(reason, field="reason", limit=500, required=False)
    else:
        if outcome == "graduate" and not incubation.assessments.filter(stage=CapacityAssessment.Stage.EXIT).exists():
            raise WrongState(_("Score the exit stage before graduating."))
        incubation.ended_on = day(on, field="on", required=False) or timezone.localdate()
        incubation.outcome_reason = text(reason, field="reason", limit=500, required=outcome == "leave")
    incubation.status = OUTCOMES[outcome]
    incubation.save()
    audit.record(actor=actor, action="organizations.incubation.conclude", target=incubation,
                 region_code=incubation.organization.region_code, detail={"from": before, "to": incubation.status})
    return incubation
