"""The pages and the open-data export: the board, a purchase through its forms, the organization portal, the
survey from a phone link, the disclosure page, the xlsx export and the 360Giving JSON validated against the
standard's schema (vendored in tests/procurement/data with its licence)."""

import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from civicgrid.procurement import services
from civicgrid.procurement.models import Purchase, Stage
from tests.procurement.conftest import contracted, publish, start

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _validator() -> Draft202012Validator:
    grant = json.loads((DATA / "360-giving-schema.json").read_text())
    package = json.loads((DATA / "360-giving-package-schema.json").read_text())
    resource = DRAFT202012.create_resource(grant)  # the files say http:// for the 2020-12 dialect
    registry = Registry().with_resources([(grant["$id"], resource), (grant["$id"].replace("1.4.3", "1.4.2"),
                                                                     resource)])
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def _paid(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    services.submit_report(actor=org.user, contract_id=contract.pk, text="全年送餐", beneficiaries=60,
                           service_hours="900")
    services.give_feedback(token=contract.survey_token, satisfaction=5)
    for instalment in contract.instalments.order_by("seq"):
        services.invoice(actor=org.user, instalment_id=instalment.pk, invoice_no=f"No.{instalment.pk:08d}")
    services.accept(actor=users["district"], contract_id=contract.pk)
    services.evaluate(actor=users["district"], contract_id=contract.pk,
                      scores={c: 90 for c in ("out_qty", "out_quality", "out_time", "out_cost", "eff_social",
                                              "eff_sustain")})
    for instalment in contract.instalments.order_by("seq"):
        services.pay(actor=users["district"], instalment_id=instalment.pk)
    return contract


def test_the_360giving_export_validates_against_the_standard(users, line, item, org, expert):
    contract = _paid(users, line, item, org, expert)
    answer = Client().get("/procurement/disclosure/360giving.json")
    assert answer.status_code == 200
    package = answer.json()
    errors = sorted(_validator().iter_errors(package), key=str)
    assert not errors, [error.message for error in errors]
    grant = package["grants"][0]
    assert grant["currency"] == "CNY" and grant["amountAwarded"] == 180000.0
    assert grant["recipientOrganization"][0]["id"] == f"CN-USCC-{org.credit_code}"
    assert grant["beneficiaryLocation"][0]["geoCode"] == contract.purchase.beneficiary_regions[0]
    assert grant["plannedDates"][0]["startDate"].startswith(contract.starts_on.isoformat())
    api = Client().get("/api/v1/procurement/disclosure/360giving")
    assert api.status_code == 200 and api.json()["grants"][0]["id"] == grant["id"]


def test_a_broken_grant_fails_the_schema(users, line, item, org, expert):
    """The validator is strict enough to notice: a grant whose amount is text is refused."""
    contract = _paid(users, line, item, org, expert)
    package = Client().get("/procurement/disclosure/360giving.json").json()
    package["grants"][0]["amountAwarded"] = "十八万"
    assert list(_validator().iter_errors(package)) and contract.pk


def test_the_disclosure_page_shows_calls_awards_and_evaluations_only(users, line, item, org, expert):
    contract = _paid(users, line, item, org, expert)
    draft = start(users, line, item, title="未公开的草稿采购")
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/procurement/disclosure/").content.decode()
    assert contract.purchase.title in page and org.name in page and "未公开的草稿采购" not in page
    assert Client().get(f"/procurement/disclosure/{draft.pk}/").status_code == 404
    detail = Client().get(f"/procurement/disclosure/{contract.purchase_id}/").content.decode()
    assert "方案最优" in detail and "张三" not in detail  # the award's reasons; never the legal representative


def test_the_board_shows_each_purchase_in_its_stage(login, users, line, item):
    purchase = publish(users, start(users, line, item))
    page = login(users["district"]).get("/procurement/")
    assert page.status_code == 200
    columns = page.content.decode().split('data-testid="stage-')
    in_call = next(column for column in columns if column.startswith("call"))
    assert purchase.title in in_call


def test_a_purchase_through_the_staff_forms(login, users, line, item, org):
    client = login(users["district"])
    answer = client.post("/procurement/new/", {"title": "助餐服务", "description": "老人助餐", "item": item.pk,
                                               "budget_line": line.pk, "ceiling": "100000"})
    purchase = Purchase.objects.get(title="助餐服务")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/purchases/{purchase.pk}/")
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(f"/procurement/purchases/{purchase.pk}/call/", {
        "call_text": "征集", "bid_deadline": deadline, "criterion": ["方案", "报价", ""], "weight": ["70", "30", ""]})
    purchase.refresh_from_db()
    assert purchase.stage == Stage.CALL and purchase.criteria.count() == 2
    bid_page = login(org.user).get(f"/procurement/purchases/{purchase.pk}/bid/")
    assert bid_page.status_code == 200 and 'data-testid="bid-submit"' in bid_page.content.decode()
    login(org.user).post(f"/procurement/purchases/{purchase.pk}/bid/", {"amount": "90000", "proposal": "方案"})
    assert purchase.bids.count() == 1


def test_a_negative_list_item_is_refused_on_the_catalogue_page_with_its_reason(login, users):
    client = login(users["district"])
    answer = client.post("/procurement/catalogue/new/", {"code": "G1", "name": "采购电脑", "field": "other",
                                                         "nature": "goods"}, HTTP_ACCEPT_LANGUAGE="zh-hans",
                         follow=True)
    assert "不能作为服务购买" in answer.content.decode()


def test_the_survey_from_a_phone_link_needs_no_account(users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    client = Client()
    assert client.get(f"/procurement/survey/{contract.survey_token}/").status_code == 200
    client.post(f"/procurement/survey/{contract.survey_token}/", {"satisfaction": "4", "comment": "好"})
    assert contract.feedback.get().satisfaction == 4
    assert client.get("/procurement/survey/not-a-token/").status_code == 404


def test_the_portal_shows_only_the_organizations_own_records(login, users, line, item, org, rival, expert):
    contract = contracted(users, line, item, org, expert)
    mine = login(org.user).get("/procurement/portal/").content.decode()
    assert contract.purchase.title in mine
    theirs = login(rival.user).get("/procurement/portal/").content.decode()
    assert 'data-testid="my-contracts"' in theirs and f"/procurement/contracts/{contract.pk}/" not in theirs
    assert login(rival.user).get(f"/procurement/contracts/{contract.pk}/").status_code == 404
    assert login(users["community_b"]).get(f"/procurement/purchases/{contract.purchase_id}/").status_code == 404


def test_the_xlsx_export_lists_purchases_and_budget_lines(login, users, line, item, org, expert):
    contracted(users, line, item, org, expert)
    answer = login(users["district"]).get("/procurement/export.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    book = load_workbook(io.BytesIO(answer.content))
    purchases, lines = book.worksheets
    assert purchases.max_row == 2 and purchases.cell(2, 6).value == org.name
    assert lines.cell(2, 4).value == float(Decimal("500000"))
    assert "张三" not in "".join(str(c.value) for row in purchases.iter_rows() for c in row)


def test_the_evaluation_form(login, users, line, item, org, expert):
    contract = contracted(users, line, item, org, expert)
    client = login(users["district"])
    form = client.get(f"/procurement/contracts/{contract.pk}/evaluation/").content.decode()
    assert 'data-testid="indicators"' in form
    scores = {f"buyer_{c}": "85" for c in ("out_qty", "out_quality", "out_time", "out_cost", "eff_social",
                                           "eff_sustain", "sat")}
    client.post(f"/procurement/contracts/{contract.pk}/evaluation/", scores)
    contract.refresh_from_db()
    assert contract.evaluation.total == Decimal("85.0") and contract.evaluation.passed
