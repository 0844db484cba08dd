"""The foundation in a real browser: a district officer signs in through the form, drills down the map from the
district to a grid, opens the grid's residents and sees ID numbers and phones masked; revealing one is recorded
in the audit log; an officer of another community gets 404 for the same resident and region."""

import re

import pytest

from civicgrid.core.models import AuditEvent
from tests.browser.session import signed_in, snap
from tests.conftest import COMM_A, GRID_A
from tests.people.conftest import grant_reveal, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_A = make_id(seq="417")
ID_B = make_id(seq="538")


@pytest.fixture
def scene(users, regions):
    from civicgrid.people import services
    from civicgrid.territory.models import Place, PlaceKind

    for grid, name, resident, id_number, phone in (
        ("grid_a", "阳光小区", "王秀兰", ID_A, "13912345678"), ("grid_b", "和平里小区", "李建国", ID_B, "13698765432"),
    ):
        place = Place.objects.create(name=name, kind=PlaceKind.COMMODITY_HOUSING, grid=regions[grid], lon=116.2,
                                     lat=39.9, population=1000, households=400)
        services.register_resident(actor=users["district"], place=place, unit_label="3号楼2单元501室",
                                   name=resident, id_number=id_number, phone=phone)
    grant_reveal(users["district"])
    return users


def open_child_on_map(page, name_prefix):
    """Click the child area on the map (not the table link) and wait for its page."""
    page.wait_for_selector("[data-testid=region-map][data-ready='1']")
    shapes = page.locator("[data-testid=child-shape]")
    assert shapes.count() >= 1
    codes = page.locator("[data-testid=child-link]").evaluate_all("els => els.map(e => e.dataset.code)")
    target = next(code for code in codes if code.startswith(name_prefix))
    with page.expect_navigation():
        page.locator(f"[data-testid=child-shape][data-code='{target}']").click(force=True)
    return target


def test_drill_down_to_masked_residents_and_audited_reveal(browser, live_server, scene, tmp_path):
    page = signed_in(browser, live_server, "district-110107")
    assert page.inner_text("[data-testid=jurisdiction]") == "110107"
    snap(page, "district-leader", "01-home", tmp_path)

    page.goto("/regions/")
    assert page.inner_text("[data-testid=region-name]") == "石景山区"
    assert open_child_on_map(page, "110107001") == "110107001"
    assert open_child_on_map(page, COMM_A) == COMM_A
    assert open_child_on_map(page, GRID_A) == GRID_A
    assert page.inner_text("[data-testid=region-name]") == "网格a"
    assert page.locator("[data-testid=crumb-link]").count() == 3
    snap(page, "district-leader", "02-region-map", tmp_path)

    page.click("[data-testid=region-residents]")
    rows = page.locator("[data-testid=resident-row]")
    assert rows.count() == 1
    masked_id = rows.first.locator("[data-testid=id-masked]").inner_text()
    assert re.fullmatch(r"110107\*+" + ID_A[-4:], masked_id)
    assert rows.first.locator("[data-testid=phone-masked]").inner_text() == "139****5678"
    html = page.content()
    assert ID_A not in html and ID_B not in html and "13912345678" not in html

    rows.first.locator("a").first.click()
    assert ID_A not in page.content()
    resident_url = page.url
    before = AuditEvent.objects.filter(action__contains="reveal").count()
    page.click("[data-testid=reveal-id_number]")  # no purpose given: the browser keeps the form
    assert ID_A not in page.content()
    page.fill("[data-testid=reveal-purpose]", "核实低保申请人身份")
    page.click("[data-testid=reveal-id_number]")
    assert page.inner_text("[data-testid=revealed-id_number]") == ID_A
    assert AuditEvent.objects.filter(action__contains="reveal").last().detail["purpose"] == "核实低保申请人身份"
    assert AuditEvent.objects.filter(action__contains="reveal").count() == before + 1

    outsider = signed_in(browser, live_server, "community-110107002001")
    assert outsider.goto(resident_url).status == 404
    assert outsider.goto(f"/regions/{COMM_A}/").status == 404
    assert outsider.goto(f"/regions/{GRID_A}/").status == 404
