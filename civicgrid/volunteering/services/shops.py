"""Partner shops: registration by the community, offers with stock, redemption by a one-time code the shop
confirms, expiry of unconfirmed codes, monthly settlement.

Claiming moves the points to the hold account and takes one item from stock, both with conditional updates;
the shop's confirmation moves the held points to the shop; an expired or cancelled claim releases them."""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import Role, User
from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import ensure_manages, managed_area_of
from civicgrid.volunteering import ledger
from civicgrid.volunteering.errors import InvalidState, OutOfStock
from civicgrid.volunteering.models import Account, Offer, Redemption, Shop, Transfer
from civicgrid.volunteering.policy import policy
from civicgrid.volunteering.selectors import own_account, volunteer_of
from civicgrid.volunteering.services.points import _check_key
from civicgrid.volunteering.services.volunteers import _community


def register_shop(*, actor, username: str, name: str, region_code: str, address: str = "") -> Shop:
    community = _community(region_code)
    ensure_manages(actor, community.code)
    user = User.objects.filter(username=username, role=Role.PARTNER_SHOP).first()
    if user is None:
        raise ValidationFailed(_("No partner-shop account has this username."), code="unknown_user", field="username")
    name = " ".join(str(name).split())[:100]
    if not name:
        raise ValidationFailed(_("Enter a name."), code="required", field="name")
    with transaction.atomic():
        if Shop.objects.filter(user=user).exists():
            raise ValidationFailed(_("This account already runs a shop."), code="duplicate_request", field="username")
        shop = Shop.objects.create(name=name, user=user, region_code=community.code, address=str(address)[:200],
                                   registered_by=actor)
        Account.objects.create(kind=Account.Kind.SHOP, shop=shop)
        audit.record(actor=actor, action="volunteering.shop.register", target=shop, region_code=shop.region_code)
    return shop


def shop_of(actor) -> Shop:
    shop = Shop.objects.filter(user_id=getattr(actor, "pk", None) or 0, active=True).first()
    if shop is None:
        raise NotFound()
    return shop


def create_offer(*, actor, title: str, points: int, stock: int, valid_from: date, valid_until: date,
                 kind: str = Offer.Kind.GOODS) -> Offer:
    shop = shop_of(actor)
    title = " ".join(str(title).split())[:100]
    if not title or kind not in Offer.Kind.values:
        raise ValidationFailed(_("Enter a title and a kind."), code="required", field="title")
    if not 1 <= points <= 100_000 or not 0 <= stock <= 1_000_000 or valid_until < valid_from:
        raise ValidationFailed(_("Points, stock or validity are out of range."), code="invalid_offer")
    with transaction.atomic():
        offer = Offer.objects.create(shop=shop, title=title, kind=kind, points=points, stock=stock,
                                     valid_from=valid_from, valid_until=valid_until)
        audit.record(actor=actor, action="volunteering.offer.create", target=offer, region_code=shop.region_code,
                     detail={"points": points, "stock": stock})
    return offer


def _new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(10))


def claim(*, actor, offer_id: int, key: str, now=None) -> Redemption:
    """Reserve one item: points to the hold account, stock minus one, a one-time code for the shop."""
    key, (account, volunteer), now = _check_key(key), own_account(actor), now or timezone.now()
    full_key = f"claim:{volunteer.pk}:{key}"

    def lookup():
        found = Redemption.objects.filter(key=full_key).first()
        if found is not None and found.offer_id != offer_id:
            raise ValidationFailed(_("This idempotency key was already used for a different request."),
                                   code="idempotency_key_reused", field="key")
        return found

    def action():
        offer = Offer.objects.select_related("shop").filter(pk=offer_id, shop__active=True).first()
        if offer is None:
            raise NotFound()
        if not offer.valid_from <= timezone.localdate(now) <= offer.valid_until:
            raise InvalidState(_("This reward is not valid today."), code="offer_not_valid")
        if offer.stock < 1:
            raise OutOfStock()
        redemption = Redemption.objects.create(
            key=full_key, offer=offer, account=account, points=offer.points, code=_new_code(),
            expires_at=now + timedelta(minutes=policy().redemption_minutes))
        ledger.post(key=f"hold:{redemption.pk}", kind=Transfer.Kind.HOLD, source=account,
                    target=ledger.system_account(Account.Kind.HOLD), amount=offer.points, actor=actor)
        # The offer's row is every claimant's: take the item last, so its lock is held only until the commit.
        if Offer.objects.filter(pk=offer.pk, stock__gte=1).update(stock=F("stock") - 1) != 1:
            raise OutOfStock()  # the savepoint of `once` takes the redemption and the hold back
        audit.record(actor=actor, action="volunteering.redemption.claim", target=redemption,
                     region_code=offer.shop.region_code, detail={"offer": offer.pk, "points": offer.points})
        return redemption

    with transaction.atomic():
        return ledger.once(lookup, action)


