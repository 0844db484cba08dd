"""Brand projects: registration to final evaluation and the showcase, slippage on the board, evidence files, and
the cockpit KPIs."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.core.errors import PermissionDenied, ValidationFailed
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.errors import WrongStage
from civicgrid.partybuilding.models import BrandProject, Evidence
from civicgrid.partybuilding.selectors import slippage
from civicgrid.territory.models import Region
from tests.conftest import COMM_A, COMM_B, SUB_A, SUB_B

pytestmark = pytest.mark.django_db
TODAY = date.today()


def register(actor, *, community=COMM_A, starts=-30, ends=300, due=(10, 100), title="红色议事厅"):
    return services.register_project(
        actor=actor, community=community, title=title, goal="让居民议事有场所、有规则、有结果",
        indicators=[{"name": "议事会次数", "target": "12次/年"}], budget=50000, owner="社区党委书记",
        partners="共建单位甲、乙", starts_on=TODAY + timedelta(days=starts), ends_on=TODAY + timedelta(days=ends),
        milestones=[{"title": f"节点{i}", "due_on": TODAY + timedelta(days=d)} for i, d in enumerate(due)])


class _M:
    def __init__(self, due, done=None):
        self.due_on, self.done_on = due, done


def test_slippage_counts_open_milestones_past_due():
    today = date(2026, 6, 30)
    found = slippage([_M(date(2026, 6, 1)), _M(date(2026, 6, 20)), _M(date(2026, 5, 1), date(2026, 6, 10)),
                      _M(date(2026, 7, 1)), _M(date(2026, 6, 30))], today)
    assert (found.overdue, found.days_late, found.on_schedule) == (2, 29, False)
    assert slippage([], today).on_schedule and slippage([], today).days_late == 0


def test_registration_to_final_evaluation_and_the_showcase(users):
    project = register(users["community_a"])
    assert project.status == BrandProject.Status.REGISTERED and project.milestones.count() == 2
    with pytest.raises(WrongStage):  # nothing reported yet
        services.evaluate(actor=users["sub_a"], project_id=project.pk, stage="midterm", score=80)
    evidence = SimpleUploadedFile("议事会纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    services.report_progress(actor=users["community_a"], project_id=project.pk, text_="召开议事会3次", spent=12000,
                             files=[evidence])
    project.refresh_from_db()
    assert project.status == BrandProject.Status.IN_PROGRESS and project.spent == 12000
    assert Evidence.objects.get(report__project=project).name == "议事会纪要.pdf"
    with pytest.raises(PermissionDenied):  # a community never evaluates its own project
        services.evaluate(actor=users["community_a"], project_id=project.pk, stage="midterm", score=99)
    with pytest.raises(WrongStage):
        services.evaluate(actor=users["sub_a"], project_id=project.pk, stage="final", score=90)
    services.evaluate(actor=users["sub_a"], project_id=project.pk, stage="midterm", score="86.5", comments="进展顺利")
    with pytest.raises(WrongStage):
        services.promote(actor=users["district"], project_id=project.pk, showcase_text="还没有终期评估的项目")
    final = services.evaluate(actor=users["district"], project_id=project.pk, stage="final", score=92)
    project.refresh_from_db()
    assert project.status == BrandProject.Status.COMPLETED and str(final.score) == "92.0"
    with pytest.raises(WrongStage):
        services.report_progress(actor=users["community_a"], project_id=project.pk, text_="结项后不再报告")
    services.promote(actor=users["district"], project_id=project.pk, showcase_text="居民议事从“吵架”到“商量”。")
    assert list(selectors.showcase()) == [project]


def test_promotion_needs_the_final_evaluation(users):
    project = register(users["community_a"])
    with pytest.raises(WrongStage):
        services.promote(actor=users["district"], project_id=project.pk, showcase_text="尚未评估的项目不上展示页")


def test_registration_refusals(users):
    with pytest.raises(ValidationFailed) as error:
        register(users["community_a"], due=(400,))
    assert error.value.code == "milestone_outside"
    with pytest.raises(ValidationFailed) as error:
        register(users["district"], community=SUB_A)
    assert error.value.code == "community_required"
    with pytest.raises(ValidationFailed) as error:
        services.register_project(actor=users["community_a"], community=COMM_A, title="无指标", goal="目标",
                                  indicators=[], budget=1, owner="甲", starts_on=TODAY,
                                  ends_on=TODAY + timedelta(days=9), milestones=[{"title": "a", "due_on": TODAY}])
    assert error.value.code == "indicators_required"


def test_evidence_of_an_unknown_type_is_refused(users):
    project = register(users["community_a"])
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationFailed) as error:
        services.report_progress(actor=users["community_a"], project_id=project.pk, text_="附件", files=[script])
    assert error.value.code == "invalid_file_type"
    assert not project.reports.exists()


def test_board_puts_the_most_late_first_and_kpi_counts_on_schedule_share(users):
    late = register(users["community_a"], due=(-20, 50), title="晚了的项目")
    on_time = register(users["community_a"], due=(20, 50), title="按期项目")
    done = register(users["community_a"], due=(-5, 50), title="按时完成节点")
    services.complete_milestone(actor=users["community_a"], milestone_id=done.milestones.first().pk,
                                done_on=TODAY)
    register(users["community_b"], community=COMM_B, due=(-1, 50), title="乙社区项目")
    board = selectors.board(actor=users["community_a"])
    assert [p.title for p, _ in board][0] == late.title and len(board) == 3
    assert {p.pk: s.on_schedule for p, s in board} == {late.pk: False, on_time.pk: True, done.pk: True}
    regions = [Region.objects.get(code=SUB_A), Region.objects.get(code=SUB_B)]
    shares = selectors.kpi_projects_on_schedule(users["district"], regions, TODAY - timedelta(days=30),
                                                TODAY + timedelta(days=1))
    assert shares == {SUB_A: 2 / 3, SUB_B: 0.0}


def test_members_reported_kpi_counts_reports_in_the_period(users, compound):
    from tests.partybuilding.conftest import resident

    branch = services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                          region_code=COMM_A)
    for i, when in enumerate((TODAY, TODAY - timedelta(days=40))):
        person = resident(users["community_a"], compound, f"党员{i}")
        member = services.register_member(actor=users["community_a"], resident_id=person.pk,
                                          organization_id=branch.pk, employed=True)
        services.report_to_community(actor=users["community_a"], member_id=member.pk, reported_on=when,
                                     grid_code="110107001003001")
    regions = [Region.objects.get(code=COMM_A), Region.objects.get(code=COMM_B)]
    assert selectors.kpi_members_reported(users["district"], regions, TODAY - timedelta(days=30),
                                          TODAY + timedelta(days=1)) == {COMM_A: 1, COMM_B: 0}
    assert selectors.kpi_members_reported(users["community_b"], regions, TODAY - timedelta(days=90),
                                          TODAY + timedelta(days=1)) == {COMM_A: 0, COMM_B: 0}
