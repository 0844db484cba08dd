"""Every volunteering read, scoped by the actor: staff by area, social organizations by their teams,
volunteers by themselves, shops by their shop. Out of scope looks absent (NotFound)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import NotFound
from civicgrid.core.scoping import ScopedQuerySet, area_of
from civicgrid.volunteering.models import (
    Account,
    Activity,
    Certificate,
    CorrectionRequest,
    HelpRequest,
    Offer,
    Redemption,
    ServiceRecord,
    Shift,
    Shop,
    Signup,
    Team,
    Transfer,
    Volunteer,
)


class NotAVolunteer(NotFound):
    code = "not_a_volunteer"
    default_message = _("Register as a volunteer first.")


def _none(model) -> QuerySet:
    return model.objects.none()


def own_volunteer(actor) -> Volunteer | None:
    return Volunteer.objects.filter(user_id=getattr(actor, "pk", None) or 0).first()


def volunteer_of(actor) -> Volunteer:
    """The actor's own volunteer profile, or NotAVolunteer."""
    volunteer = own_volunteer(actor)
    if volunteer is None:
        raise NotAVolunteer()
    return volunteer


def own_account(actor) -> tuple[Account, Volunteer]:
    """The actor's own points account and volunteer profile (one query), or NotAVolunteer."""
    account = (Account.objects.select_related("volunteer")
               .filter(volunteer__user_id=getattr(actor, "pk", None) or 0).first())
    if account is None or account.volunteer is None:
        raise NotAVolunteer()
    return account, account.volunteer


def ensure_organizes(actor, team: Team) -> None:
    """Organizer actions: the area's community staff or the social organization running the team; else 404."""
    if not Team.objects.managed_by(actor).filter(pk=team.pk).exists():
        raise NotFound()


def volunteers_for(*, actor) -> QuerySet[Volunteer]:
    return Volunteer.objects.visible_to(actor)


def volunteer_detail(*, actor, volunteer_id: int) -> Volunteer:
    volunteer = volunteers_for(actor=actor).filter(pk=volunteer_id).first()
    if volunteer is None:
        raise NotFound()
    return volunteer


def teams_for(*, actor) -> QuerySet[Team]:
    """Teams are public inside the platform: volunteers browse them to join."""
    return Team.objects.all() if actor.is_authenticated else _none(Team)


def managed_teams(*, actor) -> QuerySet[Team]:
    return Team.objects.managed_by(actor)


def activities_for(*, actor, upcoming_only: bool = False) -> QuerySet[Activity]:
    # published activities are open to every signed-in user: volunteers browse them to sign up
    queryset = Activity.objects.filter(published=True) | Activity.objects.managed_by(actor)
    if upcoming_only:
        queryset = queryset.filter(shifts__ends_at__gte=timezone.now()).distinct()
    return queryset.select_related("team")


TAKING_A_PLACE = (Signup.Status.CONFIRMED, Signup.Status.CHECKED_IN, Signup.Status.DONE)


@dataclass(frozen=True)
class ShiftFilter:
    """The activities page's filters: a day, a community (or any region above it), a target group."""

    day: date | None = None
    region_code: str = ""
    target_group: str = ""


@dataclass(frozen=True)
class OpenShift:
    shift: Shift
    taken: int

    @property
    def places_left(self) -> int:
        return max(0, self.shift.capacity - self.taken)


def open_shifts(*, actor, only: ShiftFilter = ShiftFilter(), limit: int = 100) -> list[OpenShift]:
    """Shifts of visible activities that have not ended and are not cancelled, soonest first, with the
    places taken."""
    shifts = (Shift.objects.filter(activity__in=activities_for(actor=actor), ends_at__gte=timezone.now(),
                                   cancelled_at__isnull=True)
              .select_related("activity__team").order_by("starts_at", "pk")
              .annotate(taken=Count("signups", filter=Q(signups__status__in=TAKING_A_PLACE))))
    if only.day is not None:
        shifts = shifts.filter(starts_at__date=only.day)
    if only.region_code:
        shifts = shifts.filter(activity__in=Activity.objects.within(only.region_code))
    found = [s for s in shifts[: limit * 4] if not only.target_group
             or only.target_group in s.activity.target_groups][:limit]  # JSON lists: filtered here (SQLite)
    return [OpenShift(shift, shift.taken) for shift in found]


def activity_detail(*, actor, activity_id: int) -> Activity:
    activity = activities_for(actor=actor).filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    return activity


def shift_for_organizer(*, actor, shift_id: int) -> Shift:
    shift = Shift.objects.managed_by(actor).filter(pk=shift_id).select_related(
        "activity__team").first()
    if shift is None:
        raise NotFound()
    return shift


