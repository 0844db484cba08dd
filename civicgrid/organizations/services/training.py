"""Training sessions of the service centre with sign-in: an organization's account scans the session's code
(the same idea as volunteering's shift check-in), or the organizer signs someone in at the desk."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import ensure_manages
from civicgrid.organizations.errors import AlreadySignedIn, CheckinClosed, TrainingFull
from civicgrid.organizations.models import Cohort, Organization, TrainingAttendance, TrainingSession
from civicgrid.organizations.selectors import session_for_checkin
from civicgrid.organizations.services.common import count, require_own_organization, text
from civicgrid.territory.models import Level, Region

EARLY = timedelta(hours=1)


@transaction.atomic
def create_session(*, actor, title: str, region_code: str, starts_at, ends_at, capacity: int = 50,
                   topic: str = "", trainer: str = "", place_name: str = "", cohort_id: int | None = None,
                   open_to_all: bool = True) -> TrainingSession:
    region = Region.objects.filter(code=str(region_code or ""), level__in=[Level.DISTRICT, Level.SUBDISTRICT]).first()
    if region is None:
        raise ValidationFailed(_("Choose the district or a subdistrict."), code="unknown_region", field="region")
    ensure_manages(actor, region.code)
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise ValidationFailed(_("The end is before the start."), code="invalid_time", field="ends_at")
    cohort = Cohort.objects.get_managed(actor, pk=cohort_id) if cohort_id else None
    session = TrainingSession.objects.create(
        title=text(title, field="title", limit=200), topic=text(topic, field="topic", limit=200, required=False),
        trainer=text(trainer, field="trainer", limit=100, required=False), region=region, cohort=cohort,
        place_name=text(place_name, field="place_name", limit=200, required=False), starts_at=starts_at,
        ends_at=ends_at, capacity=max(1, count(capacity, field="capacity", limit=10_000)),
        open_to_all=bool(open_to_all), checkin_token=secrets.token_urlsafe(18), created_by=actor)
    audit.record(actor=actor, action="organizations.training.create", target=session, region_code=session.region_code)
    return session


def _locked_session(session: TrainingSession, now) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not session.starts_at - EARLY <= now <= session.ends_at:
        raise CheckinClosed()
    if session.attendances.count() >= session.capacity:
        raise TrainingFull()
    return session


def _attend(session, *, organization, attendee: str, user, method: str, actor) -> TrainingAttendance:
    try:
        with transaction.atomic():
            attendance = TrainingAttendance.objects.create(session=session, organization=organization,
                                                           attendee=attendee, user=user, method=method,
                                                           signed_in_at=timezone.now())
    except IntegrityError:
        raise AlreadySignedIn() from None
    audit.record(actor=actor, action="organizations.training.signin", target=attendance,
                 region_code=session.region_code, detail={"method": method, "organization": organization.pk})
    return attendance


@transaction.atomic
def scan_sign_in(*, actor, token: str, attendee: str = "") -> TrainingAttendance:
    """An organization's account signs in with the session's code (QR link)."""
    org = require_own_organization(actor)
    session = session_for_checkin(org=org, token=token)
    if session is None:
        raise NotFound()
    session = _locked_session(session, timezone.now())
    name = text(attendee or actor.display_name or actor.get_username(), field="attendee", limit=50)
    return _attend(session, organization=org, attendee=name, user=actor, method=TrainingAttendance.Method.SCAN,
                   actor=actor)


@transaction.atomic
def desk_sign_in(*, actor, session_id: int, organization_id: int, attendee: str) -> TrainingAttendance:
    """The organizer signs in someone of an organization who has no account with them."""
    session = TrainingSession.objects.get_managed(actor, pk=session_id)
    org = Organization.objects.within(session.region_code[:6]).filter(pk=organization_id).first()
    if org is None:
        raise ValidationFailed(_("Choose an organization of the district."), code="unknown_organization",
                               field="organization")
    session = _locked_session(session, timezone.now())
    return _attend(session, organization=org, attendee=text(attendee, field="attendee", limit=50), user=None,
                   method=TrainingAttendance.Method.DESK, actor=actor)
