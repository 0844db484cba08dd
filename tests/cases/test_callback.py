"""The call-back (回访): a task when a case with a caller's phone closes, the phone revealed only on purpose and
audited, attempts on different working days up to the configured number, the answer standing over the
reporter's own rating in the rates, and the follow-up of a dissatisfied answer."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from civicgrid.cases import services, stats
from civicgrid.cases.models import CallBack, Case, Channel, State
from civicgrid.cases.services import callback
from civicgrid.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.cases.conftest import IN_A, report, to_state

pytestmark = pytest.mark.django_db
FRIDAY, SATURDAY, MONDAY, TUESDAY = date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 9), date(2026, 3, 10)


@pytest.fixture
def caller(users):
    """community_a may call back (the permission), like a call-back team member of that community."""
    users["community_a"].user_permissions.add(Permission.objects.get(codename="call_back"))
    return users["community_a"]


def hotline_case(users, garbage, state="closed"):
    case = services.report_case(actor=users["district"], channel=Channel.HOTLINE, lon=IN_A[0], lat=IN_A[1],
                                description="楼道堆物无人清理", phone="13900001111", category_id=garbage.pk,
                                external_id=f"H{Case.objects.count() + 1}")
    return to_state(users, case, state)


def test_closing_a_case_with_a_phone_opens_one_call_back(users, unit, garbage):
    case = hotline_case(users, garbage)
    assert CallBack.objects.filter(case=case, state="pending").count() == 1
    rated = to_state(users, report(users, category=garbage, phone="13900002222"), "verified")
    services.rate(actor=users["resident"], case_id=rated.pk, satisfaction="satisfied", resolved=True)
    no_phone = to_state(users, report(users, category=garbage), "closed")
    assert not CallBack.objects.filter(case__in=[rated.pk, no_phone.pk]).exists()


def test_the_phone_is_revealed_only_to_a_caller_and_every_reveal_is_audited(users, unit, garbage, caller):
    case = hotline_case(users, garbage)
    with pytest.raises(PermissionDenied):  # area staff without the permission
        callback.reveal_phone(actor=users["sub_a"], case_id=case.pk)
    with pytest.raises(NotFound):
        callback.reveal_phone(actor=users["community_b"], case_id=case.pk)
    assert callback.reveal_phone(actor=caller, case_id=case.pk) == "13900001111"
    outcomes = list(AuditEvent.objects.filter(action="cases.callback.reveal_phone").values_list("outcome", flat=True))
    assert outcomes == ["denied", "success"]


def test_attempts_on_different_working_days_then_not_reached(users, unit, garbage, caller, settings):
    settings.CASES_CALLBACK_ATTEMPTS = 2
    case = hotline_case(users, garbage)
    task = callback.record_attempt(actor=caller, case_id=case.pk, reached=False, today=FRIDAY)
    assert task.attempts == 1 and task.next_attempt_on == MONDAY  # the weekend is not a working day
    for day in (FRIDAY, SATURDAY):
        with pytest.raises(Conflict) as refused:
            callback.record_attempt(actor=caller, case_id=case.pk, reached=False, today=day)
        assert refused.value.code == "callback_too_soon"
    task = callback.record_attempt(actor=caller, case_id=case.pk, reached=False, today=MONDAY)
    assert task.state == "unreached" and task.attempts == 2
    with pytest.raises(Conflict):  # nothing left to call
        callback.record_attempt(actor=caller, case_id=case.pk, reached=False, today=TUESDAY)
    with pytest.raises(Conflict):  # the number is not shown once the call-back is over
        callback.reveal_phone(actor=caller, case_id=case.pk)
    assert Case.objects.get(pk=case.pk).callback_at is None


def test_reached_on_the_second_attempt_with_an_answer(users, unit, garbage, caller):
    case = hotline_case(users, garbage)
    callback.record_attempt(actor=caller, case_id=case.pk, reached=False, today=FRIDAY)
    with pytest.raises(ValidationFailed):  # reached needs the answer
        callback.record_attempt(actor=caller, case_id=case.pk, reached=True, today=MONDAY)
    task = callback.record_attempt(actor=caller, case_id=case.pk, reached=True, resolved=True, satisfaction="basic",
                                   comment="来电人表示基本满意", today=MONDAY)
    case.refresh_from_db()
    assert task.state == "reached" and task.attempts == 2
    assert (case.callback_satisfaction, case.callback_resolved) == ("basic", True) and case.callback_at
    assert case.events.filter(kind="callback").count() == 2


def test_the_call_back_answer_stands_over_the_reporters_rating_in_the_rates(users, unit, garbage, caller):
    case = hotline_case(users, garbage)
    today = timezone.localdate()
    counts = stats.report(actor=users["community_a"], start=today, end=today).total.counts
    assert counts["rated"] == 0  # a hotline case nobody reached is not rated
    callback.record_attempt(actor=caller, case_id=case.pk, reached=True, resolved=False, satisfaction="unsatisfied")
    Case.objects.filter(pk=case.pk).update(rated_at=timezone.now(), satisfaction="satisfied", resolved=True)
    result = stats.report(actor=users["community_a"], start=today, end=today, by="channel")
    assert result.total.counts["rated"] == 1 and result.total.counts["called_back"] == 1
    assert result.total.rates["satisfaction"] == 0.0 and result.total.rates["resolution"] == 0.0
    assert [(row.key, row.counts["rated"]) for row in result.rows] == [("hotline", 1)]
    assert stats.report(actor=users["district"], start=today, end=today, by="channel").total.counts["rated"] == 1


def test_dissatisfied_reopens_for_rework_and_is_called_back_again(users, unit, garbage, caller):
    case = hotline_case(users, garbage)
    callback.record_attempt(actor=caller, case_id=case.pk, reached=True, resolved=False, satisfaction="unsatisfied")
    case = callback.rework(actor=caller, case_id=case.pk, note="来电人称问题仍在")
    assert case.state == State.DISPATCHED and case.rework_count == 1 and case.callback_at is None
    with pytest.raises(Conflict):
        callback.rework(actor=caller, case_id=case.pk, note="again")
    for action, who, note in (("accept", "unit", ""), ("reply", "unit", "已再次处理"), ("verify", "grid_a", ""),
                              ("close", "community_a", "")):
        services.perform(actor=users[who], case_id=case.pk, action=action, note=note)
    assert CallBack.objects.filter(case=case, state="pending").count() == 1


def test_not_solvable_explained_is_approved_by_the_subdistrict_and_counted_apart(users, unit, garbage, caller):
    case = hotline_case(users, garbage)
    with pytest.raises(Conflict):  # only after a dissatisfied answer
        callback.propose_explanation(actor=caller, case_id=case.pk, note="x")
    callback.record_attempt(actor=caller, case_id=case.pk, reached=True, resolved=False, satisfaction="unsatisfied")
    callback.propose_explanation(actor=caller, case_id=case.pk, note="涉及规划调整，已向来电人解释")
    with pytest.raises(PermissionDenied):  # the community does not approve its own explanation
        callback.decide_explanation(actor=caller, case_id=case.pk, approve=True)
    today = timezone.localdate()
    assert stats.report(actor=users["sub_a"], start=today, end=today).total.counts["rated"] == 1
    callback.decide_explanation(actor=users["sub_a"], case_id=case.pk, approve=True)
    counts = stats.report(actor=users["sub_a"], start=today, end=today).total.counts
    assert counts["explained"] == 1 and counts["rated"] == 0 and counts["satisfied"] == 0
    assert CallBack.objects.get(case=case).followup == "explained"


def test_reopening_cancels_an_open_call_back(users, unit, garbage):
    case = to_state(users, report(users, category=garbage, phone="13900003333"), "closed")
    assert CallBack.objects.get(case=case).state == "pending"
    services.reopen(actor=users["resident"], case_id=case.pk, note="又有了")
    assert CallBack.objects.get(case=case).state == "cancelled"


def test_a_patrol_finding_with_a_contact_on_site_is_called_back(client, users, unit, garbage):
    client.force_login(users["grid_a"])
    page = client.get("/cases/report/")
    assert "现场联系人电话" in page.content.decode()
    client.post("/cases/report/", {"description": "井盖缺失，居民指给网格员看", "category_id": garbage.pk,
                                   "lon": IN_A[0], "lat": IN_A[1], "phone": "13900003333"})
    case = Case.objects.get(channel=Channel.PATROL)
    assert case.phone_cipher and case.state == State.REGISTERED  # a grid worker's finding is registered at once
    for action, who in (("dispatch", "community_a"), ("accept", "unit"), ("reply", "unit"), ("verify", "grid_a"),
                        ("close", "community_a")):
        services.perform(actor=users[who], case_id=case.pk, action=action, note="已处理")
    assert CallBack.objects.filter(case=case, state="pending").count() == 1
