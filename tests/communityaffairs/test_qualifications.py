"""Social-worker certificates: recorded, corrected and removed through the services and the page, each audited;
refusals with their stable codes; expiry flags; the xlsx export; another community's certificates out of reach."""

import io
import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.communityaffairs import figures, selectors, services
from civicgrid.communityaffairs.models import Qualification
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.communityaffairs.conftest import staff
from tests.conftest import COMM_A, COMM_B

pytestmark = pytest.mark.django_db
PAGE = "/communityaffairs/qualifications/"


def _add(actor, worker, number="S2020110001", **extra):
    fields = {"level": "assistant", "issued_on": date(2020, 6, 20), "expires_on": None, **extra}
    return services.add_qualification(actor=actor, staff_id=worker.pk, certificate_no=number, **fields)


@pytest.mark.parametrize(("days_left", "state"), [(None, "valid"), (91, "valid"), (90, "expiring"),
                                                  (0, "expiring"), (-1, "expired")])
def test_certificate_state_by_days_to_expiry(days_left, state):
    today = date(2026, 12, 2)
    expires = None if days_left is None else today + timedelta(days=days_left)
    assert figures.certificate_state(expires, today) == state


def test_a_certificate_is_added_corrected_and_removed_with_an_audit_event_each(users, regions):
    worker = staff(regions["community_a"], "service_station")
    actor = users["community_a"]
    made = _add(actor, worker)
    changed = services.update_qualification(actor=actor, qualification_id=made.pk, level="intermediate",
                                            certificate_no="S2020110001", issued_on=date(2020, 6, 20),
                                            expires_on=date(2030, 6, 19))
    assert (changed.level, changed.expires_on, changed.region_code) == ("intermediate", date(2030, 6, 19), COMM_A)
    services.remove_qualification(actor=actor, qualification_id=made.pk)
    assert not Qualification.objects.exists()
    events = list(AuditEvent.objects.filter(action__startswith="communityaffairs.qualification").order_by("id"))
    assert [e.action.rsplit(".", 1)[1] for e in events] == ["add", "update", "remove"]
    assert events[1].detail["before"]["level"] == "assistant" and events[1].detail["after"]["level"] == "intermediate"


@pytest.mark.parametrize(("fields", "code"), [
    ({"issued_on": None}, "invalid_issued_on"),
    ({"issued_on": timezone.localdate() + timedelta(days=1)}, "issued_in_future"),
    ({"expires_on": date(2020, 6, 20)}, "invalid_expiry"),
    ({"level": "expert"}, "invalid_level"),
    ({"certificate_no": "12"}, "invalid_certificate_no"),
])
def test_bad_certificates_are_refused_with_a_stable_code_and_nothing_is_written(users, regions, fields, code):
    worker = staff(regions["community_a"], "service_station")
    given = {"number": fields.pop("certificate_no", "S2020110001"), **fields}
    with pytest.raises(ValidationFailed) as refused:
        _add(users["community_a"], worker, **given)
    assert refused.value.code == code
    assert not Qualification.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="communityaffairs.qualification").exists()


def test_a_certificate_number_is_recorded_once_also_when_correcting_another(users, regions):
    first, second = staff(regions["community_a"], "service_station", n=2)
    _add(users["community_a"], first, "S2020110001")
    with pytest.raises(ValidationFailed) as refused:
        _add(users["community_a"], second, "S2020110001")
    assert refused.value.code == "duplicate_certificate"
    other = _add(users["community_a"], second, "S2020110002")
    with pytest.raises(ValidationFailed) as refused:
        services.update_qualification(actor=users["community_a"], qualification_id=other.pk, level="assistant",
                                      certificate_no="S2020110001", issued_on=date(2020, 6, 20))
    assert refused.value.code == "duplicate_certificate"
    assert Qualification.objects.get(pk=other.pk).certificate_no == "S2020110002"


def test_another_communitys_certificates_are_out_of_reach(users, regions):
    worker = staff(regions["community_a"], "service_station")
    made = _add(users["community_a"], worker)
    with pytest.raises(NotFound):
        _add(users["community_b"], worker, "S2020110009")
    with pytest.raises(NotFound):
        services.remove_qualification(actor=users["community_b"], qualification_id=made.pk)
    with pytest.raises(NotFound):  # a resident sees no roster
        _add(users["resident"], worker, "S2020110009")
    assert selectors.qualifications(actor=users["community_b"]) == []
    assert [row["record"] for row in selectors.qualifications(actor=users["sub_a"])] == [made]


