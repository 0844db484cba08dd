"""Service records (谁组织谁记录): created by the organizing team, confirmed or denied by it, corrected
on the volunteer's request. Confirmation earns points under the caps; a correction reverses and re-posts."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.volunteering import events, ledger
from civicgrid.volunteering.errors import DuplicateRequest, InvalidState, ShiftNotOver, VolunteerNotVerified
from civicgrid.volunteering.models import (
    PRIORITY_GROUPS,
    Account,
    CorrectionRequest,
    Membership,
    ServiceRecord,
    Team,
    Transfer,
    Volunteer,
)
from civicgrid.volunteering.policy import policy
from civicgrid.volunteering.selectors import ensure_organizes, volunteer_of


def _minutes(started_at: datetime, ended_at: datetime) -> int:
    return max(0, min(24 * 60, int((ended_at - started_at).total_seconds() // 60)))


def new_record(*, actor, signup, started_at, ended_at) -> ServiceRecord:
    """The record of a shift, kept by the team that ran the activity. Call inside a transaction."""
    activity = signup.shift.activity
    return ServiceRecord.objects.create(
        volunteer=signup.volunteer, team=activity.team, signup=signup,
        service_date=timezone.localdate(started_at), started_at=started_at, ended_at=ended_at,
        place_name=activity.place_name, content=activity.title[:500], minutes=_minutes(started_at, ended_at),
        target_groups=activity.target_groups, created_by=actor if getattr(actor, "is_authenticated", False) else None)


def create_record(*, actor, team_id: int, volunteer_id: int, started_at: datetime, ended_at: datetime,
                  content: str, place_name: str = "", target_groups=(), training: str = "",
                  commendation: str = "", evaluation: str = "") -> ServiceRecord:
    """A record entered by the organizer for service outside a shift (training, commendation, evaluation)."""
    if ended_at <= started_at or _minutes(started_at, ended_at) == 0 or (ended_at - started_at).days >= 1:
        raise ValidationFailed(_("A service ends after it starts, within a day."), code="invalid_time",
                               field="ended_at")
    if ended_at > timezone.now():
        raise ValidationFailed(_("Record service once it has ended, not in advance."), code="service_in_future",
                               field="ended_at")
    content = " ".join(str(content).split())[:500]
    if not content:
        raise ValidationFailed(_("Describe the service."), code="required", field="content")
    with transaction.atomic():
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise NotFound()
        ensure_organizes(actor, team)
        if not Membership.objects.filter(team=team, volunteer_id=volunteer_id).exists():
            raise NotFound(_("This volunteer is not a member of the team."), code="not_a_member")
        record = ServiceRecord.objects.create(
            volunteer=Volunteer.objects.get(pk=volunteer_id), team=team, service_date=timezone.localdate(started_at),
            started_at=started_at, ended_at=ended_at, place_name=str(place_name)[:200], content=content,
            minutes=_minutes(started_at, ended_at), target_groups=list(target_groups), training=str(training)[:200],
            commendation=str(commendation)[:200], evaluation=str(evaluation)[:200], created_by=actor)
        audit.record(actor=actor, action="volunteering.record.create", target=record, region_code=record.region_code)
    return record


def _locked_record(actor, record_id: int) -> ServiceRecord:
    """A record of a team the actor organizes (`ensure_organizes` in the same query), locked; else 404.
    `of=("self",)`: a plain FOR UPDATE over the join would also lock the team's row, and every confirmation of
    the team's records would queue behind the one before it until it commits."""
    record = (ServiceRecord.objects.select_for_update(of=("self",)).select_related("team", "volunteer")
              .filter(pk=record_id, team__in=Team.objects.managed_by(actor).values("pk")).first())
    if record is None:
        raise NotFound()
    return record


def confirm_record(*, actor, record_id: int) -> ServiceRecord:
    with transaction.atomic():
        record = _locked_record(actor, record_id)
        if record.status == ServiceRecord.Status.CONFIRMED:
            return record
        if record.status != ServiceRecord.Status.PENDING:
            raise InvalidState()
        confirm_locked(actor=actor, record=record)
    return record


def ensure_confirmable(*, volunteer: Volunteer, ended_at: datetime, now: datetime | None = None) -> None:
    """Hours are confirmed only for service that has ended, and only for a volunteer whose registration the
    community has verified."""
    if ended_at > (now or timezone.now()):
        raise ShiftNotOver()
    if volunteer.verified_at is None:
        raise VolunteerNotVerified()


