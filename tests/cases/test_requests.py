"""Extension (延期) and return (退单) requests: the unit asks, the dispatcher decides; the deadline moves only when
an extension is approved, and the on-time closure rate follows the approved deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases import stats
from civicgrid.cases.models import Case, CaseEvent, CaseRequest, State
from civicgrid.cases.services import requests
from civicgrid.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.notifications.models import Notification
from tests.cases.conftest import report, to_state
from tests.concurrency import in_threads, outcome

pytestmark = pytest.mark.django_db


def _later(days=10):
    return timezone.localdate() + timedelta(days=days)


def test_an_extension_moves_the_deadline_only_when_approved(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "handling")
    before = case.deadline
    asked = requests.ask(actor=users["unit"], case_id=case.pk, kind="extension", reason="需协调产权单位",
                         new_deadline=_later())
    assert Case.objects.get(pk=case.pk).deadline == before  # asked is not approved
    assert asked.old_deadline == before and asked.state == "pending"
    decided = requests.decide(actor=users["community_a"], case_id=case.pk, approve=True)
    case.refresh_from_db()
    assert decided.state == "approved" and case.deadline == decided.new_deadline > before
    assert timezone.localtime(case.deadline).date() == _later()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["extension_asked", "extension_approved"]
    assert AuditEvent.objects.filter(action="cases.extension.approve", target_id=str(case.pk)).exists()
    # the unit is told; the dispatcher (first receiver) was told of the request
    assert Notification.objects.filter(user=users["unit"], kind="cases.request_decided").exists()
    assert Notification.objects.filter(user=users["community_a"], kind="cases.request_asked").exists()


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "dispatched")
    requests.ask(actor=users["unit"], case_id=case.pk, kind="extension", reason="材料未到", new_deadline=_later())
    with pytest.raises(ValidationFailed):
        requests.decide(actor=users["community_a"], case_id=case.pk, approve=False, note="")
    requests.decide(actor=users["community_a"], case_id=case.pk, approve=False, note="时限内可完成")
    assert Case.objects.get(pk=case.pk).deadline == case.deadline
    assert CaseRequest.objects.get(case=case).state == "refused"


@pytest.mark.parametrize("days", [0, -1, 61])
def test_an_extension_date_must_be_later_than_the_deadline_and_near(users, unit, garbage, days):
    case = to_state(users, report(users, category=garbage), "handling")
    with pytest.raises(ValidationFailed) as refused:
        requests.ask(actor=users["unit"], case_id=case.pk, kind="extension", reason="x",
                     new_deadline=timezone.localdate() + timedelta(days=days))
    assert refused.value.code == "invalid_extension" and not CaseRequest.objects.exists()


def test_an_approved_return_takes_the_case_back_from_the_unit(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "handling")
    requests.ask(actor=users["unit"], case_id=case.pk, kind="return", reason="非本单位职责")
    assert Case.objects.get(pk=case.pk).state == State.HANDLING
    requests.decide(actor=users["community_a"], case_id=case.pk, approve=True)
    case.refresh_from_db()
    assert case.state == State.REGISTERED and case.unit is None and case.deadline is None
    with pytest.raises(NotFound):  # the unit no longer sees it
        requests.ask(actor=users["unit"], case_id=case.pk, kind="return", reason="x")


def test_who_may_ask_and_decide(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "handling")
    with pytest.raises(NotFound):  # another unit does not see the case
        requests.ask(actor=users["other_unit"], case_id=case.pk, kind="return", reason="x")
    with pytest.raises(PermissionDenied):  # area staff do not ask on a unit's behalf
        requests.ask(actor=users["community_a"], case_id=case.pk, kind="return", reason="x")
    requests.ask(actor=users["unit"], case_id=case.pk, kind="return", reason="非本单位职责")
    with pytest.raises(PermissionDenied):
        requests.decide(actor=users["unit"], case_id=case.pk, approve=True)
    with pytest.raises(NotFound):
        requests.decide(actor=users["community_b"], case_id=case.pk, approve=True)
    with pytest.raises(PermissionDenied):
        requests.decide(actor=users["grid_a"], case_id=case.pk, approve=True)


@pytest.fixture
def seeded(transactional_db):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the units and categories again


def test_one_pending_request_at_a_time_even_when_asked_together(seeded, users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "handling")
    results = in_threads(lambda n: outcome(requests.ask, actor=users["unit"], case_id=case.pk, kind="extension",
                                           reason=f"原因{n}", new_deadline=_later()),
                         [(n,) for n in range(4)], together=True)
    assert sorted(results) == ["ok", "request_pending", "request_pending", "request_pending"]
    assert CaseRequest.objects.filter(case=case).count() == 1


def test_on_time_closure_uses_the_approved_deadline(users, unit, garbage):
    late = to_state(users, report(users, category=garbage), "handling")
    extended = to_state(users, report(users, category=garbage), "handling")
    past = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk__in=[late.pk, extended.pk]).update(deadline=past)
    requests.ask(actor=users["unit"], case_id=extended.pk, kind="extension", reason="需协调", new_deadline=_later())
    requests.ask(actor=users["unit"], case_id=late.pk, kind="extension", reason="需协调", new_deadline=_later())
    requests.decide(actor=users["community_a"], case_id=extended.pk, approve=True)
    for case in (late, extended):  # the unasked-for date of `late` never counts
        for action, who, note in (("reply", "unit", "已处理"), ("verify", "grid_a", ""), ("close", "community_a", "")):
            from civicgrid.cases import services

            if action == "reply" and Case.objects.get(pk=case.pk).state != State.HANDLING:
                continue
            services.perform(actor=users[who], case_id=case.pk, action=action, note=note)
    today = timezone.localdate()
    counts = stats.report(actor=users["community_a"], start=today, end=today).total.counts
    assert counts["closed"] == 2 and counts["closed_on_time"] == 1


def test_counts_per_unit(users, unit, garbage):
    one = to_state(users, report(users, category=garbage), "handling")
    two = to_state(users, report(users, category=garbage), "handling")
    requests.ask(actor=users["unit"], case_id=one.pk, kind="extension", reason="x", new_deadline=_later())
    requests.decide(actor=users["community_a"], case_id=one.pk, approve=True)
    requests.ask(actor=users["unit"], case_id=one.pk, kind="extension", reason="y", new_deadline=_later(20))
    requests.decide(actor=users["community_a"], case_id=one.pk, approve=False, note="不再延期")
    requests.ask(actor=users["unit"], case_id=two.pk, kind="return", reason="z")
    today = timezone.localdate()
    [row] = requests.counts_by_unit(actor=users["community_a"], start=today, end=today)
    assert row["unit__name"] == unit.name
    assert (row["extension_asked"], row["extension_approved"], row["extension_refused"]) == (2, 1, 1)
    assert (row["return_asked"], row["return_approved"], row["return_refused"]) == (1, 0, 0)
    assert requests.counts_by_unit(actor=users["community_b"], start=today, end=today) == []


@pytest.mark.parametrize("state", ["dispatched", "handling"])
def test_a_request_lapses_when_the_case_leaves_the_unit(users, unit, garbage, state):
    from civicgrid.cases import services

    case = to_state(users, report(users, category=garbage), state)
    requests.ask(actor=users["unit"], case_id=case.pk, kind="extension", reason="待协调", new_deadline=_later())
    other = users["other_unit"].handling_units.get()
    services.redispatch(actor=users["community_a"], case_id=case.pk, unit_id=other.pk, note="属住建职责")
    with pytest.raises(Conflict):  # nothing left to decide: the new unit has asked for nothing
        requests.decide(actor=users["community_a"], case_id=case.pk, approve=True)
    requests.ask(actor=users["other_unit"], case_id=case.pk, kind="return", reason="也非本单位职责")
    states = dict(CaseRequest.objects.filter(case=case).values_list("unit_id", "state"))
    assert states == {unit.pk: "lapsed", other.pk: "pending"}