def confirm_redemption(*, actor, code: str, now=None) -> Redemption:
    """The shop enters the code shown by the volunteer: the held points move to the shop. Once only."""
    shop, now = shop_of(actor), now or timezone.now()
    with transaction.atomic():
        # `of=("self",)`: a FOR UPDATE over the join would also lock the offer's row, which every claim updates
        redemption = (Redemption.objects.select_for_update(of=("self",))
                      .filter(code=str(code).strip(), offer__shop=shop).first())
        if redemption is None:
            raise NotFound(_("No redemption has this code at your shop."), code="unknown_code")
        if redemption.status == Redemption.Status.CONFIRMED:
            return redemption
        if redemption.status != Redemption.Status.PENDING or redemption.expires_at < now:
            raise InvalidState(_("This code has expired or was cancelled."), code="code_expired")
        redemption.status, redemption.confirmed_at = Redemption.Status.CONFIRMED, now
        redemption.save(update_fields=["status", "confirmed_at"])
        ledger.post(key=f"redeem:{redemption.pk}", kind=Transfer.Kind.REDEEM,
                    source=ledger.system_account(Account.Kind.HOLD), target=Account.objects.get(shop=shop),
                    amount=redemption.points, actor=actor)
        audit.record(actor=actor, action="volunteering.redemption.confirm", target=redemption,
                     region_code=shop.region_code)
    return redemption


def _release(redemption: Redemption, status: str, actor=None) -> None:
    redemption.status = status
    redemption.save(update_fields=["status"])
    ledger.post(key=f"release:{redemption.pk}", kind=Transfer.Kind.RELEASE,
                source=ledger.system_account(Account.Kind.HOLD), target=redemption.account,
                amount=redemption.points, actor=actor)
    # the volunteer's account before the offer's row, in the order `claim` locks them (no deadlock between the two)
    Offer.objects.filter(pk=redemption.offer_id).update(stock=F("stock") + 1)


def cancel_redemption(*, actor, redemption_id: int) -> Redemption:
    volunteer = volunteer_of(actor)
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().filter(pk=redemption_id,
                                                                   account__volunteer=volunteer).first()
        if redemption is None:
            raise NotFound()
        if redemption.status == Redemption.Status.CANCELLED:
            return redemption
        if redemption.status != Redemption.Status.PENDING:
            raise InvalidState()
        _release(redemption, Redemption.Status.CANCELLED, actor)
        audit.record(actor=actor, action="volunteering.redemption.cancel", target=redemption)
    return redemption


def expire_redemptions(*, now=None) -> int:
    """Unconfirmed codes past their validity give the points and the item back. Idempotent."""
    now, done = now or timezone.now(), 0
    due = Redemption.objects.filter(status=Redemption.Status.PENDING, expires_at__lt=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            redemption = Redemption.objects.select_for_update().get(pk=pk)
            if redemption.status == Redemption.Status.PENDING:
                _release(redemption, Redemption.Status.EXPIRED)
                audit.record(actor=None, action="volunteering.redemption.expire", target=redemption)
                done += 1
    return done


def settle_month(*, actor, shop_id: int, month: date) -> Transfer | None:
    """Close a shop's month: the points it redeemed that month go to the settlement account (the district
    pays the shop for them outside the system). Once per shop and month."""
    if managed_area_of(actor) is None:
        raise NotFound()
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        shop = Shop.objects.filter(pk=shop_id).first()
        if shop is None:
            raise NotFound()
        ensure_manages(actor, shop.region_code)
        amount = (Redemption.objects.filter(offer__shop=shop, status=Redemption.Status.CONFIRMED,
                                            confirmed_at__date__gte=first, confirmed_at__date__lt=following)
                  .aggregate(total=Sum("points"))["total"] or 0)
        if amount == 0:
            return None
        transfer = ledger.post(key=f"settle:{shop.pk}:{first:%Y-%m}", kind=Transfer.Kind.SETTLE,
                               source=Account.objects.get(shop=shop),
                               target=ledger.system_account(Account.Kind.SETTLEMENT), amount=amount, actor=actor)
        audit.record(actor=actor, action="volunteering.shop.settle", target=transfer, region_code=shop.region_code,
                     detail={"month": f"{first:%Y-%m}", "points": amount})
    return transfer
