"""Assessment templates, the yearly self-assessment, reviews by subdistrict and district, ranks, and the indicators
computed from the platform's own figures (cases, volunteering, the space standard)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.cases import services as cases
from civicgrid.cases.models import Case, Channel, State
from civicgrid.communityaffairs import indicators, selectors, services
from civicgrid.communityaffairs.errors import InvalidStage, WeightsIncomplete
from civicgrid.communityaffairs.models import Indicator, Stage
from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.volunteering import services as volunteering
from civicgrid.volunteering.models import ServiceRecord
from tests.conftest import COMM_A, COMM_B
from tests.volunteering.conftest import new_volunteer

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _template(users, **extra):
    return services.create_template(actor=users["district"], name="六型社区评估", indicators_=[
        {"name": "党组织领导有力", "weight": 40, "evidence": "会议记录"},
        {"name": "用房达标", "weight": 30, "source": Indicator.SPACE_GAP},
        {"name": "案件按时办结", "weight": 30, "source": Indicator.CASE_ON_TIME, "target": 0.8}])


def _manual(assessment):
    return assessment.scores.get(indicator__source=Indicator.MANUAL).indicator_id


def test_weights_must_add_up_to_100_and_computed_indicators_need_a_target(users, regions):
    with pytest.raises(WeightsIncomplete):
        services.create_template(actor=users["district"], name="评估", indicators_=[{"name": "甲项", "weight": 60}])
    with pytest.raises(ValidationFailed) as refused:
        services.create_template(actor=users["district"], name="评估", indicators_=[
            {"name": "甲项", "weight": 100, "source": Indicator.VOLUNTEER_HOURS}])
    assert refused.value.code == "target_required"
    with pytest.raises(PermissionDenied):
        services.create_template(actor=users["sub_a"], name="评估", indicators_=[{"name": "甲项", "weight": 100}])


def _closed_cases(users, on_time: int, late: int):
    now = timezone.now()
    for n in range(on_time + late):
        case = cases.report_case(actor=users["grid_a"], channel=Channel.PATROL, description=f"井盖缺失{n}",
                                 lon=116.155, lat=39.905)
        Case.objects.filter(pk=case.pk).update(state=State.CLOSED, closed_at=now - timedelta(hours=1),
                                               deadline=now if n < on_time else now - timedelta(hours=2))


def test_the_case_indicator_reads_the_on_time_closure_rate(users, regions):
    _closed_cases(users, on_time=3, late=1)
    template = _template(users)
    assessment = services.start(actor=users["community_a"], template_id=template.pk, community=COMM_A, year=YEAR)
    score = assessment.scores.get(indicator__source=Indicator.CASE_ON_TIME)
    assert score.figure == 0.75 and score.self_score == 93.8  # 0.75 of a 0.8 target


def test_the_space_gap_indicator_loses_in_proportion_to_the_gap(users, regions):
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="262.5")
    assessment = services.start(actor=users["community_a"], template_id=_template(users).pk, community=COMM_A,
                                year=YEAR)
    score = assessment.scores.get(indicator__source=Indicator.SPACE_GAP)
    assert score.figure == 87.5 and score.self_score == 75.0  # 87.5 m² short of 350 m²


def test_volunteer_hours_per_thousand_residents(users, regions):
    regions["community_a"].population = 2000
    regions["community_a"].save()
    volunteer = new_volunteer(verified_by=users["community_a"])
    team = volunteering.create_team(actor=users["community_a"], name="阳光志愿队", region_code=COMM_A)
    start = timezone.now() - timedelta(days=1)
    for hours, status in ((3, ServiceRecord.Status.CONFIRMED), (2, ServiceRecord.Status.CONFIRMED),
                          (7, ServiceRecord.Status.PENDING)):
        ServiceRecord.objects.create(volunteer=volunteer, team=team, region_code=COMM_A, service_date=start.date(),
                                     started_at=start, ended_at=start + timedelta(hours=hours), content="探访",
                                     minutes=hours * 60, status=status)
    assert indicators.volunteer_hours(users["community_a"], COMM_A, start.year) == 2.5  # 5 h / 2,000 × 1,000
    assert indicators.volunteer_hours(users["community_b"], COMM_B, start.year) is None  # no population recorded


def test_weighted_total_leaves_out_indicators_without_a_figure():
    assert indicators.weighted_total([(40, 80.0), (60, 90.0)]) == 86.0
    assert indicators.weighted_total([(40, 80.0), (60, None)]) == 80.0
    assert indicators.weighted_total([(40, None)]) is None


def _finished(users, community_user, code, manual_score, sub_score=None):
    template = selectors.templates(actor=users["district"]).first() or _template(users)
    item = services.start(actor=community_user, template_id=template.pk, community=code, year=YEAR)
    services.self_assess(actor=community_user, assessment_id=item.pk,
                         scores={_manual(item): {"score": manual_score, "evidence": "会议记录12份"}})
    services.submit(actor=community_user, assessment_id=item.pk)
    return item


def test_self_assessment_review_by_subdistrict_and_district(users, regions):
    item = _finished(users, users["community_a"], COMM_A, 90)
    item.refresh_from_db()
    # no rooms: all 350 m² missing scores 0; no case closed: no figure, left out → (90 × 40 + 0 × 30) / 70
    assert item.stage == Stage.SUBMITTED and item.self_total == 51.43
    with pytest.raises(PermissionDenied):  # the district reviews after the subdistrict, not before
        services.review(actor=users["district"], assessment_id=item.pk)
    services.review(actor=users["sub_a"], assessment_id=item.pk, scores={_manual(item): 80})
    final = services.review(actor=users["district"], assessment_id=item.pk, scores={_manual(item): 70})
    assert final.stage == Stage.FINAL
    scores = {s.indicator.source: s for s in final.scores.select_related("indicator")}
    assert (scores["manual"].self_score, scores["manual"].subdistrict_score, scores["manual"].district_score) == \
        (90.0, 80.0, 70.0)
    assert scores["case_on_time"].district_score is None
    assert final.subdistrict_total == 45.71 and final.district_total == 40.0  # 80 × 40 / 70, 70 × 40 / 70
    with pytest.raises(InvalidStage):
        services.review(actor=users["district"], assessment_id=item.pk)


def test_submitting_needs_every_score_and_the_evidence(users, regions):
    _closed_cases(users, on_time=1, late=0)
    template = _template(users)
    item = services.start(actor=users["community_a"], template_id=template.pk, community=COMM_A, year=YEAR)
    services.self_assess(actor=users["community_a"], assessment_id=item.pk, scores={_manual(item): {"score": 90}})
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=users["community_a"], assessment_id=item.pk)
    assert refused.value.code == "incomplete_assessment" and "党组织领导有力" in str(refused.value.message)
    with pytest.raises(ValidationFailed):  # scores are 0–100
        services.self_assess(actor=users["community_a"], assessment_id=item.pk,
                             scores={_manual(item): {"score": 101}})


def test_computed_scores_cannot_be_typed_over(users, regions):
    item = services.start(actor=users["community_a"], template_id=_template(users).pk, community=COMM_A, year=YEAR)
    gap = item.scores.get(indicator__source=Indicator.SPACE_GAP)
    services.self_assess(actor=users["community_a"], assessment_id=item.pk, scores={gap.indicator_id: {"score": 100}})
    gap.refresh_from_db()
    assert gap.self_score == 0.0


def test_ranking_orders_communities_by_their_latest_total(users, regions):
    _closed_cases(users, on_time=1, late=0)  # community A closed one case in time; community B none
    a = _finished(users, users["community_a"], COMM_A, 90)  # (90 × 40 + 0 × 30 + 100 × 30) / 100 = 66
    b = _finished(users, users["community_b"], COMM_B, 95)  # (95 × 40 + 0 × 30) / 70 = 54.29
    # after the review: (40 × 40 + 0 × 30 + 100 × 30) / 100 = 46
    services.review(actor=users["sub_a"], assessment_id=a.pk, scores={_manual(a): 40})
    rows = selectors.ranking(actor=users["district"], template_id=a.template_id, year=YEAR)
    assert [(r["code"], r["total"], r["rank"]) for r in rows] == [(COMM_B, 54.29, 1), (COMM_A, 46.0, 2)]
    assert b.pk == rows[0]["assessment"].pk
    assert [r["code"] for r in selectors.ranking(actor=users["sub_a"], template_id=a.template_id,
                                                 year=YEAR)] == [COMM_A]
    with pytest.raises(PermissionDenied):  # ranks are the reviewers'
        selectors.ranking(actor=users["community_b"], template_id=a.template_id, year=YEAR)


def test_a_superusers_template_belongs_to_his_district_and_reaches_its_communities(users, regions):
    users["district"].is_superuser = True
    users["district"].save()
    template = _template(users)
    assert template.region_code == "110107"
    assert services.start(actor=users["community_a"], template_id=template.pk, community=COMM_A, year=YEAR).pk


def test_ranks_name_the_communities_and_go_into_the_reviewers_export(users, regions, login):
    a = _finished(users, users["community_a"], COMM_A, 90)
    _finished(users, users["community_b"], COMM_B, 95)
    services.review(actor=users["sub_a"], assessment_id=a.pk, scores={_manual(a): 40})
    page = login(users["district"]).get(f"/communityaffairs/assessments/?year={YEAR}",
                                        HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f">{regions['community_a'].name}</a>" in page and f">{COMM_A}</a>" not in page
    book = load_workbook(io.BytesIO(login(users["district"]).get(f"/communityaffairs/export.xlsx?year={YEAR}",
                                                                 HTTP_ACCEPT_LANGUAGE="zh-hans").content))
    ranks = [[c.value for c in row] for row in book.worksheets[-1].iter_rows(min_row=2)]
    assert [(r[1], r[2], r[4]) for r in ranks] == [(1, regions["community_b"].name, None),
                                                   (2, regions["community_a"].name, 22.86)]  # 40 × 40 / 70
    community = load_workbook(io.BytesIO(login(users["community_a"]).get("/communityaffairs/export.xlsx").content))
    assert len(community.worksheets) == 4  # a community sees its own assessment, not the ranks