def test_the_page_adds_corrects_and_removes_and_refuses_in_chinese(users, regions, login):
    worker = staff(regions["community_a"], "service_station")
    client = login(users["community_a"])
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    answer = client.post(f"{PAGE}add/", {"community": COMM_A, "staff": worker.pk, "level": "assistant",
                                         "certificate_no": "S2021", "issued_on": "2030-01-01"}, follow=True, **zh)
    assert "发证日期不能晚于今天。" in answer.content.decode() and not Qualification.objects.exists()
    client.post(f"{PAGE}add/", {"community": COMM_A, "staff": worker.pk, "level": "assistant",
                                "certificate_no": "S2021", "issued_on": "2021-03-01",
                                "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat()})
    made = Qualification.objects.get()
    page = client.get(f"{PAGE}?code={COMM_A}", **zh).content.decode()
    assert "S2021" in page and "即将到期" in page
    client.post(f"{PAGE}{made.pk}/", {"level": "senior", "certificate_no": "S2021", "issued_on": "2021-03-01",
                                      "expires_on": "2020-01-01"})
    assert Qualification.objects.get().level == "assistant"  # expiry before issue: refused, nothing changed
    client.post(f"{PAGE}{made.pk}/", {"level": "senior", "certificate_no": "S2021", "issued_on": "2021-03-01",
                                      "expires_on": "2031-03-01"})
    assert Qualification.objects.get().level == "senior"
    assert login(users["community_b"]).post(f"{PAGE}{made.pk}/remove/").status_code == 404
    assert login(users["community_b"]).get(f"{PAGE}?code={COMM_A}").status_code == 404
    client.post(f"{PAGE}{made.pk}/remove/")
    assert not Qualification.objects.exists()


def test_the_workforce_section_flags_expiring_and_expired_certificates(users, regions, login):
    a, b, c = staff(regions["community_a"], "party_org", n=3)
    today = timezone.localdate()
    _add(users["community_a"], a, "S-EXPIRED", issued_on=date(2015, 1, 1), expires_on=today - timedelta(days=1))
    _add(users["community_a"], b, "S-SOON", issued_on=date(2016, 1, 1), expires_on=today + timedelta(days=10))
    _add(users["community_a"], c, "S-FINE", issued_on=date(2017, 1, 1), expires_on=today + timedelta(days=400))
    home = login(users["community_a"]).get(f"/communityaffairs/?code={COMM_A}",
                                           HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "即将到期的证书：1本；已过期：1本。" in home
    assert home.count('data-testid="state-expired"') == 1 and home.count('data-testid="state-expiring"') == 1


def test_the_certificates_export_lists_what_the_actor_may_see(users, regions, login):
    _add(users["community_a"], staff(regions["community_a"], "party_org"), "S-A-0001",
         expires_on=timezone.localdate() - timedelta(days=3))
    _add(users["community_b"], staff(regions["community_b"], "party_org"), "S-B-0001")

    def rows(user):
        answer = login(users[user]).get(f"{PAGE}export.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
        return [[c.value for c in row] for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows(min_row=2)]

    district = rows("district")
    assert sorted(r[3] for r in district) == ["S-A-0001", "S-B-0001"]
    assert [r[3] for r in rows("community_b")] == ["S-B-0001"]
    assert next(r for r in district if r[3] == "S-A-0001")[6] == "已过期"
    book = load_workbook(io.BytesIO(login(users["district"]).get("/communityaffairs/export.xlsx").content))
    assert book.worksheets[3].max_row == 3  # the whole workbook carries the certificates too


def test_the_api_lists_adds_and_removes_certificates(users, regions, login):
    worker = staff(regions["community_a"], "service_station")
    client = login(users["community_a"])
    api = "/api/v1/communityaffairs"
    made = client.post(f"{api}/qualifications", data=json.dumps({
        "staff_id": worker.pk, "level": "assistant", "certificate_no": "S-API-1", "issued_on": "2022-01-01",
        "expires_on": "2021-01-01"}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert made.status_code == 422 and made.json()["code"] == "invalid_expiry"
    made = client.post(f"{api}/qualifications", data=json.dumps({
        "staff_id": worker.pk, "level": "assistant", "certificate_no": "S-API-1", "issued_on": "2022-01-01"}),
        content_type="application/json")
    assert made.status_code == 201 and made.json()["state"] == "valid"
    assert [r["certificate_no"] for r in client.get(f"{api}/communities/{COMM_A}/qualifications").json()] == \
        ["S-API-1"]
    assert login(users["community_b"]).get(f"{api}/communities/{COMM_A}/qualifications").status_code == 404
    assert login(users["community_b"]).get(f"{api}/communities/{COMM_B}/qualifications").json() == []
    assert client.delete(f"{api}/qualifications/{made.json()['id']}").status_code == 204
    assert not Qualification.objects.exists()
