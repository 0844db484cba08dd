"""Cases and volunteering reach people through the service: what used to happen silently now notifies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.notifications.models import Message, Notification
from civicgrid.volunteering import services
from civicgrid.volunteering.models import HelpRequest, Signup
from tests.cases.conftest import IN_A, garbage, report, to_state, unit  # noqa: F401
from tests.volunteering.conftest import new_volunteer, places, register_elder, shift, team  # noqa: F401

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_waitlist_promotion_notifies_with_sms_to_the_volunteers_phone(users, shift):  # noqa: F811
    first, second, third = (new_volunteer() for _ in range(3))
    for volunteer in (first, second, third):
        services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    assert _kinds(third.user) == ["volunteering.waitlisted"]
    services.cancel_signup(actor=first.user, signup_id=Signup.objects.get(volunteer=first).pk)
    assert _kinds(third.user) == ["volunteering.promoted", "volunteering.waitlisted"]
    sms = Message.objects.get(user=third.user, kind="volunteering.promoted")
    assert sms.channel == "sms" and sms.address_model == "volunteering.volunteer"
    assert sms.recipient_masked == third.phone_masked


def test_unanswered_help_request_reaches_the_community(users, register_elder):  # noqa: F811
    helper = new_volunteer(verified_by=users["community_a"])
    request = services.ask_for_help(actor=users["community_a"], resident_id=register_elder.pk, kind="visit",
                                    description="陪聊", needed_at=timezone.now() + timedelta(days=2))
    assert _kinds(helper.user) == ["volunteering.help_nearby"]
    HelpRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(hours=30))
    services.escalate_unanswered()
    escalated = Notification.objects.get(user=users["community_a"], kind="volunteering.help_escalated")
    assert "无人响应" in escalated.text
    assert not Notification.objects.filter(user=users["community_b"]).exists()


def test_a_phone_reporter_hears_the_outcome_by_sms_not_every_step(users, unit, garbage):  # noqa: F811
    from civicgrid.cases import services as cases

    case = cases.report_case(actor=users["grid_a"], channel="phone", description="路灯不亮", lon=IN_A[0],
                             lat=IN_A[1], category_id=garbage.pk, phone="13811112222")
    to_state(users, case, "closed")
    sms = Message.objects.filter(recipient_masked="138****2222", channel="sms")
    assert set(sms.values_list("kind", flat=True)) == {"cases.outcome"}
    assert sms.count() == 3  # dispatched, replied, closed


def test_case_reporter_with_an_account_gets_each_step_in_the_inbox(users, unit, garbage):  # noqa: F811
    case = to_state(users, report(users, category=garbage), "closed")
    kinds = set(Notification.objects.filter(user=users["resident"], url=f"/cases/{case.pk}/")
                .values_list("kind", flat=True))
    assert kinds == {"cases.outcome", "cases.progress"}


def test_volunteers_are_reminded_the_day_before_once(users, team):  # noqa: F811
    activity = services.create_activity(actor=users["community_a"], team_id=team.pk, title="社区清洁",
                                        place_name="社区服务站", target_groups=[])
    starts = timezone.now() + timedelta(days=1)
    next_day = services.add_shift(actor=users["community_a"], activity_id=activity.pk, starts_at=starts,
                                  ends_at=starts + timedelta(hours=2), capacity=5)
    volunteer = new_volunteer()
    services.sign_up(actor=volunteer.user, shift_id=next_day.pk)
    assert services.remind_tomorrow() == 1
    services.remind_tomorrow()
    reminders = Notification.objects.filter(user=volunteer.user, kind="volunteering.shift_tomorrow")
    assert reminders.count() == 1 and "社区清洁" in reminders.get().text
