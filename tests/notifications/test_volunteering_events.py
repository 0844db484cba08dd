"""Volunteering events that used to be silent: points earned, points about to expire, a shift called off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.core.errors import NotFound
from civicgrid.core.models import AuditEvent
from civicgrid.notifications.models import Message, Notification
from civicgrid.volunteering import ledger, services
from civicgrid.volunteering.errors import InvalidState
from civicgrid.volunteering.models import Account, Signup, Transfer
from tests.volunteering.conftest import credit, end_shift, new_volunteer, shift, team  # noqa: F401

pytestmark = pytest.mark.django_db


def _texts(user, kind) -> list[str]:
    return list(Notification.objects.filter(user=user, kind=f"volunteering.{kind}").values_list("text", flat=True))


def test_confirmed_hours_that_earn_points_say_how_many(users, shift):  # noqa: F811
    volunteer = new_volunteer(verified_by=users["community_a"])
    signup = services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    end_shift(shift)
    services.confirm_attendance(actor=users["community_a"], signup_id=signup.pk)
    earned = Account.objects.get(volunteer=volunteer).balance
    assert earned > 0 and _texts(volunteer.user, "points_earned") == [f"您获得 {earned} 积分（{shift.activity.title}）"]


def _expiry_window() -> timedelta:
    from civicgrid.volunteering.policy import policy

    return timedelta(days=round(policy().expiry_months * 30.44))


def test_points_about_to_expire_are_warned_once(users):
    volunteer, fresh_only = new_volunteer(), new_volunteer()
    volunteer.user.email = "vol@example.org"
    volunteer.user.save()
    now = timezone.now()
    old = credit(volunteer, 30)  # crosses the expiry line 29.5 days from now
    Transfer.objects.filter(pk=old.pk).update(created_at=now - _expiry_window() + timedelta(days=29, hours=12))
    credit(volunteer, 20)
    credit(fresh_only, 40)

    assert services.warn_expiring(now=now, days=30) == 1
    day = timezone.localdate(now + timedelta(days=30)).isoformat()
    assert _texts(volunteer.user, "points_expiring") == [f"您有 30 积分将于 {day} 过期，请及时使用"]
    assert Message.objects.filter(user=volunteer.user, kind="volunteering.points_expiring", channel="email").exists()
    assert not _texts(fresh_only.user, "points_expiring")
    assert AuditEvent.objects.filter(action="volunteering.points.expiry_warning").count() == 1

    services.warn_expiring(now=now, days=30)  # the job running twice
    services.warn_expiring(now=now + timedelta(days=1), days=30)  # the next day: the same points, no new warning
    assert len(_texts(volunteer.user, "points_expiring")) == 1
    assert ledger.expirable(Account.objects.get(volunteer=volunteer), now=now + timedelta(days=30)) == 30


@pytest.fixture
def next_week(users, team):  # noqa: F811
    activity = services.create_activity(actor=users["community_a"], team_id=team.pk, title="社区清洁",
                                        place_name="社区服务站", target_groups=[])
    starts = timezone.now() + timedelta(days=7)
    return services.add_shift(actor=users["community_a"], activity_id=activity.pk, starts_at=starts,
                              ends_at=starts + timedelta(hours=2), capacity=1)


def test_organizer_cancels_a_shift_and_every_signed_up_volunteer_hears_why(users, next_week):
    placed, waiting, gone = new_volunteer(), new_volunteer(), new_volunteer()
    for volunteer in (placed, waiting, gone):
        services.sign_up(actor=volunteer.user, shift_id=next_week.pk)
    services.cancel_signup(actor=gone.user, signup_id=Signup.objects.get(volunteer=gone).pk)

    with pytest.raises(NotFound):
        services.cancel_shift(actor=users["community_b"], shift_id=next_week.pk, reason="暴雨")
    with pytest.raises(NotFound):
        services.cancel_shift(actor=placed.user, shift_id=next_week.pk, reason="暴雨")
    called_off = services.cancel_shift(actor=users["community_a"], shift_id=next_week.pk, reason="暴雨  预警")

    assert called_off.cancelled_at is not None and called_off.cancel_reason == "暴雨 预警"
    assert set(Signup.objects.filter(shift=called_off).values_list("status", flat=True)) == {"cancelled"}
    for volunteer in (placed, waiting):
        starts = f"{timezone.localtime(called_off.starts_at):%m-%d %H:%M}"
        assert _texts(volunteer.user, "shift_cancelled") == [f"社区清洁（{starts}）已取消：暴雨 预警"]
        sms = Message.objects.get(user=volunteer.user, kind="volunteering.shift_cancelled", channel="sms")
        assert sms.recipient_masked == volunteer.phone_masked and sms.params["reason"] == "暴雨 预警"
    assert not _texts(gone.user, "shift_cancelled")
    audited = AuditEvent.objects.filter(action="volunteering.shift.cancel_shift", target_id=str(called_off.pk))
    assert audited.count() == 1

    services.cancel_shift(actor=users["community_a"], shift_id=called_off.pk, reason="again")  # nothing new
    assert Notification.objects.filter(kind="volunteering.shift_cancelled").count() == 2
    with pytest.raises(InvalidState) as refused:
        services.sign_up(actor=gone.user, shift_id=called_off.pk)
    assert refused.value.code == "shift_cancelled"


def test_a_started_shift_cannot_be_cancelled_and_a_reason_is_required(users, shift, next_week):  # noqa: F811
    with pytest.raises(InvalidState) as started:
        services.cancel_shift(actor=users["community_a"], shift_id=shift.pk, reason="暴雨")
    assert started.value.code == "shift_started"
    from civicgrid.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.cancel_shift(actor=users["community_a"], shift_id=next_week.pk, reason="  ")
