"""Assessment templates (district), the yearly self-assessment of a community, review by the subdistrict and by
the district. Computed indicators read the platform's figures when the assessment starts and when it is submitted;
nobody types over them."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.communityaffairs import indicators
from civicgrid.communityaffairs.errors import InvalidStage, WeightsIncomplete
from civicgrid.communityaffairs.models import (
    Assessment,
    AssessmentTemplate,
    Indicator,
    Score,
    Stage,
    TemplateIndicator,
)
from civicgrid.communityaffairs.services.common import choice, ensure_district, managed_community, number, text
from civicgrid.core import audit
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.core.scoping import managed_area_of


def create_template(*, actor, name: str, indicators_: list[dict]) -> AssessmentTemplate:
    """`indicators_`: [{name, weight, evidence, source, target}], the weights adding up to 100."""
    area = ensure_district(actor)
    name = text(name, field="name", low=2, high=100)
    rows = []
    for position, row in enumerate(indicators_ or []):
        source = choice(row.get("source") or Indicator.MANUAL, Indicator.choices, field=f"indicators.{position}")
        target = row.get("target")
        if source not in (Indicator.MANUAL, Indicator.SPACE_GAP) and not target:
            raise ValidationFailed(_("A computed indicator needs the target that scores 100."),
                                   code="target_required", field=f"indicators.{position}.target")
        rows.append(TemplateIndicator(name=text(row.get("name"), field="indicator", low=2, high=200),
                                      weight=number(row.get("weight"), field="weight", low=0.1, high=100),
                                      evidence=text(row.get("evidence", ""), field="evidence", low=0, high=300),
                                      source=source, target=float(target) if target else None))
    if not rows or sum(r.weight for r in rows) != Decimal(100):
        raise WeightsIncomplete(field="indicators")
    with transaction.atomic():
        template = AssessmentTemplate.objects.create(region_code=area, name=name, published=True)
        for indicator in rows:
            indicator.template = template
            indicator.full_clean()
        TemplateIndicator.objects.bulk_create(rows)
        audit.record(actor=actor, action="communityaffairs.template.create", target=template, region_code=area,
                     detail={"indicators": len(rows)})
    return template


def _refresh_computed(actor, assessment: Assessment) -> None:
    for score in assessment.scores.select_related("indicator"):
        if score.indicator.source != Indicator.MANUAL:
            score.figure = indicators.figure_of(score.indicator, actor=actor, code=assessment.region_code,
                                                year=assessment.year)
            score.self_score = indicators.score_of(score.indicator, score.figure, code=assessment.region_code)
            score.save(update_fields=["figure", "self_score"])


def start(*, actor, template_id: int, community: str, year: int) -> Assessment:
    """The community opens its self-assessment for the year (again: the same one)."""
    code = managed_community(actor, community)
    template = AssessmentTemplate.objects.get_visible(actor, pk=template_id)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(code="invalid_year", field="year")
    if not template.published and not Assessment.objects.filter(template=template, region_code=code,
                                                                year=int(year)).exists():
        raise ValidationFailed(_("This assessment template is withdrawn; no new assessment can start from it."),
                               code="template_withdrawn", field="template")
    with transaction.atomic():
        assessment, made = Assessment.objects.get_or_create(template=template, region_code=code, year=int(year))
        if made:
            Score.objects.bulk_create([Score(assessment=assessment, indicator=indicator)
                                       for indicator in template.indicators.all()])
            _refresh_computed(actor, assessment)
            audit.record(actor=actor, action="communityaffairs.assessment.start", target=assessment,
                         region_code=code, detail={"template": template.pk, "year": assessment.year})
    return assessment


def _locked(actor, assessment_id: int, stage: str) -> Assessment:
    Assessment.objects.get_visible(actor, pk=assessment_id)
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("template").get(pk=assessment_id)
    if assessment.stage != stage:
        raise InvalidStage()
    return assessment


def _score_value(value, field: str) -> float | None:
    if value is None or value == "":
        return None
    return float(number(value, field=field, low=0, high=100))


def self_assess(*, actor, assessment_id: int, scores: dict) -> Assessment:
    """`scores`: {indicator id: {"score": 0–100, "evidence": text}}; computed indicators keep their figure."""
    with transaction.atomic():
        assessment = _locked(actor, assessment_id, Stage.DRAFT)
        managed_community(actor, assessment.region_code)
        for score in assessment.scores.select_related("indicator"):
            given = scores.get(score.indicator_id) or scores.get(str(score.indicator_id)) or {}
            if "evidence" in given:
                score.evidence = str(given["evidence"] or "").strip()[:4000]
            if score.indicator.source == Indicator.MANUAL and "score" in given:
                score.self_score = _score_value(given["score"], f"scores.{score.indicator_id}")
            score.save(update_fields=["evidence", "self_score"])
        audit.record(actor=actor, action="communityaffairs.assessment.self_assess", target=assessment,
                     region_code=assessment.region_code, detail={"scores": len(scores)})
    return assessment


def submit(*, actor, assessment_id: int) -> Assessment:
    """Every indicator scored by hand has its score, and every indicator its evidence where evidence is required;
    the computed ones are read once more (one without a figure is left out of the total)."""
    with transaction.atomic():
        assessment = _locked(actor, assessment_id, Stage.DRAFT)
        managed_community(actor, assessment.region_code)
        _refresh_computed(actor, assessment)
        missing = [s.indicator.name for s in assessment.scores.select_related("indicator")
                   if (s.self_score is None and s.indicator.source == Indicator.MANUAL)
                   or (s.indicator.evidence and not s.evidence)]
        if missing:
            raise ValidationFailed(_("Score every indicator and give the evidence it requires: %(names)s")
                                   % {"names": "、".join(missing)}, code="incomplete_assessment")
        assessment.self_total = _total(assessment, "self_score")
        assessment.stage = Stage.SUBMITTED
        assessment.save(update_fields=["self_total", "stage", "updated_at"])
        audit.record(actor=actor, action="communityaffairs.assessment.submit", target=assessment,
                     region_code=assessment.region_code, detail={"total": assessment.self_total})
    return assessment


def _total(assessment: Assessment, field: str) -> float | None:
    pairs = [(float(s.indicator.weight), getattr(s, field)) for s in assessment.scores.select_related("indicator")]
    return indicators.weighted_total(pairs)


REVIEWS = {Stage.SUBMITTED: ("subdistrict_score", "self_score", "subdistrict_total", Stage.SUBDISTRICT, 9),
           Stage.SUBDISTRICT: ("district_score", "subdistrict_score", "district_total", Stage.FINAL, 6)}


def review(*, actor, assessment_id: int, scores: dict | None = None) -> Assessment:
    """The subdistrict reviews a submitted assessment, then the district gives the final scores. An indicator the
    reviewer does not score keeps the previous stage's score."""
    with transaction.atomic():
        assessment = Assessment.objects.get_visible(actor, pk=assessment_id)
        if assessment.stage not in REVIEWS:
            raise InvalidStage()
        field, previous, total, after, level = REVIEWS[assessment.stage]
        area = managed_area_of(actor)
        if area is None or (area != "" and len(area) != level):
            raise PermissionDenied()
        assessment = _locked(actor, assessment_id, assessment.stage)
        for score in assessment.scores.select_related("indicator"):
            given = (scores or {}).get(score.indicator_id, (scores or {}).get(str(score.indicator_id)))
            value = _score_value(given, f"scores.{score.indicator_id}")
            setattr(score, field, value if value is not None else getattr(score, previous))
            score.save(update_fields=[field])
        setattr(assessment, total, _total(assessment, field))
        assessment.stage = after
        assessment.save(update_fields=[total, "stage", "updated_at"])
        audit.record(actor=actor, action="communityaffairs.assessment.review", target=assessment,
                     region_code=assessment.region_code, detail={"stage": after, "total": getattr(assessment, total)})
    return assessment
