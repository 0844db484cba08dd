"""The procurement API under /api/v1/procurement/, and the figures the module gives the home page and cockpit."""

import json
from datetime import date

import pytest
from django.test import Client

from civicgrid.accounts.services import issue_token
from civicgrid.core import registry
from civicgrid.procurement import selectors, services
from civicgrid.procurement.models import Stage
from civicgrid.territory.models import Region
from tests.conftest import COMM_B
from tests.procurement.conftest import contracted, publish, start, through_review

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user, name='test')}"}


def test_purchases_and_board_are_scoped(users, line, item):
    purchase = publish(users, start(users, line, item))
    client = Client()
    mine = client.get("/api/v1/procurement/purchases", **_auth(users["district"])).json()
    assert [p["id"] for p in mine] == [purchase.pk] and mine[0]["stage"] == "call"
    assert client.get("/api/v1/procurement/purchases", **_auth(users["community_b"])).json() == []
    assert client.get(f"/api/v1/procurement/purchases/{purchase.pk}", **_auth(users["community_b"])).status_code == 404
    board = client.get("/api/v1/procurement/board", **_auth(users["district"])).json()
    assert [c["stage"] for c in board][:2] == ["draft", "call"] and board[1]["purchases"][0]["id"] == purchase.pk


def test_an_organization_bids_and_the_office_awards_through_the_api(users, line, item, org, expert):
    purchase = publish(users, start(users, line, item))
    client = Client()
    answer = client.post(f"/api/v1/procurement/purchases/{purchase.pk}/bids", json.dumps(
        {"amount": "150000", "proposal": "方案"}), content_type="application/json", **_auth(org.user))
    assert answer.status_code == 201, answer.content
    refused = client.post(f"/api/v1/procurement/purchases/{purchase.pk}/award", json.dumps(
        {"bid_id": answer.json()["id"], "reason": "方案最优"}), content_type="application/json",
        **_auth(users["district"]))
    assert refused.status_code == 409 and refused.json()["code"] == "wrong_stage"  # the call is still open


def test_award_over_budget_answers_409_with_its_code(users, item, org, expert):
    small = services.add_budget_line(actor=users["district"], region_code="110107", year=2026, department="区残联",
                                     amount="200000")
    purchase, bid = through_review(users, small, item, org, expert, amount="180000")
    other, other_bid = through_review(users, small, item, org, expert, amount="180000")
    services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="方案最优")
    answer = Client().post(f"/api/v1/procurement/purchases/{other.pk}/award", json.dumps(
        {"bid_id": other_bid.pk, "reason": "方案最优"}), content_type="application/json", **_auth(users["district"]))
    assert answer.status_code == 409 and answer.json()["code"] == "budget_exceeded"


def test_value_for_money_of_a_contract(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    services.submit_report(actor=org.user, contract_id=contract.pk, text="送餐", beneficiaries=90,
                           service_hours="300")
    value = Client().get(f"/api/v1/procurement/contracts/{contract.pk}/value", **_auth(org.user)).json()
    assert value["beneficiaries"] == 90 and float(value["cost_per_beneficiary"]) == 2000.0
    assert Client().get(f"/api/v1/procurement/contracts/{contract.pk}/value",
                        **_auth(users["community_b"])).status_code == 404


def test_home_figures_and_cockpit_kpis(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    first = contract.instalments.get(seq=1)
    services.invoice(actor=org.user, instalment_id=first.pk, invoice_no="No.0001")
    services.pay(actor=users["district"], instalment_id=first.pk)
    services.submit_report(actor=org.user, contract_id=contract.pk, text="送餐", beneficiaries=45,
                           service_hours="100")
    figures = {f.testid: f.value for f in selectors.home_figures(users["district"])}
    assert figures == {"procurement-live": "1", "procurement-execution": "18.0%"}
    assert selectors.home_figures(org.user) == []
    kpis = {k.key: k for k in registry.cockpit_kpis() if k.panel == "procurement"}
    district = [Region.objects.get(code="110107")]
    period = (date(date.today().year, 1, 1), date(date.today().year + 1, 1, 1))
    assert kpis["procurement_execution"].values(users["district"], district, *period) == {"110107": 0.18}
    assert kpis["procurement_cost_per_beneficiary"].values(users["district"], district, *period) == {
        "110107": 2000.0}
    assert kpis[f"procurement_stage_{Stage.CONTRACTED}"].values(users["district"], district, *period) == {
        "110107": 1}
    community_b = [Region.objects.get(code=COMM_B)]
    assert kpis["procurement_execution"].values(users["community_b"], community_b, *period) == {COMM_B: None}
    assert kpis[f"procurement_stage_{Stage.CONTRACTED}"].values(users["community_b"], district, *period) == {
        "110107": 0}  # the district's purchases are not a community worker's
