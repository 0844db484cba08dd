"""Training sessions: sign-in by the session's code within its window and capacity, once per person; desk
sign-in by the organizer; figures counted for the hub."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.core.errors import NotFound
from civicgrid.organizations import services
from civicgrid.organizations.errors import AlreadySignedIn, CheckinClosed, NotAnOrganization, TrainingFull
from civicgrid.organizations.models import TrainingSession
from tests.conftest import DISTRICT
from tests.organizations.conftest import make_account, register

pytestmark = pytest.mark.django_db


def _session(users, *, starts_in=timedelta(minutes=-10), capacity=2, **extra):
    now = timezone.now()
    return services.create_session(actor=users["district"], title="项目书写作培训", region_code=DISTRICT,
                                   starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=2),
                                   capacity=capacity, **extra)


def test_sign_in_by_code_once_within_capacity(users, org, org_user):
    session = _session(users)
    attendance = services.scan_sign_in(actor=org_user, token=session.checkin_token)
    assert attendance.organization == org and attendance.attendee == org_user.display_name
    with pytest.raises(AlreadySignedIn):
        services.scan_sign_in(actor=org_user, token=session.checkin_token)
    second = register(users["district"], name="第二家")
    services.scan_sign_in(actor=make_account(second, "org-second"), token=session.checkin_token)
    third = register(users["district"], name="第三家")
    with pytest.raises(TrainingFull):
        services.scan_sign_in(actor=make_account(third, "org-third"), token=session.checkin_token)
    with pytest.raises(NotFound):
        services.scan_sign_in(actor=org_user, token="no-such-token")
    with pytest.raises(NotAnOrganization):
        services.scan_sign_in(actor=users["resident"], token=session.checkin_token)


def test_sign_in_opens_an_hour_before_and_closes_at_the_end(users, org_user):
    later = _session(users, starts_in=timedelta(hours=3))
    with pytest.raises(CheckinClosed):
        services.scan_sign_in(actor=org_user, token=later.checkin_token)
    soon = _session(users, starts_in=timedelta(minutes=50))
    services.scan_sign_in(actor=org_user, token=soon.checkin_token)


def test_a_cohort_session_is_for_its_organizations(users, org_user, cohort, incubation):
    session = _session(users, cohort_id=cohort.pk, open_to_all=False)
    outsider = make_account(register(users["district"], name="不在本期"), "org-outsider")
    with pytest.raises(NotFound):
        services.scan_sign_in(actor=outsider, token=session.checkin_token)
    services.scan_sign_in(actor=org_user, token=session.checkin_token)


def test_desk_sign_in_and_visibility(users, org):
    session = _session(users)
    services.desk_sign_in(actor=users["district"], session_id=session.pk, organization_id=org.pk, attendee="李四")
    with pytest.raises(AlreadySignedIn):
        services.desk_sign_in(actor=users["district"], session_id=session.pk, organization_id=org.pk,
                              attendee="李四")
    assert TrainingSession.objects.visible_to(users["community_b"]).filter(pk=session.pk).exists()  # shared down
    assert not TrainingSession.objects.managed_by(users["community_b"]).filter(pk=session.pk).exists()
