"""Every procurement rule, through the services on the real database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.organizations.models import AnnualReport
from civicgrid.procurement import selectors, services
from civicgrid.procurement.errors import (
    BudgetExceeded,
    ConflictOfInterest,
    ContractTooLong,
    NegativeList,
    NotDeclared,
    NotEligible,
    WrongStage,
)
from civicgrid.procurement.models import BudgetLine, Instalment, Stage
from tests.conftest import COMM_A, COMM_B, DISTRICT, SUB_A
from tests.procurement.conftest import contracted, make_org, publish, start, through_review

pytestmark = pytest.mark.django_db


# --- catalogue and the negative list --------------------------------------------------------------------------

@pytest.mark.parametrize("nature", ["goods", "works", "staffing"])
def test_the_negative_list_is_refused_with_a_reason(users, nature):
    with translation.override("en"), pytest.raises(NegativeList) as refused:
        services.add_catalogue_item(actor=users["district"], code="X1", name="采购", field="elderly", nature=nature)
    assert refused.value.code == "negative_list" and refused.value.field == "nature"
    with translation.override("en"):
        assert "cannot be bought as a service:" in str(refused.value.message)
        assert {"goods": "goods procurement", "works": "works", "staffing": "labour dispatch"}[nature] in str(
            refused.value.message)


def test_a_purchase_of_staffing_is_refused(users, line, item):
    with pytest.raises(NegativeList):
        start(users, line, item, nature="staffing")


def test_only_the_district_keeps_the_catalogue(users):
    with pytest.raises(PermissionDenied):
        services.add_catalogue_item(actor=users["sub_a"], code="A9", name="助残", field="disability")
    made = services.add_catalogue_item(actor=users["district"], code="A9", name="助残", field="disability",
                                       priority=True)
    assert made.priority and AuditEvent.objects.filter(action="procurement.catalogue.add").exists()


# --- budget lines ---------------------------------------------------------------------------------------------

def test_budget_lines_per_year_and_department_in_the_own_area(users):
    services.add_budget_line(actor=users["sub_a"], region_code=SUB_A, year=2026, department="街道办", amount="1000")
    with pytest.raises(ValidationFailed):
        services.add_budget_line(actor=users["sub_a"], region_code=SUB_A, year=2026, department="街道办", amount="1")
    with pytest.raises(NotFound):
        services.add_budget_line(actor=users["sub_a"], region_code="110107002", year=2026, department="x",
                                 amount="1")


def test_the_ceiling_cannot_exceed_what_the_line_has_left(users, line, item):
    with pytest.raises(ValidationFailed) as refused:
        start(users, line, item, ceiling="600000")
    assert refused.value.code == "over_budget"


# --- needs → purchase -----------------------------------------------------------------------------------------

def _coverage(users, uncovered: int):
    from civicgrid.servicecircle.models import AnalysisRun, CommunityResult

    run = AnalysisRun.objects.create(region_code=DISTRICT, status="done", walk_speed_m_s=1.2, snap_limit_m=150,
                                     categories=[{"code": "daycare", "name": "日间照料", "level": "15min",
                                                  "walk_distance_m": 1000}], finished_at=timezone.now())
    CommunityResult.objects.create(run=run, community_code=COMM_A, population=1000, places=3,
                                   covered={"daycare": 1000 - uncovered}, uncovered={"daycare": uncovered})
    return run


def test_a_purchase_from_a_service_circle_gap_keeps_its_figures_and_shows_the_change(users, line, item):
    _coverage(users, 600)
    purchase = start(users, line, item, need_kind="gap", need_category="daycare", need_regions=[COMM_A])
    assert purchase.need_before["uncovered"] == 600 and purchase.need_before["covered_share"] == 0.4
    assert purchase.beneficiary_regions == [COMM_A]
    _coverage(users, 150)  # a later analysis, after the service opened
    now = selectors.need_now(purchase)
    assert now["before_value"] == 600 and now["after_value"] == 150 and now["change"] == pytest.approx(-0.75)


def test_a_purchase_from_a_group_of_vulnerable_residents_counts_them(users, line, item):
    purchase = start(users, line, item, need_kind="group", need_category="elderly_alone", need_regions=[COMM_A])
    assert purchase.need_before["residents"] == 0 and "name" not in purchase.need_before


def test_a_need_outside_the_actors_area_answers_404(users, line, item):
    line_a = services.add_budget_line(actor=users["sub_a"], region_code=SUB_A, year=2026, department="街道",
                                      amount="1000")
    with pytest.raises(NotFound):
        services.start_purchase(actor=users["sub_a"], budget_line_id=line_a.pk, item_id=item.pk, title="助老服务",
                                description="说明文字", ceiling="500", need_kind="hotspot", need_category="0101",
                                need_regions=[COMM_B])


# --- selection ------------------------------------------------------------------------------------------------

def test_bids_only_from_eligible_organizations(users, line, item, org):
    purchase = publish(users, start(users, line, item), min_rating=3, clean_years=3)
    low = make_org("新苗社工", serial=3, rating=2)
    unreported = make_org("晨光社工", serial=4, report_year=0)
    filed = make_org("楼门互助会", serial=5, registration="filed", rating=None)
    for organization in (low, unreported, filed):
        with pytest.raises(NotEligible) as refused:
            services.submit_bid(actor=organization.user, purchase_id=purchase.pk, amount="1000", proposal="方案内容")
        assert refused.value.details
    bid = services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount="150000", proposal="方案内容")
    assert bid.state == "submitted"
    with pytest.raises(ValidationFailed):
        services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount="150000", proposal="再投一次")


def test_a_bid_above_the_ceiling_is_refused(users, line, item, org):
    purchase = publish(users, start(users, line, item))
    with pytest.raises(ValidationFailed) as refused:
        services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount="200000.01", proposal="方案内容")
    assert refused.value.code == "above_ceiling"


def test_a_failed_evaluation_keeps_the_organization_out_for_n_years(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    scores = {code: 30 for code in ("out_qty", "out_quality", "out_time", "out_cost", "eff_social", "eff_sustain",
                                    "sat")}
    evaluation = services.evaluate(actor=users["district"], contract_id=contract.pk, scores=scores)
    assert not evaluation.passed
    second = publish(users, start(users, line, item, title="第二期助餐", ceiling="1000"), clean_years=2)
    with pytest.raises(NotEligible) as refused:
        services.submit_bid(actor=org.user, purchase_id=second.pk, amount="900", proposal="方案内容")
    assert any("2" in problem for problem in refused.value.details)
    third = publish(users, start(users, line, item, title="第三期助餐", ceiling="1000"), clean_years=0)
    services.submit_bid(actor=org.user, purchase_id=third.pk, amount="900", proposal="方案内容")


def test_a_reviewer_with_a_conflict_cannot_score(users, line, item, org, expert):
    purchase = publish(users, start(users, line, item))
    bid = services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount="100000", proposal="方案内容")
    services.add_reviewer(actor=users["district"], purchase_id=purchase.pk, username=expert.username)
    services.close_call(actor=users["district"], purchase_id=purchase.pk)
    values = {c.pk: 80 for c in purchase.criteria.all()}
    with pytest.raises(NotDeclared):
        services.score_bid(actor=expert, bid_id=bid.pk, values=values)
    services.declare(actor=expert, purchase_id=purchase.pk, conflict=True, note="曾任该机构理事")
    with pytest.raises(ConflictOfInterest) as refused:
        services.score_bid(actor=expert, bid_id=bid.pk, values=values)
    assert refused.value.status == 403
    with pytest.raises(ValidationFailed):
        services.declare(actor=expert, purchase_id=purchase.pk, conflict=False)  # cannot be withdrawn


def test_a_bidders_own_account_on_the_panel_is_conflicted_whatever_it_declares(users, line, item, org):
    purchase = publish(users, start(users, line, item))
    bid = services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount="100000", proposal="方案内容")
    services.add_reviewer(actor=users["district"], purchase_id=purchase.pk, username=org.user.username)
    services.close_call(actor=users["district"], purchase_id=purchase.pk)
    seat = services.declare(actor=org.user, purchase_id=purchase.pk, conflict=False)
    assert seat.conflict
    with pytest.raises(ConflictOfInterest):
        services.score_bid(actor=org.user, bid_id=bid.pk, values={c.pk: 100 for c in purchase.criteria.all()})


def test_the_ranking_weighs_the_criteria(users, line, item, org, rival, expert):
    purchase, bid = through_review(users, line, item, org, expert)
    assert selectors.ranking(purchase)[0]["score"] == pytest.approx(0.6 * 90 + 0.4 * 80)


def test_an_award_commits_the_budget_and_needs_reasons(users, line, item, org, expert):
    purchase, bid = through_review(users, line, item, org, expert)
    with pytest.raises(ValidationFailed):
        services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="")
    services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="方案最优，报价合理")
    line.refresh_from_db()
    assert line.committed == Decimal("180000")
    with pytest.raises(WrongStage):
        services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="再授一次")


def test_awards_never_exceed_the_budget_line(users, item, org, expert):
    small = services.add_budget_line(actor=users["district"], region_code=DISTRICT, year=2026, department="区残联",
                                     amount="300000")
    first, bid1 = through_review(users, small, item, org, expert, amount="180000")
    second, bid2 = through_review(users, small, item, org, expert, amount="180000")
    services.award(actor=users["district"], purchase_id=first.pk, bid_id=bid1.pk, reason="方案最优")
    with pytest.raises(BudgetExceeded) as refused:
        services.award(actor=users["district"], purchase_id=second.pk, bid_id=bid2.pk, reason="方案最优")
    assert refused.value.status == 409
    assert BudgetLine.objects.get(pk=small.pk).committed == Decimal("180000")


# --- contract and execution -----------------------------------------------------------------------------------

def _awarded(users, line, item, org, expert, **extra):
    purchase, bid = through_review(users, line, item, org, expert)
    if extra:
        type(purchase).objects.filter(pk=purchase.pk).update(**extra)
    services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="方案最优")
    return purchase


def _sign(users, purchase, days: int):
    today = timezone.localdate()
    return services.sign_contract(actor=users["district"], purchase_id=purchase.pk, starts_on=today,
                                  ends_on=today + timedelta(days=days), deliverables="送餐服务",
                                  kpis=[{"name": "人次", "target": "100"}],
                                  instalments=[(Decimal("180000"), today)])


def test_a_contract_runs_at_most_one_year(users, line, item, org, expert):
    purchase = _awarded(users, line, item, org, expert)
    with pytest.raises(ContractTooLong):
        _sign(users, purchase, 366)
    assert _sign(users, purchase, 364).pk


def test_a_recurring_service_may_run_three_years(users, line, item, org, expert):
    purchase = _awarded(users, line, item, org, expert, recurring=True)
    with pytest.raises(ContractTooLong):
        _sign(users, purchase, 3 * 366)
    assert _sign(users, purchase, 3 * 365 - 1).pk


def test_instalments_add_up_to_the_contract_amount(users, line, item, org, expert):
    purchase = _awarded(users, line, item, org, expert)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        services.sign_contract(actor=users["district"], purchase_id=purchase.pk, starts_on=today,
                               ends_on=today + timedelta(days=100), deliverables="送餐服务",
                               kpis=[{"name": "人次", "target": "1"}], instalments=[(Decimal("1000"), today)])
    assert refused.value.code == "invalid_instalments"


def test_reports_with_evidence_feedback_and_changes(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    milestone = contract.milestones.get()
    evidence = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    report = services.submit_report(actor=org.user, contract_id=contract.pk, text="首月送餐 1200 人次",
                                    beneficiaries=55, service_hours="320", milestone_id=milestone.pk,
                                    files=[evidence])
    assert report.evidence.count() == 1
    with pytest.raises(ValidationFailed):
        services.submit_report(actor=org.user, contract_id=contract.pk, text="附件", beneficiaries=1,
                               service_hours="1", files=[SimpleUploadedFile("x.exe", b"MZ")])
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=users["district"], contract_id=contract.pk, text="代报", beneficiaries=1,
                               service_hours="1")
    services.complete_milestone(actor=org.user, milestone_id=milestone.pk)
    services.give_feedback(token=contract.survey_token, satisfaction=5, comment="饭菜可口")
    with pytest.raises(ValidationFailed):
        services.give_feedback(token=contract.survey_token, satisfaction=6)
    with pytest.raises(NotFound):
        services.give_feedback(token="nope", satisfaction=5)
    change = services.request_change(actor=org.user, contract_id=contract.pk, reason="春节停送一周",
                                     new_ends_on=contract.ends_on + timedelta(days=7))
    with pytest.raises(ContractTooLong):
        services.request_change(actor=org.user, contract_id=contract.pk, reason="延长两年",
                                new_ends_on=contract.starts_on + timedelta(days=800))
    services.decide_change(actor=users["district"], change_id=change.pk, approve=True, note="同意")
    contract.refresh_from_db()
    assert contract.ends_on == change.new_ends_on


def _scores(value):
    return {code: value for code in ("out_qty", "out_quality", "out_time", "out_cost", "eff_social", "eff_sustain",
                                     "sat")}


def test_evaluation_weighs_buyer_third_party_and_beneficiaries(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    for stars in (5, 4):
        services.give_feedback(token=contract.survey_token, satisfaction=stars)
    with pytest.raises(ValidationFailed):
        services.evaluate(actor=users["district"], contract_id=contract.pk, scores=_scores(80),
                          third_party_scores={"out_qty": 70})  # a third party needs a name
    evaluation = services.evaluate(actor=users["district"], contract_id=contract.pk, scores=_scores(80),
                                   third_party_scores={"out_qty": 70}, third_party="某评估中心")
    rows = {row["code"]: row for row in evaluation.indicators}
    assert rows["out_qty"]["score"] == 75.0 and rows["sat"]["score"] == pytest.approx((80 + 90) / 2)
    expected = (75 * 20 + 80 * 15 + 80 * 10 + 80 * 10 + 80 * 15 + 80 * 10 + 85 * 20) / 100
    assert float(evaluation.total) == pytest.approx(expected, abs=0.05) and evaluation.passed


def test_a_failed_evaluation_withholds_the_final_instalment(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    services.evaluate(actor=users["district"], contract_id=contract.pk, scores=_scores(40))
    final = contract.instalments.get(final=True)
    assert final.state == Instalment.State.WITHHELD
    line.refresh_from_db()
    assert line.committed == Decimal("90000")  # the withheld half went back to the budget line


def test_payment_after_invoice_acceptance_and_evaluation(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    first, final = contract.instalments.order_by("seq")
    with pytest.raises(ValidationFailed):
        services.pay(actor=users["district"], instalment_id=first.pk)  # no invoice yet
    services.invoice(actor=org.user, instalment_id=first.pk, invoice_no="No.00012345")
    services.pay(actor=users["district"], instalment_id=first.pk)
    services.submit_report(actor=org.user, contract_id=contract.pk, text="全年送餐", beneficiaries=60,
                           service_hours="1200")
    services.invoice(actor=org.user, instalment_id=final.pk, invoice_no="No.00012346")
    with pytest.raises(ValidationFailed) as refused:
        services.pay(actor=users["district"], instalment_id=final.pk)
    assert refused.value.code == "not_accepted"
    services.accept(actor=users["district"], contract_id=contract.pk, note="验收合格")
    services.evaluate(actor=users["district"], contract_id=contract.pk, scores=_scores(90))
    services.pay(actor=users["district"], instalment_id=final.pk)
    contract.purchase.refresh_from_db()
    assert contract.purchase.stage == Stage.PAID
    line.refresh_from_db()
    assert line.paid == Decimal("180000") and selectors.execution_rate(BudgetLine.objects.filter(pk=line.pk)) == 0.36
    value = selectors.value_for_money(contract)
    assert value["cost_per_beneficiary"] == Decimal("3000.00") and value["cost_per_hour"] == Decimal("150.00")


# --- jurisdiction ---------------------------------------------------------------------------------------------

def test_another_area_and_other_bidders_see_nothing(users, line, item, org, rival, expert):
    purchase, bid = through_review(users, line, item, org, expert)
    with pytest.raises(NotFound):
        selectors.get_purchase(actor=users["community_b"], purchase_id=purchase.pk)
    with pytest.raises(NotFound):
        selectors.get_purchase(actor=rival.user, purchase_id=purchase.pk)
    with pytest.raises(NotFound):
        services.award(actor=users["community_b"], purchase_id=purchase.pk, bid_id=bid.pk, reason="越权授予")
    assert selectors.get_purchase(actor=expert, purchase_id=purchase.pk) == purchase
    assert list(selectors.bids_for(actor=org.user, purchase=purchase)) == [bid]


def test_annual_report_status_counts_only_when_filed(users, line, item):
    returned = make_org("回退社工", serial=9, report_year=0)
    AnnualReport.objects.create(organization=returned, year=timezone.localdate().year - 1,
                                status=AnnualReport.Status.RETURNED)
    purchase = publish(users, start(users, line, item))
    with pytest.raises(NotEligible):
        services.submit_bid(actor=returned.user, purchase_id=purchase.pk, amount="1000", proposal="方案内容")
