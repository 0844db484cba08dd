"""The "10+N" list and joint-building partners on pages: a partner added to an organization, a model enterprise
named by the district, a linked unit's pledges (with and without a quantity) and their uses, never beyond the
quantity; refusals in Chinese, writes audited, 404 across communities, the xlsx export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import services
from civicgrid.partybuilding.models import ModelEnterprise, Partner, Pledge, PledgeUse
from tests.conftest import COMM_A
from tests.partybuilding.conftest import enterprise

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _post(client, url, data):
    return client.post(url, {**data, "next": "/partybuilding/sunflower/"}, follow=True, **ZH).content.decode()


@pytest.fixture
def model(users, building):
    firm = enterprise(users["community_a"], building=building, employees=120, name="星河科技")
    return services.name_model_enterprise(actor=users["district"], enterprise_id=firm.pk, year=2026, rank=1)


def test_a_partner_is_added_to_an_organization_on_its_page(login, users):
    branch = services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                          region_code=COMM_A)
    data = {"organization_id": branch.pk, "name": "区医院", "pledge": "每月义诊一次",
            "next": "/partybuilding/organizations/"}
    page = login(users["community_a"]).post("/partybuilding/partners/", data, follow=True, **ZH).content.decode()
    assert "区医院（每月义诊一次）" in page
    assert login(users["community_b"]).post("/partybuilding/partners/", data).status_code == 404
    assert Partner.objects.count() == 1
    assert AuditEvent.objects.filter(action="partybuilding.partner.add").count() == 1


def test_district_names_a_model_and_units_pledge_on_the_page(login, users, building):
    firm = enterprise(users["community_a"], building=building, employees=200, name="京西文化")
    district = login(users["district"])
    page = _post(district, "/partybuilding/models/", {"enterprise_id": firm.pk, "year": "2026", "rank": "3"})
    model = ModelEnterprise.objects.get()
    assert "京西文化" in page and model.rank == 3
    page = _post(district, "/partybuilding/models/", {"enterprise_id": firm.pk, "year": "2026", "rank": "4"})
    assert "已是本年度标兵企业" in page
    community_page = login(users["community_a"]).get("/partybuilding/sunflower/").content.decode()
    assert 'data-testid="model-form"' not in community_page  # models are named by the subdistrict or district
    staff = login(users["community_a"])
    _post(staff, f"/partybuilding/models/{model.pk}/pledges/",
          {"unit": "鲁谷社区卫生服务中心", "kind": "service", "description": "健康讲座", "amount": ""})
    page = _post(staff, f"/partybuilding/models/{model.pk}/pledges/",
                 {"unit": "京西文化", "kind": "vehicle", "description": "通勤车（次）", "amount": "2"})
    assert "健康讲座" in page and "通勤车（次）" in page
    assert sorted(Pledge.objects.values_list("amount", flat=True), key=str) == [2, None]
    page = _post(staff, f"/partybuilding/models/{model.pk}/pledges/",
                 {"unit": "某单位", "kind": "gold", "description": "黄金", "amount": "1"})
    assert "请选择资源类型" in page and Pledge.objects.count() == 2


def test_uses_never_exceed_a_quantity_and_a_pledge_without_one_never_runs_out(login, users, model):
    staff = login(users["community_a"])
    cars = services.add_pledge(actor=users["community_a"], model_id=model.pk, unit="京西文化", kind="vehicle",
                               description="通勤车", amount=2)
    talks = services.add_pledge(actor=users["community_a"], model_id=model.pk, unit="卫生服务中心", kind="service",
                                description="健康讲座", amount=None)
    use = {"used_on": str(date.today()), "used_by": "社区党委", "purpose": "接送老人体检", "amount": "2"}
    page = _post(staff, f"/partybuilding/pledges/{cars.pk}/uses/", use)
    assert f'data-testid="left-{cars.pk}">0<' in page
    page = _post(staff, f"/partybuilding/pledges/{cars.pk}/uses/", {**use, "amount": "1"})
    assert "本次使用超过了认领资源的剩余量" in page
    for _ in range(3):
        _post(staff, f"/partybuilding/pledges/{talks.pk}/uses/", {**use, "purpose": "讲座", "amount": "1"})
    assert PledgeUse.objects.filter(pledge=cars).count() == 1 and PledgeUse.objects.filter(pledge=talks).count() == 3
    assert login(users["community_b"]).post(f"/partybuilding/pledges/{cars.pk}/uses/", use).status_code == 404


def test_pledges_export_lists_pledges_and_uses(login, users, model):
    pledge = services.add_pledge(actor=users["community_a"], model_id=model.pk, unit="=HYPERLINK(1)", kind="room",
                                 description="会议室（小时）", amount=10)
    services.record_use(actor=users["community_a"], pledge_id=pledge.pk, used_on=date.today(), used_by="社区党委",
                        purpose="党课", amount=4)
    response = login(users["community_a"]).get("/partybuilding/pledges.xlsx", **ZH)
    book = load_workbook(io.BytesIO(response.content))
    pledges = list(book.worksheets[0].iter_rows(values_only=True))
    assert pledges[1][1:] == ("星河科技", "'=HYPERLINK(1)", "场地", "会议室（小时）", 10, 4, 6)
    assert list(book.worksheets[1].iter_rows(values_only=True))[1][3] == "社区党委"
    assert AuditEvent.objects.filter(action="partybuilding.pledges.export").count() == 1
