"""Every transition of the case workflow and every refusal, on the real database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases import services
from civicgrid.cases.errors import IllegalTransition
from civicgrid.cases.models import Case, CaseEvent, State
from civicgrid.core.errors import ConfigurationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.notifications.models import Notification
from tests.cases.conftest import report, to_state

pytestmark = pytest.mark.django_db


def test_happy_path_reaches_closed_with_events_audit_and_notifications(users, unit, garbage):
    case = report(users, category=garbage, phone="13800138000")
    case = to_state(users, case, "closed")
    case = services.rate(actor=users["resident"], case_id=case.pk, satisfaction="satisfied", resolved=True)
    assert case.state == State.CLOSED and case.rated_at and case.resolved
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["report", "register", "dispatch", "accept", "reply", "verify", "close", "rate"]
    assert case.unit == unit and case.first_receiver == users["community_a"] and case.deadline > case.dispatched_at
    assert AuditEvent.objects.filter(action__startswith="cases.", target_id=str(case.pk)).count() == 8
    assert Notification.objects.filter(user=users["resident"], url=f"/cases/{case.pk}/").count() >= 6
    assert Notification.objects.filter(user=users["unit"], kind="cases.dispatched").exists()


def test_events_are_immutable(users, unit, garbage):
    event = report(users, category=garbage).events.get()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.parametrize(("state", "action", "who"), [
    ("reported", "dispatch", "community_a"),
    ("dispatched", "reply", "unit"),
    ("handling", "verify", "grid_a"),
    ("registered", "register", "community_a"),
    ("dispatched", "verify", "grid_a"),
    ("handling", "close", "community_a"),
    ("replied", "dispatch", "community_a"),
    ("closed", "void", "community_a"),
    ("closed", "register", "community_a"),
])
def test_illegal_transitions_are_409(users, unit, garbage, state, action, who):
    case = report(users, category=garbage)
    if state != "reported":
        case = to_state(users, case, state)
    with pytest.raises(IllegalTransition) as refused:
        services.perform(actor=users[who], case_id=case.pk, action=action, note="x")
    assert refused.value.status == 409 and refused.value.code == "illegal_transition"
    assert Case.objects.get(pk=case.pk).state == state


def test_reject_needs_a_reason_and_is_final(users, unit, garbage):
    case = report(users, category=garbage)
    with pytest.raises(ValidationFailed) as missing:
        services.reject(actor=users["community_a"], case_id=case.pk)
    assert missing.value.code == "reason_required"
    case = services.reject(actor=users["community_a"], case_id=case.pk, note="不属于受理范围")
    assert case.state == State.REJECTED


def test_redispatch_needs_a_reason_and_a_new_unit(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "handling")
    with pytest.raises(ValidationFailed):
        services.redispatch(actor=users["community_a"], case_id=case.pk, unit_id=unit.pk + 1)
    other = users["other_unit"].handling_units.get()
    case = services.redispatch(actor=users["community_a"], case_id=case.pk, unit_id=other.pk, note="属住建职责")
    assert case.state == State.DISPATCHED and case.unit == other
    with pytest.raises(NotFound):  # the first unit no longer sees it
        services.accept(actor=users["unit"], case_id=case.pk)
    assert services.accept(actor=users["other_unit"], case_id=case.pk).state == State.HANDLING


def test_the_dispatcher_takes_a_wrong_dispatch_back(users, unit, garbage):
    """A unit asks to return a case (tests/cases/test_requests.py); only the dispatcher moves it back."""
    case = to_state(users, report(users, category=garbage), "dispatched")
    with pytest.raises(PermissionDenied):
        services.return_to_dispatcher(actor=users["unit"], case_id=case.pk, note="非本单位职责")
    case = services.return_to_dispatcher(actor=users["community_a"], case_id=case.pk, note="派错单位")
    assert case.state == State.REGISTERED and case.unit is None


def test_failed_verification_is_counted_rework(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "replied")
    case = services.rework(actor=users["grid_a"], case_id=case.pk, note="垃圾仍在")
    assert case.state == State.HANDLING and case.rework_count == 1
    case = services.reply(actor=users["unit"], case_id=case.pk, note="已再次清运")
    case = services.rework(actor=users["grid_a"], case_id=case.pk, note="仍未清理干净")
    assert case.rework_count == 2


def test_park_needs_reason_and_future_review_date_then_resumes(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "dispatched")
    with pytest.raises(ValidationFailed):
        services.park(actor=users["community_a"], case_id=case.pk, note="需纳入明年预算")
    with pytest.raises(ValidationFailed) as no_date:
        services.park(actor=users["community_a"], case_id=case.pk, note="需纳入明年预算",
                      review_on=timezone.localdate())
    assert no_date.value.code == "review_date_required"
    review = timezone.localdate() + timedelta(days=90)
    case = services.park(actor=users["community_a"], case_id=case.pk, note="需纳入明年预算", review_on=review)
    assert case.state == State.PARKED and case.park_review_on == review
    case = services.resume(actor=users["community_a"], case_id=case.pk)
    assert case.state == State.REGISTERED and case.park_reason == ""


def test_void_needs_reason(users, unit, garbage):
    case = report(users, category=garbage)
    with pytest.raises(ValidationFailed):
        services.void(actor=users["community_a"], case_id=case.pk)
    assert services.void(actor=users["community_a"], case_id=case.pk, note="重复").state == State.VOID


def test_reopen_within_seven_days_only(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "closed")
    case = services.reopen(actor=users["resident"], case_id=case.pk, note="问题又出现了")
    assert case.state == State.DISPATCHED and case.reopen_count == 1 and case.unit == unit
    case = to_state_from_dispatched(users, case)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=8))
    with pytest.raises(Conflict) as late:
        services.reopen(actor=users["resident"], case_id=case.pk, note="again")
    assert late.value.code == "reopen_window_closed"


def to_state_from_dispatched(users, case):
    for action, who, note in (("accept", "unit", ""), ("reply", "unit", "ok"), ("verify", "grid_a", ""),
                              ("close", "community_a", "")):
        case = services.perform(actor=users[who], case_id=case.pk, action=action, note=note)
    return case


def test_rating_twice_is_refused(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "verified")
    case = services.rate(actor=users["resident"], case_id=case.pk, satisfaction="basic", resolved=True)
    assert case.state == State.CLOSED and case.closed_at
    with pytest.raises(Conflict) as again:
        services.rate(actor=users["resident"], case_id=case.pk, satisfaction="satisfied", resolved=True)
    assert again.value.code == "already_rated"


def test_wrong_role_in_scope_is_403(users, unit, garbage):
    case = report(users, category=garbage)
    with pytest.raises(PermissionDenied):
        services.dispatch(actor=users["resident"], case_id=case.pk)
    case = to_state(users, case, "replied")
    with pytest.raises(PermissionDenied):
        services.verify(actor=users["sub_a"], case_id=case.pk)


def test_urgent_flag_shortens_the_deadline(users, unit, garbage):
    case = to_state(users, report(users, category=garbage), "dispatched")
    normal = case.deadline
    case = services.set_urgent(actor=users["community_a"], case_id=case.pk, urgent=True)
    assert case.urgent and case.deadline < normal


def test_dispatch_without_rule_or_category_is_refused(users, unit):
    case = report(users)
    services.register(actor=users["community_a"], case_id=case.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.dispatch(actor=users["community_a"], case_id=case.pk)
    assert refused.value.code == "category_required"


def test_grid_patrol_report_is_registered_with_first_receiver(users, unit, garbage):
    case = services.report_case(actor=users["grid_a"], channel="patrol", description="井盖缺失", lon=116.155,
                                lat=39.905, category_id=garbage.pk)
    assert case.state == State.REGISTERED and case.first_receiver == users["grid_a"]


def test_phone_is_never_stored_in_clear(users, unit, garbage):
    case = report(users, category=garbage, phone="13912345678")
    row = Case.objects.filter(pk=case.pk).values().get()
    assert "13912345678" not in str(row) and row["phone_masked"] == "139****5678"
    assert "13912345678" not in str(list(CaseEvent.objects.values())) + str(list(AuditEvent.objects.values()))
    assert ConfigurationError  # crypto errors surface as configuration problems, not silently
