"""Brand projects (一社区一品牌, 党建项目化管理): registration with goal, indicators, budget, milestones, owner and
partners; progress reports with evidence files; a mid-term and a final evaluation by the subdistrict or district;
promotion of model projects to the public showcase."""

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.uploads import check_upload_size
from civicgrid.partybuilding.errors import WrongStage
from civicgrid.partybuilding.models import BrandProject, Evaluation, Evidence, Milestone, ProgressReport
from civicgrid.partybuilding.services.common import count, ensure_evaluator, managed_region, text
from civicgrid.territory.models import Level

EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx"}
MAX_EVIDENCE = 5
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _indicators(rows) -> list[dict]:
    cleaned = []
    for row in rows or ():
        name = text(row.get("name"), field="indicators", high=100)
        cleaned.append({"name": name, "target": text(str(row.get("target", "")), field="indicators", high=50)})
    if not cleaned:
        raise ValidationFailed(_("Name at least one indicator with its target."), code="indicators_required",
                               field="indicators")
    return cleaned


def _milestones(rows, starts_on: date, ends_on: date) -> list[tuple[str, date]]:
    cleaned = []
    for row in rows or ():
        due = row.get("due_on")
        if not isinstance(due, date) or not starts_on <= due <= ends_on:
            raise ValidationFailed(_("Each milestone falls within the project's dates."), code="milestone_outside",
                                   field="milestones")
        cleaned.append((text(row.get("title"), field="milestones", high=100), due))
    if not cleaned:
        raise ValidationFailed(_("Plan at least one milestone."), code="milestones_required", field="milestones")
    return cleaned


@transaction.atomic
def register_project(*, actor, community: str, title: str, goal: str, indicators, budget: int, owner: str,
                     starts_on: date, ends_on: date, milestones, partners: str = "") -> BrandProject:
    region = managed_region(actor, community, field="community")
    if region.level != Level.COMMUNITY:
        raise ValidationFailed(_("A brand project belongs to a community."), code="community_required",
                               field="community")
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        raise ValidationFailed(_("The project must end after it starts."), code="invalid_span", field="ends_on")
    project = BrandProject(region_code=region.code, title=text(title, field="title", high=100),
                           goal=text(goal, field="goal", high=2000), indicators=_indicators(indicators),
                           budget=count(budget, field="budget", high=10**9), owner=text(owner, field="owner", high=50),
                           partners=text(partners, field="partners", high=300, required=False),
                           starts_on=starts_on, ends_on=ends_on)
    planned = _milestones(milestones, starts_on, ends_on)
    project.full_clean()
    project.save()
    Milestone.objects.bulk_create([Milestone(project=project, title=name, due_on=due) for name, due in planned])
    audit.record(actor=actor, action="partybuilding.project.register", target=project, region_code=region.code,
                 detail={"budget": project.budget, "milestones": len(planned)})
    return project


@transaction.atomic
def complete_milestone(*, actor, milestone_id: int, done_on: date) -> Milestone:
    milestone = Milestone.objects.select_related("project").get_managed(actor, pk=milestone_id)
    if done_on is None or done_on > date.today():
        raise ValidationFailed(_("Give the day it was done (not in the future)."), code="invalid_date",
                               field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit.record(actor=actor, action="partybuilding.project.milestone", target=milestone.project,
                 region_code=milestone.project.region_code, detail={"milestone": milestone.pk, "done_on": str(done_on)})
    return milestone


def _check_file(upload) -> None:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationFailed(_("Evidence files are PDF, images, Word or Excel documents."),
                               code="invalid_file_type", field="files")
    check_upload_size(upload.size, limit=MAX_EVIDENCE_BYTES)


@transaction.atomic
def report_progress(*, actor, project_id: int, text_: str, spent: int = 0, files=()) -> ProgressReport:
    project = BrandProject.objects.select_for_update().get_managed(actor, pk=project_id)
    if project.status == BrandProject.Status.COMPLETED:
        raise WrongStage()
    if len(files) > MAX_EVIDENCE:
        raise ValidationFailed(_("At most %(max)d files.") % {"max": MAX_EVIDENCE}, code="too_many_files",
                               field="files")
    for upload in files:
        _check_file(upload)
    report = ProgressReport.objects.create(project=project, text=text(text_, field="text", high=4000),
                                           spent=count(spent, field="spent", high=10**9), author=actor)
    for upload in files:
        Evidence.objects.create(report=report, file=upload, name=Path(upload.name).name[:200], size=upload.size)
    project.spent += report.spent
    if project.status == BrandProject.Status.REGISTERED:
        project.status = BrandProject.Status.IN_PROGRESS
    project.save(update_fields=["spent", "status"])
    audit.record(actor=actor, action="partybuilding.project.report", target=project, region_code=project.region_code,
                 detail={"spent": report.spent, "files": len(files)})
    return report


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("A score is a number from 0 to 100."), code="invalid_score", field="score") from None
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationFailed(_("A score is a number from 0 to 100."), code="invalid_score", field="score")
    return score


NEEDED: dict[str, str] = {Evaluation.Stage.MIDTERM: BrandProject.Status.IN_PROGRESS,
                          Evaluation.Stage.FINAL: BrandProject.Status.MIDTERM}
AFTER: dict[str, str] = {Evaluation.Stage.MIDTERM: BrandProject.Status.MIDTERM,
                         Evaluation.Stage.FINAL: BrandProject.Status.COMPLETED}


@transaction.atomic
def evaluate(*, actor, project_id: int, stage: str, score, comments: str = "") -> Evaluation:
    """Mid-term once the project has reported progress; final after the mid-term. The final one completes it."""
    project = BrandProject.objects.select_for_update().get_managed(actor, pk=project_id)
    ensure_evaluator(actor)
    if stage not in NEEDED:
        raise ValidationFailed(code="invalid_stage", field="stage")
    if project.status != NEEDED[stage]:
        raise WrongStage(details=[{"status": project.status, "stage": stage}])
    try:
        with transaction.atomic():
            made = Evaluation.objects.create(project=project, stage=stage, score=_score(score), evaluator=actor,
                                             comments=text(comments, field="comments", high=2000, required=False))
    except IntegrityError:
        raise WrongStage() from None
    project.status = AFTER[stage]
    project.save(update_fields=["status"])
    audit.record(actor=actor, action=f"partybuilding.project.evaluate_{stage}", target=project,
                 region_code=project.region_code, detail={"score": str(made.score)})
    return made


@transaction.atomic
def promote(*, actor, project_id: int, showcase_text: str) -> BrandProject:
    """A completed project becomes a model project on the public showcase page."""
    project = BrandProject.objects.select_for_update().get_managed(actor, pk=project_id)
    ensure_evaluator(actor)
    if project.status != BrandProject.Status.COMPLETED:
        raise WrongStage(_("Only a project with its final evaluation can be promoted."))
    project.is_model, project.promoted_at = True, timezone.now()
    project.showcase_text = text(showcase_text, field="showcase_text", low=10, high=2000)
    project.save(update_fields=["is_model", "promoted_at", "showcase_text"])
    audit.record(actor=actor, action="partybuilding.project.promote", target=project, region_code=project.region_code)
    return project
