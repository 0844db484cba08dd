"""The desks: a grid worker's and a community's whole open queue, clocks to the deadline, the queue map,
filters in steps, verbs on the action buttons, photos with a reply and a verification."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases import desks, selectors, services
from civicgrid.cases.models import Case, CasePhoto, State
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.cases.conftest import IN_A, IN_B, jpeg_with_gps, report, to_state
from tests.conftest import GRID_A

pytestmark = pytest.mark.django_db


def _photo(name="site.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def test_grid_queue_holds_every_open_case_of_the_grid_new_reports_first(users, unit, garbage):
    dispatched = to_state(users, report(users, category=garbage), "dispatched")
    replied = to_state(users, report(users, category=garbage), "replied")
    closed = to_state(users, report(users, category=garbage), "closed")
    new = report(users)
    elsewhere = report(users, where=IN_B)
    queue = list(selectors.open_queue(actor=users["grid_a"]))
    assert queue[0] == new
    assert set(queue) == {new, dispatched, replied}
    assert closed not in queue and elsewhere not in queue
    assert list(selectors.open_queue(actor=users["grid_a"], state=State.REPLIED)) == [replied]
    assert list(selectors.open_queue(actor=users["grid_a"], state=State.CLOSED)) == list(queue)  # not an open state


def test_community_queue_and_its_grid_step(users, unit, garbage, login):
    mine, other = report(users), report(users, where=IN_B)
    client = login(users["community_a"])
    page = client.get("/cases/patrol/").content.decode()
    assert f"case-row-{mine.pk}" in page and f"case-row-{other.pk}" not in page
    assert 'data-testid="step-grid"' in page and "网格a" in page and "step-sub" not in page
    assert f"case-row-{mine.pk}" in client.get(f"/cases/patrol/?grid={GRID_A}").content.decode()
    foreign = client.get("/cases/patrol/?grid=110107002001001").content.decode()  # not his: ignored, not shown
    assert f"case-row-{other.pk}" not in foreign


def test_district_desk_filters_in_steps(users, unit, garbage, login):
    a, b = report(users), report(users, where=IN_B)
    client = login(users["district"])
    page = client.get("/cases/desk/").content.decode()
    assert 'data-testid="step-sub"' in page and 'data-testid="step-community"' not in page
    narrowed = client.get("/cases/desk/?sub=110107002").content.decode()
    assert 'data-testid="step-community"' in narrowed and 'data-testid="step-grid"' not in narrowed
    assert f"desk-row-{b.pk}" in narrowed and f"desk-row-{a.pk}" not in narrowed
    deepest = client.get("/cases/desk/?sub=110107001&community=110107001003&grid=110107001003001").content.decode()
    assert f"desk-row-{a.pk}" in deepest and f"desk-row-{b.pk}" not in deepest
    stale = client.get("/cases/desk/?sub=110107002&community=110107001003").content.decode()  # step from before
    assert f"desk-row-{b.pk}" in stale and f"desk-row-{a.pk}" not in stale


def test_clock_levels(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "dispatched")
    now = timezone.now()
    case.deadline = now + timedelta(days=3, hours=2, minutes=5)
    assert desks.clock(case, now).level == "ok" and desks.clock(case, now).left == "剩余3天2小时"
    case.deadline = now + timedelta(hours=5, minutes=12)
    assert desks.clock(case, now).level == "soon" and desks.clock(case, now).left == "剩余5小时12分"
    case.deadline = now - timedelta(minutes=40)
    assert desks.clock(case, now).level == "overdue" and desks.clock(case, now).left == "超期40分钟"
    case.state = State.REPLIED
    assert desks.clock(case, now).level == ""  # the handling deadline no longer runs


def test_grid_desk_shows_clocks_map_and_overdue_filter(users, unit, garbage, login):
    late = to_state(users, report(users, category=garbage), "dispatched")
    Case.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=3), overdue=True)
    fresh = report(users)
    client = login(users["grid_a"])
    page = client.get("/cases/patrol/").content.decode()
    assert "clock-overdue" in page and "超期3小时" in page and 'data-testid="case-age"' in page
    data = json.loads(re.search(r'id="queue-map-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    levels = {f["properties"]["number"]: f["properties"]["level"] for f in data["cases"]["features"]}
    assert levels == {late.number: "overdue", fresh.number: ""}
    assert [f["properties"]["name"] for f in data["shapes"]["features"]] == ["网格a"]
    only_late = client.get("/cases/patrol/?overdue=1").content.decode()
    assert f"case-row-{late.pk}" in only_late and f"case-row-{fresh.pk}" not in only_late


def test_grid_desk_is_for_grid_and_community_workers(users, unit, login):
    assert login(users["resident"]).get("/cases/patrol/").status_code == 404
    assert login(users["unit"]).get("/cases/patrol/").status_code == 404


def test_action_buttons_are_verbs_and_destructive_ones_ask(users, unit, login):
    case = report(users)
    page = login(users["community_a"]).get(f"/cases/{case.pk}/").content.decode()
    void = page.split('data-testid="action-void"')[0].rsplit("<form", 1)[1]
    assert "data-confirm=" in void and "destructive" in void
    labels = [label.strip() for label in re.findall(r'data-testid="action-[a-z]+">([^<]*)</button>', page)]
    assert "作废" in labels and "已作废" not in labels and "不予受理" in labels
    assert 'class="danger" data-testid="action-void"' in page and 'class="danger" data-testid="action-reject"' in page
    assert 'class="primary" data-testid="action-register"' in page


def test_reply_and_verification_carry_photos(users, unit, garbage, login):
    case = to_state(users, report(users, category=garbage), "handling")
    answer = login(users["unit"]).post(f"/cases/{case.pk}/act/", {"action": "reply", "note": "已清运",
                                                                    "photo": [_photo(), _photo("b.jpg")]})
    assert answer.status_code == 302
    reply = case.events.get(kind="reply")
    assert CasePhoto.objects.filter(case=case, event=reply).count() == 2
    services.verify(actor=users["grid_a"], case_id=case.pk, note="现场已干净", photos=[_photo()])
    verify = case.events.get(kind="verify")
    assert verify.note == "现场已干净" and CasePhoto.objects.filter(event=verify).count() == 1
    assert AuditEvent.objects.get(action="cases.verify").detail["photos"] == 1
    stored = CasePhoto.objects.filter(event=verify).get()
    assert b"TestCam" not in stored.image.open("rb").read()  # cleaned like the report photos


def test_photos_refused_where_they_do_not_belong(users, unit, garbage):
    case = report(users, category=garbage)
    with pytest.raises(ValidationFailed):
        services.register(actor=users["community_a"], case_id=case.pk, photos=[_photo()])
    handling = to_state(users, report(users, category=garbage), "handling")
    with pytest.raises(ValidationFailed):
        services.reply(actor=users["unit"], case_id=handling.pk, note="x", photos=[_photo() for _ in range(4)])
    assert not CasePhoto.objects.exists()
    assert Case.objects.get(pk=handling.pk).state == State.HANDLING


def test_bad_photo_writes_nothing(users, unit, garbage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = to_state(users, report(users, category=garbage), "handling")
    with pytest.raises(ValidationFailed):
        services.reply(actor=users["unit"], case_id=case.pk, note="已清运",
                       photos=[SimpleUploadedFile("x.jpg", b"not an image")])
    assert Case.objects.get(pk=case.pk).state == State.HANDLING and not case.events.filter(kind="reply").exists()


def test_unit_desk_orders_by_deadline_with_clocks(users, unit, garbage, login):
    case = to_state(users, report(users, category=garbage), "dispatched")
    page = login(users["unit"]).get("/cases/unit/").content.decode()
    assert f"case-row-{case.pk}" in page and 'data-testid="case-left"' in page and "queue-map-data" in page
    assert IN_A  # the case lies in grid a


def test_unit_desk_filters(users, unit, garbage, login):
    waiting = to_state(users, report(users, category=garbage), "dispatched")
    taken = to_state(users, report(users, category=garbage), "handling")
    Case.objects.filter(pk=taken.pk).update(overdue=True)
    client = login(users["unit"])
    handling = client.get("/cases/unit/?state=handling").content.decode()
    assert f"case-row-{taken.pk}" in handling and f"case-row-{waiting.pk}" not in handling
    late = client.get("/cases/unit/?overdue=1").content.decode()
    assert f"case-row-{taken.pk}" in late and f"case-row-{waiting.pk}" not in late
    other = client.get(f"/cases/unit/?category={garbage.pk + 1}").content.decode()
    assert "case-row-" not in other and 'data-testid="filter-category"' in other