def confirm_locked(*, actor, record: ServiceRecord) -> Transfer | None:
    """Confirm a locked pending record and credit its points. Call inside a transaction."""
    ensure_confirmable(volunteer=Volunteer.objects.get(pk=record.volunteer_id), ended_at=record.ended_at)
    record.status, record.decided_by, record.decided_at = ServiceRecord.Status.CONFIRMED, actor, timezone.now()
    record.save(update_fields=["status", "decided_by", "decided_at"])
    transfer = earn(actor=actor, record=record)
    audit.record(actor=actor, action="volunteering.record.confirm", target=record, region_code=record.region_code,
                 detail={"minutes": record.minutes, "points": transfer.amount if transfer else 0})
    events.record_confirmed(record, transfer)
    return transfer


def deny_record(*, actor, record_id: int, reason: str = "") -> ServiceRecord:
    with transaction.atomic():
        record = _locked_record(actor, record_id)
        if record.status == ServiceRecord.Status.DENIED:
            return record
        if record.status != ServiceRecord.Status.PENDING:
            raise InvalidState()
        record.status, record.decided_by, record.decided_at = ServiceRecord.Status.DENIED, actor, timezone.now()
        record.evaluation = str(reason)[:200] or record.evaluation
        record.save(update_fields=["status", "decided_by", "decided_at", "evaluation"])
        audit.record(actor=actor, action="volunteering.record.deny", target=record, region_code=record.region_code)
    return record


def _month_range(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first.replace(day=28) + (date.resolution * 4)).replace(day=1)
    return first, following - date.resolution


def earn(*, actor, record: ServiceRecord) -> Transfer | None:
    """Points for a confirmed record, within the daily and monthly caps. Call inside a transaction."""
    rules = policy()
    account = Account.objects.select_for_update().get(volunteer_id=record.volunteer_id)  # serializes the caps
    wanted = rules.points_for(minutes=record.minutes, priority=bool(PRIORITY_GROUPS & set(record.target_groups)))
    day, month = ledger.earned_on_day_and_month(account, record.service_date, *_month_range(record.service_date))
    amount = min(wanted, rules.daily_cap - day, rules.monthly_cap - month)
    if amount <= 0:
        return None
    return ledger.post(key=f"earn:record:{record.pk}:r{record.revision}", kind=Transfer.Kind.EARN,
                       source=ledger.system_account(Account.Kind.ISSUANCE), target=account, amount=amount,
                       actor=actor, service_date=record.service_date, memo=record.content[:100])


def request_correction(*, actor, record_id: int, minutes: int, reason: str) -> CorrectionRequest:
    volunteer = volunteer_of(actor)
    reason = " ".join(str(reason).split())[:500]
    if not reason or not 0 < minutes <= 24 * 60:
        raise ValidationFailed(_("Give the correct minutes and a reason."), code="invalid_correction")
    with transaction.atomic():
        record = ServiceRecord.objects.select_for_update().filter(pk=record_id, volunteer=volunteer).first()
        if record is None:
            raise NotFound()
        if CorrectionRequest.objects.filter(record=record, status=CorrectionRequest.Status.OPEN).exists():
            raise DuplicateRequest()
        correction = CorrectionRequest.objects.create(record=record, minutes=minutes, reason=reason)
        audit.record(actor=actor, action="volunteering.record.request_correction", target=correction,
                     region_code=record.region_code, detail={"from": record.minutes, "to": minutes})
    return correction


def decide_correction(*, actor, correction_id: int, accept: bool) -> CorrectionRequest:
    with transaction.atomic():
        correction = CorrectionRequest.objects.select_for_update().filter(pk=correction_id).first()
        if correction is None:
            raise NotFound()
        record = _locked_record(actor, correction.record_id)
        if correction.status != CorrectionRequest.Status.OPEN:
            return correction
        if accept:
            _apply_correction(actor, record, correction.minutes)
        correction.status = CorrectionRequest.Status.ACCEPTED if accept else CorrectionRequest.Status.REJECTED
        correction.decided_at = timezone.now()
        correction.save(update_fields=["status", "decided_at"])
        audit.record(actor=actor, action="volunteering.record.decide_correction", target=correction,
                     region_code=record.region_code, detail={"accepted": accept, "minutes": correction.minutes})
    return correction


def _apply_correction(actor, record: ServiceRecord, minutes: int) -> None:
    """Never edit a posted transfer: reverse the old earning, then earn again for the new revision."""
    if record.status == ServiceRecord.Status.CONFIRMED:
        old = Transfer.objects.filter(key=f"earn:record:{record.pk}:r{record.revision}").first()
        if old is not None:
            ledger.reverse(key=f"reverse:{old.key}", transfer=old, actor=actor, memo="correction")
    record.minutes, record.revision = minutes, record.revision + 1
    record.save(update_fields=["minutes", "revision"])
    if record.status == ServiceRecord.Status.CONFIRMED:
        earn(actor=actor, record=record)