def my_signups(*, actor) -> QuerySet[Signup]:
    return (Signup.objects.visible_to(actor).filter(volunteer__user_id=actor.pk).select_related("shift__activity")
            .order_by("-shift__starts_at"))


def records_for(*, actor, status: str | None = None) -> ScopedQuerySet:
    queryset = ServiceRecord.objects.visible_to(actor).select_related("volunteer", "team")
    return queryset.filter(status=status) if status else queryset


def record_detail(*, actor, record_id: int) -> ServiceRecord:
    record = records_for(actor=actor).filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    return record


def open_corrections(*, actor) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.managed_by(actor).filter(status=CorrectionRequest.Status.OPEN).select_related(
        "record__volunteer")


def account_of(volunteer: Volunteer) -> Account:
    return Account.objects.get(volunteer=volunteer)


def statement(*, actor, limit: int = 50) -> list[dict]:
    """The signed-in volunteer's own movements, newest first."""
    volunteer = own_volunteer(actor)
    if volunteer is None:
        raise NotFound()
    account = account_of(volunteer)
    rows = (Transfer.objects.filter(Q(source=account) | Q(target=account)).order_by("-id")[:limit])
    return [{"id": t.pk, "kind": t.kind, "kind_label": t.get_kind_display(), "memo": t.memo,
             "amount": t.amount if t.target_id == account.pk else -t.amount, "at": t.created_at} for t in rows]


def offers_for(*, actor) -> QuerySet[Offer]:
    today = timezone.localdate()
    return Offer.objects.filter(shop__active=True, valid_from__lte=today, valid_until__gte=today).select_related(
        "shop") if actor.is_authenticated else _none(Offer)


def shops_for(*, actor) -> QuerySet[Shop]:
    return Shop.objects.visible_to(actor)


def managed_shop(*, actor, shop_id: int) -> Shop:
    """A partner shop for the actions of the community staff managing its area; 404 otherwise."""
    shop = Shop.objects.managed_by(actor).filter(pk=shop_id).first()
    if shop is None:
        raise NotFound()
    return shop


def my_redemptions(*, actor) -> QuerySet[Redemption]:
    return Redemption.objects.visible_to(actor).filter(account__volunteer__user_id=actor.pk).select_related(
        "offer__shop")


def shop_redemptions(*, actor) -> QuerySet[Redemption]:
    return Redemption.objects.visible_to(actor).filter(offer__shop__user_id=actor.pk).select_related("offer")


def settlement(*, actor, shop_id: int, year: int, month: int) -> dict:
    """The monthly settlement report of one shop: confirmed redemptions and their points, by offer."""
    shop = shops_for(actor=actor).filter(pk=shop_id).first()
    if shop is None:
        raise NotFound()
    rows = (Redemption.objects.filter(offer__shop=shop, status=Redemption.Status.CONFIRMED,
                                      confirmed_at__year=year, confirmed_at__month=month)
            .values("offer_id", "offer__title").annotate(points=Sum("points")).order_by("offer__title"))
    lines = [{"offer_id": r["offer_id"], "title": r["offer__title"], "points": r["points"],
              "count": Redemption.objects.filter(offer_id=r["offer_id"], status="confirmed", confirmed_at__year=year,
                                                 confirmed_at__month=month).count()} for r in rows]
    return {"shop": shop, "year": year, "month": month, "lines": lines,
            "total_points": sum(line["points"] for line in lines), "total_count": sum(li["count"] for li in lines)}


def certificates_for(*, actor) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(actor).filter(volunteer__user_id=actor.pk)


def certificate_by_token(token: str) -> Certificate:
    """Public: anyone holding the verification link or QR code may check a certificate."""
    certificate = Certificate.objects.filter(token=token).first()
    if certificate is None:
        raise NotFound()
    return certificate


def help_requests_for(*, actor) -> QuerySet[HelpRequest]:
    if area_of(actor) is not None:
        return HelpRequest.objects.visible_to(actor).select_related("resident", "volunteer")
    volunteer = own_volunteer(actor)
    if volunteer is None:
        return _none(HelpRequest)
    # a volunteer also sees the open requests of their subdistrict, to offer help
    nearby = HelpRequest.objects.within(volunteer.region_code[:9]).filter(status=HelpRequest.Status.OPEN)
    return (HelpRequest.objects.visible_to(actor) | nearby).select_related("resident")


def help_request_detail(*, actor, request_id: int) -> HelpRequest:
    request = help_requests_for(actor=actor).filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    return request
