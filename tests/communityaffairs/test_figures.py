"""Every computation of community standardization, against numbers worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civicgrid.communityaffairs import figures, kpis, selectors, services, standards
from civicgrid.communityaffairs.errors import NegativeQuota
from civicgrid.communityaffairs.models import Handling, Standard
from civicgrid.core.errors import NotFound, PermissionDenied
from civicgrid.people.models import StaffMember
from tests.communityaffairs.conftest import staff
from tests.conftest import COMM_A, COMM_B, SUB_A

pytestmark = pytest.mark.django_db


def _charter(users, body, posts):
    charter = services.save_charter(actor=users["community_a"], community=COMM_A, body=body, duties="职能一\n职能二")
    for title, quota in posts:
        services.set_post(actor=users["community_a"], charter_id=charter.pk, title=title, quota=quota)
    return charter


def test_staffing_counts_vacancies_and_over_staffing_per_body(users, regions):
    _charter(users, "party_org", [("书记", 1), ("委员", 2)])  # quota 3
    _charter(users, "service_station", [("站长", 1), ("工作人员", 1)])  # quota 2
    staff(regions["community_a"], "party_org", n=2)
    staff(regions["community_a"], "service_station", n=4)
    staff(regions["community_a"], "residents_committee", n=3)  # no charter: neither vacancy nor over-staffing
    staff(regions["grid_a"], "grid", n=2)  # grid workers are not in the three bodies
    row = figures.staffing([COMM_A])[COMM_A]
    by_body = {b.body: b for b in row.bodies}
    assert (by_body["party_org"].quota, by_body["party_org"].actual, by_body["party_org"].vacancies) == (3, 2, 1)
    assert (by_body["service_station"].over, by_body["service_station"].vacancies) == (2, 0)
    assert by_body["residents_committee"].quota is None and by_body["residents_committee"].over == 0
    assert (row.quota, row.actual, row.vacancies, row.over) == (5, 9, 1, 2)


def test_a_quota_below_zero_is_refused_and_nothing_is_written(users, regions):
    charter = _charter(users, "party_org", [("书记", 1)])
    with pytest.raises(NegativeQuota) as refused:
        services.set_post(actor=users["community_a"], charter_id=charter.pk, title="书记", quota=-1)
    assert refused.value.code == "negative_quota" and refused.value.field == "quota"
    assert charter.posts.get().quota == 1


def test_charters_of_another_community_are_out_of_reach(users, regions):
    charter = _charter(users, "party_org", [("书记", 1)])
    with pytest.raises(NotFound):
        services.set_post(actor=users["community_b"], charter_id=charter.pk, title="书记", quota=2)
    with pytest.raises(PermissionDenied):  # a resident manages nothing
        services.save_charter(actor=users["resident"], community=COMM_A, body="party_org", duties="职能")


def test_space_standard_takes_the_larger_of_per_household_and_minimum(users, regions):
    regions["community_a"].households = 2000  # 30 m² per 100 households → 600 m² > 350
    regions["community_a"].save()
    regions["community_b"].households = 800  # 240 m² < 350 → the minimum applies
    regions["community_b"].save()
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="250")
    services.add_room(actor=users["community_a"], community=COMM_A, name="活动室", use="activity", area_m2="200.5")
    services.add_room(actor=users["community_b"], community=COMM_B, name="大厅", use="service_hall", area_m2="400")
    space = figures.spaces([COMM_A, COMM_B])
    assert (space[COMM_A].required, space[COMM_A].area, space[COMM_A].gap) == (600.0, 450.5, 149.5)
    assert (space[COMM_B].required, space[COMM_B].gap) == (350.0, 0.0)
    assert space[COMM_A].per_100_households == 22.5


def test_editing_a_standard_changes_the_gap_and_keeps_its_source(users, regions):
    regions["community_a"].households = 100
    regions["community_a"].save()
    services.set_new_community(actor=users["community_a"], community=COMM_A, is_new=True)
    services.set_standard(actor=users["district"], key=Standard.Key.SPACE_MIN_NEW, value="500",
                          source="市级新建社区配建标准（2026）")
    assert figures.spaces([COMM_A])[COMM_A].required == 500.0
    assert standards.current()[Standard.Key.SPACE_MIN_NEW] == (Decimal("500.00"), "市级新建社区配建标准（2026）", False)
    with pytest.raises(PermissionDenied):
        services.set_standard(actor=users["sub_a"], key=Standard.Key.SPACE_MIN_NEW, value="1", source="街道自定")


def test_gap_list_groups_communities_by_subdistrict(users, regions):
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="300")
    groups = selectors.gap_list(actor=users["district"])
    assert [g["code"] for g in groups] == [SUB_A, "110107002"]
    assert groups[0]["space_gap"] == 50.0 and groups[1]["space_gap"] == 350.0
    assert [g["code"] for g in selectors.gap_list(actor=users["sub_a"])] == [SUB_A]


def test_training_hours_per_worker_in_a_year_against_the_requirement(users, regions):
    a, b, c = staff(regions["community_a"], "service_station", n=3)
    this_year = timezone.localdate().year
    long_course = services.create_course(actor=users["district"], region="110107", title="政策法规培训",
                                         held_on=date(this_year, 3, 1), hours="30")
    short_course = services.create_course(actor=users["sub_a"], region=SUB_A, title="接诉即办",
                                          held_on=date(this_year, 5, 1), hours="12.5")
    old_course = services.create_course(actor=users["district"], region="110107", title="去年的课",
                                        held_on=date(this_year - 1, 5, 1), hours="40")
    for course, worker in ((long_course, a), (short_course, a), (long_course, b), (old_course, c)):
        services.sign_in(actor=users["community_a"], course_id=course.pk, staff_id=worker.pk)
    services.sign_in(actor=users["community_a"], course_id=long_course.pk, staff_id=a.pk)  # again: counted once
    training = figures.training([COMM_A], this_year)[COMM_A]
    assert training.hours == {a.pk: 42.5, b.pk: 30.0, c.pk: 0.0}
    assert training.requirement == 40.0 and training.short == 2 and training.average == 24.2
    assert kpis.training_hours_kpi(users["district"], [regions["sub_a"]], date(this_year, 1, 1),
                                   date(this_year + 1, 1, 1)) == {SUB_A: 24.2}


def test_a_worker_signs_himself_in_and_outsiders_cannot(users, regions):
    me = staff(regions["community_a"], "residents_committee", user=users["community_a"])
    course = services.create_course(actor=users["district"], region="110107", title="礼仪培训",
                                    held_on=timezone.localdate(), hours="4")
    assert services.sign_in(actor=users["community_a"], course_id=course.pk).staff == me
    with pytest.raises(NotFound):
        services.sign_in(actor=users["community_b"], course_id=course.pk, staff_id=me.pk)


def test_households_per_worker(users, regions):
    regions["community_a"].households = 1500
    regions["community_a"].save()
    staff(regions["community_a"], "party_org", n=2)
    staff(regions["community_a"], "service_station", n=2)
    staff(regions["grid_a"], "grid", n=3)
    assert figures.households_per_worker([COMM_A, COMM_B]) == {COMM_A: 375.0, COMM_B: None}


def test_in_time_rate_counts_finished_applications_only(users, regions, item):
    now = timezone.now()
    common = {"region_code": COMM_A, "item": item, "applicant": "居民", "received_at": now - timedelta(days=5)}
    Handling.objects.create(**common, due_at=now, finished_at=now - timedelta(days=1), result="done", in_time=True)
    Handling.objects.create(**common, due_at=now, finished_at=now - timedelta(days=1), result="case", in_time=True)
    Handling.objects.create(**common, due_at=now - timedelta(days=3), finished_at=now - timedelta(days=1),
                            result="refused", in_time=False)
    Handling.objects.create(**common, due_at=now, result="open")
    assert figures.in_time(Handling.objects.all()) == (2, 3)
    today = timezone.localdate()
    assert kpis.in_time_kpi(users["district"], [regions["sub_a"], regions["sub_b"]], today - timedelta(days=7),
                            today + timedelta(days=1)) == {SUB_A: 0.6667, "110107002": None}
    assert kpis.in_time_kpi(users["community_b"], [regions["sub_a"]], today - timedelta(days=7),
                            today + timedelta(days=1)) == {SUB_A: None}


def test_region_figures_sum_the_communities_the_actor_covers(users, regions):
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="100")
    charter = _charter(users, "party_org", [("书记", 3)])
    assert charter.posts.count() == 1
    StaffMember.objects.create(name="甲", body="party_org", region=regions["community_a"])
    district = [regions["district"]]
    assert kpis.space_gap_by_region(users["district"], district) == {"110107": 600.0}
    assert kpis.vacancies_by_region(users["district"], district) == {"110107": 2}
    assert kpis.space_gap_by_region(users["community_a"], district) == {"110107": 250.0}
    assert kpis.space_gap_by_region(users["resident"], district) == {"110107": None}
