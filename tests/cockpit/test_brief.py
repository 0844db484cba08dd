"""The weekly brief lists the week's overdue cases, the new service-circle gaps and the unresolved consultation
resolutions of the reader's area, each linked to its record, and nothing from another area."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.cockpit import selectors
from civicgrid.consultation.models import Resolution
from civicgrid.servicecircle.models import AnalysisRun, CommunityResult, Status
from tests.conftest import COMM_A, COMM_B, SUB_A

pytestmark = pytest.mark.django_db


def _overdue_case(grid: str, escalated) -> Case:
    case = Case.objects.filter(region_code=grid, state__in=["handling", "dispatched"], escalated_at__isnull=True)[0]
    Case.objects.filter(pk=case.pk).update(overdue=True, escalated_at=escalated, deadline=escalated)
    return case


def _gap(community: str, finished) -> AnalysisRun:
    run = AnalysisRun.objects.create(region_code=community[:9], status=Status.DONE, finished_at=finished,
                                     walk_speed_m_s=1.2, snap_limit_m=200,
                                     categories=[{"code": "clinic", "name": "卫生服务站"}])
    CommunityResult.objects.create(run=run, community_code=community, name=f"社区{community[-1]}",
                                   uncovered={"clinic": 120}, covered={})
    return run


def _resolution(community: str, title: str, due) -> Resolution:
    return Resolution.objects.create(region_code=community, title=title, owner="社区居委会", due_on=due)


@pytest.fixture
def week_items(random_cases):
    now = timezone.now()
    start, _end = selectors.week_of(timezone.localdate())
    moment = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time())) + timedelta(hours=1)
    moment = min(moment, now)
    return {"case_a": _overdue_case(COMM_A + "001", moment), "case_b": _overdue_case(COMM_B + "001", moment),
            "old_case": _overdue_case(COMM_A + "001", moment - timedelta(days=14)),
            "gap_a": _gap(COMM_A, moment), "gap_b": _gap(COMM_B, moment),
            "res_a": _resolution(COMM_A, "修复三号楼路灯", start - timedelta(days=3)),
            "res_b": _resolution(COMM_B, "清理楼道杂物", start - timedelta(days=3)),
            "res_done": Resolution.objects.filter(pk=_resolution(COMM_A, "已办结事项", start - timedelta(days=3)).pk)
            .update(status=Resolution.Status.DONE, done_on=start)}


def test_the_brief_lists_the_weeks_items_of_the_area_each_linked(login, users, week_items):
    page = login(users["sub_a"]).get("/cockpit/brief/", {"region": SUB_A})
    assert page.status_code == 200
    sections = {s["key"]: s["items"] for s in page.context["sections"]}
    overdue_urls = {item["url"] for item in sections["overdue_cases"]}
    assert f"/cases/{week_items['case_a'].pk}/" in overdue_urls
    assert f"/cases/{week_items['case_b'].pk}/" not in overdue_urls  # another subdistrict
    assert f"/cases/{week_items['old_case'].pk}/" not in overdue_urls  # overdue since an earlier week
    assert [item["url"] for item in sections["new_gaps"]] == [f"/servicecircle/runs/{week_items['gap_a'].pk}/"]
    assert "卫生服务站" in sections["new_gaps"][0]["text"]
    assert [item["text"] for item in sections["unresolved_resolutions"]] == ["修复三号楼路灯（社区居委会）"]
    assert sections["unresolved_resolutions"][0]["url"] == f"/consultation/resolutions/{week_items['res_a'].pk}/"
    html = page.content.decode()
    for items in sections.values():
        assert all(f'href="{item["url"]}"' in html for item in items)
