"""Donations to a family member or an elder, corrections by reversal, and expiry."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import ensure_manages, managed_area_of
from civicgrid.people.models import Resident, ResidentGroup
from civicgrid.volunteering import events, ledger
from civicgrid.volunteering.errors import InvalidState, NotEligible
from civicgrid.volunteering.models import Account, Transfer, Volunteer
from civicgrid.volunteering.selectors import own_account

ELDER_GROUPS = ("empty_nest", "elderly_alone")
# Claims, redemptions, releases, expiry and settlement have their own flows (cancel, expire, settle); reversing
# one of them by hand would leave the hold account out of step with the pending redemptions.
REVERSIBLE = (Transfer.Kind.EARN, Transfer.Kind.DONATE)


def _check_key(key: str) -> str:
    key = str(key).strip()
    if not 8 <= len(key) <= 80:
        raise ValidationFailed(_("Send an idempotency key of 8 to 80 characters."), code="invalid_key", field="key")
    return key


def resident_account(resident: Resident) -> Account:
    return ledger.once(lambda: Account.objects.filter(resident=resident).first(),
                       lambda: Account.objects.create(kind=Account.Kind.RESIDENT, resident=resident))


def _recipient(donor: Volunteer, *, volunteer_id, resident_id) -> Account:
    """A family member (same household as the donor's resident record) or an elder living alone or with an
    empty nest. A volunteer who is a resident receives on their volunteer account."""
    residents = Resident.objects.annotate(  # the resident, their elder group and their volunteer: one query
        elder=Exists(ResidentGroup.objects.filter(resident=OuterRef("pk"), group__in=ELDER_GROUPS)),
        volunteer_pk=Subquery(Volunteer.objects.filter(resident=OuterRef("pk")).values("pk")[:1]))
    resident: Resident | None
    if volunteer_id:
        target = Volunteer.objects.filter(pk=volunteer_id).first()
        target_pk = target.pk if target is not None else None
        resident = residents.filter(pk=target.resident_id).first() if target and target.resident_id else None
    else:
        resident = residents.filter(pk=resident_id).first()
        target_pk = getattr(resident, "volunteer_pk", None)
    if (resident is None and target_pk is None) or target_pk == donor.pk:
        raise NotFound()
    if resident is None:
        raise NotEligible(_("Points can go to a family member or an elder."), code="not_eligible")
    family = donor.resident is not None and donor.resident.household_id == resident.household_id
    if not (family or getattr(resident, "elder", False)):  # annotated above
        raise NotEligible(_("Points can go to a family member or an elder."), code="not_eligible")
    return Account.objects.get(volunteer_id=target_pk) if target_pk is not None else resident_account(resident)


def donate(*, actor, key: str, amount: int, volunteer_id: int | None = None,
           resident_id: int | None = None) -> Transfer:
    key, (source, donor) = _check_key(key), own_account(actor)
    if not 0 < amount <= 1_000_000:
        raise ValidationFailed(_("Donate a positive number of points."), code="invalid_amount", field="amount")
    with transaction.atomic():
        target = _recipient(donor, volunteer_id=volunteer_id, resident_id=resident_id)
        transfer = ledger.post(key=f"donate:{donor.pk}:{key}", kind=Transfer.Kind.DONATE, source=source,
                               target=target, amount=amount, actor=actor)
        audit.record(actor=actor, action="volunteering.points.donate", target=transfer,
                     region_code=donor.region_code, detail={"amount": amount, "to_account": target.pk})
    return transfer


def reverse_transfer(*, actor, transfer_id: int, key: str, reason: str) -> Transfer:
    """A correction by the district or community: the opposite transfer, never an edit. Earnings and
    donations only."""
    key = _check_key(key)
    if managed_area_of(actor) is None:
        raise NotFound()
    reason = " ".join(str(reason).split())[:200]
    if not reason:
        raise ValidationFailed(_("Give a reason."), code="required", field="reason")
    with transaction.atomic():
        original = Transfer.objects.filter(pk=transfer_id).first()
        if original is None:
            raise NotFound()
        ensure_manages(actor, _region_of(original))
        if original.kind not in REVERSIBLE or hasattr(original, "reversed_by"):
            existing = Transfer.objects.filter(key=f"reverse:{key}").first()
            if existing is not None and existing.reverses_id == original.pk:
                return existing
            raise InvalidState(_("This transfer cannot be reversed (again)."), code="not_reversible")
        reversal = ledger.reverse(key=f"reverse:{key}", transfer=original, actor=actor, memo=reason)
        audit.record(actor=actor, action="volunteering.points.reverse", target=reversal,
                     region_code=_region_of(original), detail={"reverses": original.pk, "reason": reason})
    return reversal


def _region_of(transfer: Transfer) -> str:
    for account in Account.objects.filter(pk__in=[transfer.source_id, transfer.target_id]).select_related(
            "volunteer", "shop", "resident"):
        holder = account.volunteer or account.shop or account.resident
        if holder is not None:
            return holder.region_code
    return ""


def expire_account(*, account_id: int, now=None) -> Transfer | None:
    """Move points older than the expiry window to the expiry sink; once per account and day."""
    now = now or timezone.now()
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        if account.kind not in (Account.Kind.VOLUNTEER, Account.Kind.RESIDENT):
            return None
        key = f"expire:{account.pk}:{timezone.localdate(now).isoformat()}"
        existing = Transfer.objects.filter(key=key).first()
        if existing is not None:
            return existing
        amount = ledger.expirable(account, now=now)
        if amount <= 0:
            return None
        transfer = ledger.post(key=key, kind=Transfer.Kind.EXPIRE, source=account,
                               target=ledger.system_account(Account.Kind.EXPIRY), amount=amount)
        audit.record(actor=None, action="volunteering.points.expire", target=transfer, detail={"amount": amount})
    return transfer


def expire_all(*, now=None) -> int:
    ids = Account.objects.filter(kind__in=[Account.Kind.VOLUNTEER, Account.Kind.RESIDENT], balance__gt=0)
    return sum(1 for pk in ids.values_list("pk", flat=True) if expire_account(account_id=pk, now=now))


EXPIRY_WARNING_DAYS = 30


def warn_expiring(*, now=None, days: int = EXPIRY_WARNING_DAYS) -> int:
    """Tell each volunteer whose points cross the expiry line `days` from now. Run daily: the points warned about
    are those that expire on that one day (what `expire_account` would take then, less the day before), so each
    batch is warned once and the event key names the day (a second run the same day adds nothing)."""
    now = now or timezone.now()
    day = timezone.localdate(now + timedelta(days=days))
    accounts = Account.objects.filter(kind=Account.Kind.VOLUNTEER, balance__gt=0).select_related("volunteer")
    warned = 0
    for account in accounts:
        points = (ledger.expirable(account, now=now + timedelta(days=days))
                  - ledger.expirable(account, now=now + timedelta(days=days - 1)))
        if points > 0:
            with transaction.atomic():
                audit.record(actor=None, action="volunteering.points.expiry_warning", target=account,
                             region_code=account.volunteer.region_code, detail={"points": points, "on": str(day)})
                events.points_expiring(account.volunteer, points=points, day=day)
            warned += 1
    return warned
