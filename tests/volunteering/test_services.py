"""Shifts, records and earning rules, partner shops, help requests, certificates: the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.core.errors import NotFound
from civicgrid.core.models import AuditEvent
from civicgrid.volunteering import services
from civicgrid.volunteering.errors import DuplicateRequest, InvalidState, OutOfStock
from civicgrid.volunteering.models import Account, HelpRequest, Offer, Redemption, ServiceRecord, Signup, Volunteer
from civicgrid.volunteering.reconcile import reconcile
from tests.volunteering.conftest import balance, credit, make_id, new_volunteer

pytestmark = pytest.mark.django_db


def test_registration_keeps_personal_data_encrypted(volunteer):
    raw = Volunteer.objects.filter(pk=volunteer.pk).values().get()
    assert make_id(0)[:6] in raw["id_number_masked"] and "*" in raw["id_number_masked"]
    assert raw["phone_masked"].count("*") == 4
    assert not any(str(v).startswith("1380") for v in raw.values() if isinstance(v, str) and v != raw["phone_masked"])
    events = AuditEvent.objects.filter(action="volunteering.volunteer.register")
    assert events.exists() and "138" not in str(list(events.values("detail")))
    with pytest.raises(DuplicateRequest):
        services.register_volunteer(actor=volunteer.user, name="x", id_number=make_id(1), phone="13800000000",
                                    region_code=volunteer.region_code, consent=True)


def test_capacity_waitlist_and_promotion(users, shift):
    first, second, third = (new_volunteer() for _ in range(3))
    assert services.sign_up(actor=first.user, shift_id=shift.pk).status == "confirmed"
    assert services.sign_up(actor=second.user, shift_id=shift.pk).status == "confirmed"
    waiting = services.sign_up(actor=third.user, shift_id=shift.pk)
    assert waiting.status == "waitlisted"
    assert services.sign_up(actor=third.user, shift_id=shift.pk).pk == waiting.pk
    services.cancel_signup(actor=first.user, signup_id=Signup.objects.get(volunteer=first).pk)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_qr_scan_checks_in_then_out_and_the_organizer_confirms(users, shift, volunteer):
    now = timezone.now()
    shift = services.add_shift(actor=users["community_a"], activity_id=shift.activity_id,
                               starts_at=now - timedelta(minutes=65), ends_at=now + timedelta(hours=1), capacity=2)
    services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    checked_in = services.scan(actor=volunteer.user, token=shift.checkin_token, now=now - timedelta(minutes=60))
    assert checked_in.status == "checked_in"
    signup = services.scan(actor=volunteer.user, token=shift.checkin_token)  # checked out now: the service ended
    record = signup.record
    assert signup.status == "done" and record.status == "pending" and 55 <= record.minutes <= 70
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    # 1 hour at 10 points/hour, aimed at empty-nest elders: ×1.5
    assert balance(volunteer) == pytest.approx(15, abs=2)
    assert reconcile().ok


def test_organizer_of_another_community_cannot_confirm(users, shift, volunteer):
    services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    signup = Signup.objects.get(volunteer=volunteer)
    with pytest.raises(NotFound):
        services.confirm_attendance(actor=users["community_b"], signup_id=signup.pk)


def test_daily_cap_limits_points(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now().replace(hour=1, minute=0) - timedelta(days=1)
    for hours in (5, 5):
        record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                        started_at=start, ended_at=start + timedelta(hours=hours), content="清扫")
        services.confirm_record(actor=users["community_a"], record_id=record.pk)
    assert balance(volunteer) == 80  # 2 × 50 capped at 80 a day


def test_correction_reverses_and_reposts(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=3)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="助老")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    assert balance(volunteer) == 10
    correction = services.request_correction(actor=volunteer.user, record_id=record.pk, minutes=120, reason="迟退")
    with pytest.raises(DuplicateRequest):
        services.request_correction(actor=volunteer.user, record_id=record.pk, minutes=120, reason="again")
    services.decide_correction(actor=users["community_a"], correction_id=correction.pk, accept=True)
    record.refresh_from_db()
    assert record.minutes == 120 and record.revision == 2 and balance(volunteer) == 20
    assert reconcile().ok
    assert AuditEvent.objects.filter(action="volunteering.record.decide_correction").exists()


def test_claim_confirm_and_settle(users, volunteer, offer, shop, shop_user):
    credit(volunteer, 100)
    redemption = services.claim(actor=volunteer.user, offer_id=offer.pk, key="claim-00001")
    assert services.claim(actor=volunteer.user, offer_id=offer.pk, key="claim-00001").pk == redemption.pk
    assert balance(volunteer) == 70 and Offer.objects.get(pk=offer.pk).stock == 2
    confirmed = services.confirm_redemption(actor=shop_user, code=redemption.code)
    assert confirmed.status == "confirmed" and Account.objects.get(shop=shop).balance == 30
    assert services.confirm_redemption(actor=shop_user, code=redemption.code).pk == redemption.pk
    transfer = services.settle_month(actor=users["community_a"], shop_id=shop.pk, month=timezone.localdate())
    assert transfer.amount == 30 and Account.objects.get(shop=shop).balance == 0
    assert services.settle_month(actor=users["community_a"], shop_id=shop.pk, month=timezone.localdate()).pk == \
        transfer.pk
    assert reconcile().ok


def test_out_of_stock_and_expired_codes(volunteer, offer):
    credit(volunteer, 1000)
    codes = [services.claim(actor=volunteer.user, offer_id=offer.pk, key=f"claim-{i:05d}") for i in range(3)]
    with pytest.raises(OutOfStock):
        services.claim(actor=volunteer.user, offer_id=offer.pk, key="claim-99999")
    assert services.expire_redemptions(now=timezone.now() + timedelta(days=4)) == 3
    assert Offer.objects.get(pk=offer.pk).stock == 3 and balance(volunteer) == 1000
    assert Redemption.objects.filter(pk=codes[0].pk, status="expired").exists()
    assert reconcile().ok


def test_help_request_matching_completion_and_escalation(users, register_elder):
    helper = new_volunteer(skills=["shopping"], verified_by=users["community_a"])
    other = new_volunteer(skills=["repair"], verified_by=users["community_a"])
    request = services.ask_for_help(actor=users["community_a"], resident_id=register_elder.pk, kind="shopping",
                                    description="买菜", needed_at=timezone.now() + timedelta(hours=5))
    from civicgrid.volunteering.matching import candidates

    proposed = candidates(request)
    assert [c.volunteer.pk for c in proposed][:1] == [helper.pk] and other.pk in [c.volunteer.pk for c in proposed]
    services.accept_help(actor=helper.user, request_id=request.pk)
    with pytest.raises(InvalidState):
        services.accept_help(actor=other.user, request_id=request.pk)
    record = services.complete_help(actor=helper.user, request_id=request.pk, minutes=60, note="已送达")
    assert record.status == "pending" and record.team.kind == "community" and record.help_request_id == request.pk
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    assert balance(helper) == 15  # empty-nest elder: ×1.5
    late = services.ask_for_help(actor=users["community_a"], resident_id=register_elder.pk, kind="visit",
                                 description="陪聊", needed_at=timezone.now() + timedelta(days=2))
    HelpRequest.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=30))
    assert services.escalate_unanswered() == 1 and services.escalate_unanswered() == 0


def test_certificate_totals_and_refusal_without_service(users, volunteer, team):
    from civicgrid.volunteering.pdf import certificate_pdf

    with pytest.raises(InvalidState):
        services.issue_certificate(actor=volunteer.user)
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=3)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(minutes=90), content="环境整治")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    certificate = services.issue_certificate(actor=volunteer.user)
    assert certificate.minutes == 90 and certificate.records == 1 and "*" in certificate.holder_masked
    content = certificate_pdf(certificate, verify_url="http://testserver/volunteering/verify/x/")
    assert content.startswith(b"%PDF") and len(content) > 2000


def test_denied_records_earn_nothing(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=3)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="x")
    services.deny_record(actor=users["community_a"], record_id=record.pk, reason="未到场")
    with pytest.raises(InvalidState):
        services.confirm_record(actor=users["community_a"], record_id=record.pk)
    assert ServiceRecord.objects.get(pk=record.pk).status == "denied" and balance(volunteer) == 0


def test_no_shows_after_the_shift(users, shift, volunteer):
    services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    result = services.close_shift(shift_id=shift.pk, now=shift.ends_at + timedelta(hours=3))
    assert result["no_shows"] == 1 and Signup.objects.get(volunteer=volunteer).status == "no_show"
    assert services.close_shift(shift_id=shift.pk, now=shift.ends_at + timedelta(hours=4))["no_shows"] == 0


def test_certificate_pdf_embeds_noto_or_falls_back(monkeypatch, users, team, volunteer):
    from civicgrid.core import pdffonts as fonts
    from civicgrid.volunteering import pdf

    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=3)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(minutes=60), content="助老")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    certificate = services.issue_certificate(actor=volunteer.user)
    if fonts.noto_path():
        assert b"FontFile2" in pdf.certificate_pdf(certificate, verify_url="http://x/v/1/")  # embedded TrueType
    fonts.truetype_subset.cache_clear()
    monkeypatch.setattr(fonts, "noto_path", lambda: None)
    content = pdf.certificate_pdf(certificate, verify_url="http://x/v/1/")
    assert b"STSong-Light" in content and b"FontFile2" not in content
    fonts.truetype_subset.cache_clear()
