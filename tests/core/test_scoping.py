"""The jurisdiction building block itself (core.scoping): areas, managers, owners, shared-down and child records."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civicgrid.core.errors import NotFound, PermissionDenied
from civicgrid.core.scoping import ScopedManager, covers, manages, scoped_models
from civicgrid.servicecircle.models import AnalysisRun, CommunityResult
from civicgrid.volunteering import services
from tests.conftest import COMM_A, COMM_B, DISTRICT, SUB_A, SUB_B


@pytest.fixture
def teams(users):
    return {"a": services.create_team(actor=users["community_a"], name="甲队", region_code=COMM_A),
            "b": services.create_team(actor=users["community_b"], name="乙队", region_code=COMM_B)}


def _run(code):
    return AnalysisRun.objects.create(region_code=code, walk_speed_m_s=1.2, snap_limit_m=150)


def test_area_staff_see_their_subtree_and_nobody_else_anything(users, teams):
    from civicgrid.volunteering.models import Team

    assert set(Team.objects.visible_to(users["district"])) == {teams["a"], teams["b"]}
    assert set(Team.objects.visible_to(users["sub_a"])) == {teams["a"]}
    assert set(Team.objects.visible_to(users["community_b"])) == {teams["b"]}
    assert not Team.objects.visible_to(AnonymousUser()).exists()
    assert not Team.objects.visible_to(None).exists()
    assert not Team.objects.visible_to(users["resident"]).exists()


def test_grid_workers_watch_but_do_not_manage(users, teams):
    from civicgrid.volunteering.models import Team

    grid = users["grid_a"]
    assert covers(grid, users["grid_a"].region_code) and not manages(grid, users["grid_a"].region_code)
    assert not Team.objects.managed_by(grid).exists()
    with pytest.raises(NotFound):  # the neighbouring community's team is out of sight
        Team.objects.get_managed(users["community_a"], pk=teams["b"].pk)
    users["grid_a"].region_code = COMM_A  # a grid worker whose area is the community sees its team …
    with pytest.raises(PermissionDenied):  # … and may not act on it
        Team.objects.get_managed(users["grid_a"], pk=teams["a"].pk)


def test_shared_down_records_reach_staff_inside_the_area_only(users, regions):
    district_run, sub_a_run, _ = _run(DISTRICT), _run(SUB_A), _run(COMM_B)
    seen = set(AnalysisRun.objects.visible_to(users["community_a"]))
    assert seen == {district_run, sub_a_run}  # made for areas containing community A, not for community B
    CommunityResult.objects.create(run=district_run, community_code=COMM_A)
    CommunityResult.objects.create(run=district_run, community_code=COMM_B)
    rows = CommunityResult.objects.visible_to(users["grid_a"])  # a grid worker reads its own community's row
    assert [r.community_code for r in rows] == [COMM_A]
    assert set(AnalysisRun.objects.managed_by(users["community_a"])) == set()  # shared for reading only


def test_owner_rules_and_child_records_follow_their_parent(users, teams):
    from civicgrid.volunteering.models import Activity, Shift, Team
    from civicgrid.volunteering.services import add_shift, create_activity

    org = users["resident"]
    org.role = "social_org"
    org.save(update_fields=["role"])
    own = services.create_team(actor=org, name="社会组织队", region_code=COMM_A)
    assert set(Team.objects.visible_to(org)) == {own} and set(Team.objects.managed_by(org)) == {own}
    from django.utils import timezone

    activity = create_activity(actor=users["community_b"], team_id=teams["b"].pk, title="乙队活动")
    now = timezone.now()
    shift = add_shift(actor=users["community_b"], activity_id=activity.pk, starts_at=now,
                      ends_at=now + timezone.timedelta(hours=1), capacity=1)
    assert list(Shift.objects.visible_to(users["community_b"])) == [shift]
    assert not Shift.objects.visible_to(users["community_a"]).exists()
    assert Activity.objects.within(COMM_B).get() == activity


def test_within_any_unites_subtrees_and_follows_parents(users, teams):
    from civicgrid.volunteering.models import Activity, Team
    from civicgrid.volunteering.services import create_activity

    assert set(Team.objects.within_any([COMM_A, COMM_B])) == {teams["a"], teams["b"]}
    assert set(Team.objects.within_any([COMM_B])) == {teams["b"]}
    assert not Team.objects.within_any([]).exists()
    assert set(Team.objects.within_any(["", COMM_B])) == set(Team.objects.all())
    activity = create_activity(actor=users["community_b"], team_id=teams["b"].pk, title="乙队活动")
    assert list(Activity.objects.within_any([SUB_B])) == [activity]
    assert not Activity.objects.within_any([SUB_A]).exists()


def test_every_scoped_model_declares_a_real_region_path(users):
    assert len(scoped_models()) >= 20
    for model in scoped_models():
        assert isinstance(model._default_manager, ScopedManager)
        for actor in (users["community_a"], users["grid_a"], users["resident"]):  # the paths exist: queries run
            list(model.objects.visible_to(actor)[:1])
            list(model.objects.managed_by(actor)[:1])
