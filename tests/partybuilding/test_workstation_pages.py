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
