"""Resolutions: a resolution that needs action becomes a consultation case routed like any other; closing the
case makes the resolution done and tells the supporters; reopening puts it back; overdue ones show; statistics
per compound kind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases import services as cases
from civicgrid.cases.models import Case, Category, HandlingUnit
from civicgrid.consultation import selectors, services
from civicgrid.consultation.errors import WrongState
from civicgrid.consultation.models import Resolution
from civicgrid.core.errors import ValidationFailed
from tests.conftest import COMM_A, make_user
from tests.consultation.conftest import in_days, topic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(users, compounds, neighbours):
    staff = users["community_a"]
    topic = topic_of(neighbours["wang"], compounds)
    services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    services.decide_topic(actor=staff, topic_id=topic.pk, decision="accept", reason="全楼居民关心")
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="恳谈会", starts_at=in_days(1),
                                    topic_ids=[topic.pk])
    return services.adopt_resolution(actor=staff, meeting_id=meeting.pk, topic_id=topic.pk, title="修复单元门禁",
                                     owner="物业公司", due_on=timezone.localdate() + timedelta(days=30),
                                     needs_action=True)


def _handle_and_close(case: Case, staff):
    unit, category = HandlingUnit.objects.get(code="city"), Category.objects.get(code="0101")
    worker = make_user("unit-city", Role.HANDLING_UNIT, "110107")
    unit.members.add(worker)
    dispatch = {"unit_id": unit.pk, "category_id": category.pk}
    for actor, action, extra in ((staff, "register", {}), (staff, "dispatch", dispatch),
                                 (worker, "accept", {}), (worker, "reply", {"note": "已修复"}),
                                 (staff, "verify", {"note": "现场核实"}), (staff, "close", {})):
        cases.perform(actor=actor, case_id=case.pk, action=action, **extra)


def test_a_resolution_that_needs_action_creates_a_case_and_closes_with_it(users, adopted, neighbours):
    case = adopted.case
    assert case.channel == "consultation" and case.state == "reported" and adopted.status == "in_progress"
    with pytest.raises(WrongState):
        services.update_resolution(actor=users["community_a"], resolution_id=adopted.pk, status="done", progress=100)
    _handle_and_close(case, users["community_a"])
    resolution = Resolution.objects.get(pk=adopted.pk)
    assert resolution.status == "done" and resolution.progress == 100 and resolution.on_time
    told = adopted.topic.events.filter(kind="case_closed", for_supporters=True)
    assert told.count() == 1 and case.number in told.get().text
    from civicgrid.cases import hooks

    hooks.state_changed(case=case, before="closed", after="dispatched", actor=None)  # as a reopen calls it
    assert Resolution.objects.get(pk=adopted.pk).status == "in_progress"


def test_overdue_resolutions_and_statistics_by_compound_kind(users, adopted):
    Resolution.objects.filter(pk=adopted.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert list(selectors.overdue_resolutions(actor=users["community_a"])) == [adopted]
    assert list(selectors.overdue_resolutions(actor=users["community_b"])) == []
    rows = {row["kind"]: row for row in selectors.statistics_by_kind(actor=users["sub_a"])}
    assert rows["old_compound"]["topics"] == 1 and rows["old_compound"]["overdue"] == 1
    assert rows["public_rental"]["topics"] == 0


def test_a_resolution_needs_an_origin_and_a_location_for_its_case(users, compounds):
    staff = users["community_a"]
    with pytest.raises(ValidationFailed) as no_origin:
        services.adopt_resolution(actor=staff, title="决议", owner="居委会", due_on=timezone.localdate())
    assert no_origin.value.code == "origin_required"
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="恳谈会", starts_at=in_days(1))
    before = Case.objects.count()
    with pytest.raises(ValidationFailed) as nowhere:
        services.adopt_resolution(actor=staff, meeting_id=meeting.pk, title="决议", owner="居委会",
                                  due_on=timezone.localdate(), needs_action=True)
    assert nowhere.value.code == "location_required" and Case.objects.count() == before
    assert not Resolution.objects.exists()
