"""A building workstation's staff kept on the building page (each station's people added and removed), and events
that white-collar staff sign themselves up for and cancel on a phone: capacity respected, no double sign-up, the
event seen by every signed-in user only when the workstation opened it for self sign-up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.errors import AlreadySignedUp, EventFull
from civicgrid.partybuilding.models import EventSignup, StationStaff
from tests.conftest import make_user
from tests.partybuilding.conftest import enterprise, later

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_staff_of_each_station_are_added_and_removed_on_the_building_page(login, users, building, station):
    staff = login(users["community_a"])
    url = f"/partybuilding/buildings/{building.pk}/"
    page = staff.post(f"/partybuilding/workstations/{station.pk}/staff/",
                      {"name": "李干事", "station": "youth", "post": "团支部书记", "next": url}, follow=True, **ZH)
    made = StationStaff.objects.get()
    assert "李干事" in page.content.decode() and made.station == "youth"
    page = staff.post(f"/partybuilding/workstations/{station.pk}/staff/",
                      {"name": "王干事", "station": "chess", "next": url}, follow=True, **ZH).content.decode()
    assert "该工作站不含此站点" in page and StationStaff.objects.count() == 1
    assert login(users["community_b"]).post(f"/partybuilding/staff/{made.pk}/remove/").status_code == 404
    assert login(users["grid_a"]).post(f"/partybuilding/staff/{made.pk}/remove/").status_code == 403
    page = staff.post(f"/partybuilding/staff/{made.pk}/remove/", {"next": url}, follow=True, **ZH).content.decode()
    assert "李干事" not in page and not StationStaff.objects.exists()
    removal = AuditEvent.objects.get(action="partybuilding.workstation.staff_remove")
    assert removal.detail == {"station": "youth", "staff": made.pk}


@pytest.fixture
def open_event(users, station):
    return services.create_event(actor=users["community_a"], workstation_id=station.pk, title="白领读书会",
                                 starts_at=later(48), capacity=2, self_signup=True)


@pytest.fixture
def worker():
    return make_user("white-collar-1", Role.RESIDENT)


def test_a_white_collar_worker_signs_up_and_cancels_on_the_events_page(login, users, building, open_event, worker):
    tenant = enterprise(users["community_a"], building=building, name="星光科技")
    me = login(worker)
    page = me.get("/partybuilding/events/", **ZH).content.decode()
    assert "白领读书会" in page and "星光科技" in page and "剩余 2 个名额" in page
    page = me.post(f"/partybuilding/events/{open_event.pk}/join/", {"name": "张白领", "enterprise_id": tenant.pk},
                   follow=True, **ZH).content.decode()
    assert "您已报名（星光科技）" in page and "剩余 1 个名额" in page
    page = me.post(f"/partybuilding/events/{open_event.pk}/join/", {"name": "张白领", "enterprise_id": tenant.pk},
                   follow=True, **ZH).content.decode()
    assert "已报名该活动" in page and EventSignup.objects.count() == 1
    signup = EventSignup.objects.get()
    assert signup.user == worker and signup.created_by == worker
    # another person cannot cancel it; its owner can, and the seat is free again
    assert login(make_user("white-collar-2", Role.RESIDENT)).post(
        f"/partybuilding/signups/{signup.pk}/cancel/").status_code == 404
    page = me.post(f"/partybuilding/signups/{signup.pk}/cancel/", follow=True, **ZH).content.decode()
    assert "剩余 2 个名额" in page and not EventSignup.objects.exists()
    assert set(AuditEvent.objects.filter(action__startswith="partybuilding.event.self").values_list(
        "action", flat=True)) == {"partybuilding.event.self_signup", "partybuilding.event.self_cancel"}


def test_self_sign_up_respects_capacity_tenancy_and_opening(users, building, station, open_event, worker):
    tenant = enterprise(users["community_a"], building=building)
    services.sign_up(actor=users["community_a"], event_id=open_event.pk, name="前台登记", enterprise_id=tenant.pk)
    with pytest.raises(ValidationFailed) as error:
        services.sign_up_self(actor=worker, event_id=open_event.pk, name="楼外人", enterprise_id=enterprise(
            users["community_a"]).pk)
    assert error.value.code == "not_a_tenant"
    services.sign_up_self(actor=worker, event_id=open_event.pk, name="张白领", enterprise_id=tenant.pk)
    with pytest.raises(EventFull):
        services.sign_up_self(actor=make_user("white-collar-3", Role.RESIDENT), event_id=open_event.pk, name="李白领",
                              enterprise_id=tenant.pk)
    with pytest.raises(AlreadySignedUp):
        services.sign_up_self(actor=worker, event_id=open_event.pk, name="换个名字", enterprise_id=tenant.pk)
    closed = services.create_event(actor=users["community_a"], workstation_id=station.pk, title="内部培训",
                                   starts_at=later(24), capacity=10)
    with pytest.raises(NotFound):  # not opened for self sign-up: it does not exist for outsiders
        services.sign_up_self(actor=worker, event_id=closed.pk, name="张白领", enterprise_id=tenant.pk)
    assert [e.title for e in selectors.open_events_for(actor=worker)] == ["白领读书会"]


def test_others_sign_ups_stay_hidden_and_the_staff_desk_stays_the_staffs(users, building, open_event, worker):
    tenant = enterprise(users["community_a"], building=building)
    services.sign_up(actor=users["community_a"], event_id=open_event.pk, name="甄秘密", enterprise_id=tenant.pk)
    assert list(EventSignup.objects.visible_to(worker)) == []
    assert EventSignup.objects.visible_to(users["community_a"]).count() == 1
    assert EventSignup.objects.visible_to(users["community_b"]).count() == 0
    with pytest.raises(PermissionDenied):  # an open event is seen by all, but only its area's staff sign others up
        services.sign_up(actor=worker, event_id=open_event.pk, name="代报名", enterprise_id=tenant.pk)
    begun = services.create_event(actor=users["community_a"], workstation_id=open_event.workstation_id,
                                  title="已开始", starts_at=timezone.now() + timedelta(seconds=1), capacity=5,
                                  self_signup=True)
    begun.starts_at = timezone.now() - timedelta(minutes=1)
    begun.save(update_fields=["starts_at"])
    with pytest.raises(ValidationFailed) as error:
        services.sign_up_self(actor=worker, event_id=begun.pk, name="迟到", enterprise_id=tenant.pk)
    assert error.value.code == "event_started"
