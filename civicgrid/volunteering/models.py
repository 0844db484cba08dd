"""Volunteering data: volunteers and teams, activities and shifts, service records, the points ledger,
partner shops, certificates and help requests. Invariants live here as database constraints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager
from civicgrid.people.models import Resident


class Skill(models.TextChoices):
    SHOPPING = "shopping", _("Shopping and errands")
    VISIT = "visit", _("Home visit and company")
    ESCORT = "escort", _("Escort to hospital")
    REPAIR = "repair", _("Small repairs")
    TUTORING = "tutoring", _("Tutoring")
    CLEANING = "cleaning", _("Cleaning and environment")
    MEDICAL = "medical", _("Health care")
    TRANSLATION = "translation", _("Language and translation")


class TargetGroup(models.TextChoices):
    EMPTY_NEST = "empty_nest", _("Empty-nest elders")
    NEW_RESIDENT = "new_resident", _("New residents")
    DISABILITY = "disability", _("People with disabilities")
    YOUTH = "youth", _("Youth")
    GENERAL = "general", _("All residents")


PRIORITY_GROUPS = {TargetGroup.EMPTY_NEST, TargetGroup.NEW_RESIDENT, TargetGroup.DISABILITY}


# Owner rules: what people without an area (volunteers, social organizations, shops) see of volunteering.
def _own_team(actor) -> Q:
    return Q(org_user=actor)


def _own_user(actor) -> Q:
    return Q(user=actor)


def _team_of_org(actor) -> Q:
    return Q(team__org_user=actor)


def _volunteer_owner(actor) -> Q:
    return Q(user=actor) | _volunteer_of_org(actor)


def _volunteer_of_org(actor) -> Q:
    return Q(pk__in=Membership.objects.filter(team__org_user=actor).values("volunteer_id"))


def _signup_owner(actor) -> Q:
    return Q(volunteer__user=actor) | _signup_org(actor)


def _signup_org(actor) -> Q:
    return Q(shift__activity__team__org_user=actor)


def _record_owner(actor) -> Q:
    return Q(volunteer__user=actor) | Q(team__org_user=actor)


def _account_owner(actor) -> Q:
    return Q(volunteer__user=actor) | Q(shop__user=actor)


def _redemption_owner(actor) -> Q:
    return Q(account__volunteer__user=actor) | Q(offer__shop__user=actor)


def _certificate_owner(actor) -> Q:
    return Q(volunteer__user=actor)


def _help_owner(actor) -> Q:
    return Q(volunteer__user=actor)


class Team(models.Model):
    """A volunteer team run by a social organization (`org_user`) or by a community (`region_code`)."""

    class Kind(models.TextChoices):
        SOCIAL_ORG = "social_org", _("Social organization")
        COMMUNITY = "community", _("Community")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    org_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="volunteer_teams")
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(owner=_own_team, manager=_own_team)
    class Meta:
        ordering = ["region_code", "name"]
        constraints = [models.UniqueConstraint(fields=["region_code", "name"], name="unique_team_name")]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self):
        return self.name


@encrypted_fields("id_number", "phone", indexed=("id_number", "phone"))
class Volunteer(models.Model):
    """A registered volunteer (志愿服务条例): identity, skills, availability and contact, with consent.
    ID number and phone are kept encrypted with a blind index and a masked copy only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="volunteer_profiles")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    id_number_cipher = models.TextField(editable=False)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone_cipher = models.TextField(editable=False)
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, editable=False)
    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    available_weekdays = models.JSONField(_("available weekdays"), default=list, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(owner=_volunteer_owner, manager=_volunteer_of_org)
    class Meta:
        ordering = ["region_code", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self):
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    verified = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="unique_membership")]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self):
        return f"{self.team_id}:{self.volunteer_id}"


class Activity(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="activities")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place_name = models.CharField(pgettext_lazy("activity", "place"), max_length=200, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    is_project = models.BooleanField(_("long-running project"), default=False)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(owner=_team_of_org, manager=_team_of_org)
    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.team.region_code
        super().save(*args, **kwargs)

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels[g]) for g in self.target_groups if g in labels]


class Shift(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(pgettext_lazy("shift", "capacity"))
    checkin_token = models.CharField(max_length=32, unique=True)
    no_shows_marked = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)


    objects = ScopedManager(through="activity")
    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="shift_ends_after_start"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="shift_capacity_positive"),
        ]
        verbose_name = _("activity shift")
        verbose_name_plural = _("activity shifts")

    def __str__(self):
        return f"{self.activity_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class Signup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", _("Checked in")
        DONE = "done", _("Checked out")
        NO_SHOW = "no_show", _("No-show")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)


    objects = ScopedManager(region="shift__activity__region_code", owner=_signup_owner, manager=_signup_org)
    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["shift", "volunteer"], name="unique_signup")]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")

    def __str__(self):
        return f"{self.shift_id}:{self.volunteer_id}:{self.status}"


class ServiceRecord(models.Model):
    """志愿服务记录: kept by the team that organized the service (谁组织谁记录)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Needs confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DENIED = "denied", _("Denied")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="records")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="records")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    signup = models.OneToOneField(Signup, null=True, blank=True, on_delete=models.PROTECT, related_name="record")
    help_request = models.OneToOneField("HelpRequest", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="record")
    service_date = models.DateField(_("service date"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    place_name = models.CharField(pgettext_lazy("activity", "place"), max_length=200, blank=True)
    content = models.CharField(_("content"), max_length=500)
    minutes = models.PositiveIntegerField(_("minutes"))
    target_groups = models.JSONField(default=list, blank=True)
    training = models.CharField(_("training"), max_length=200, blank=True)
    commendation = models.CharField(_("commendation"), max_length=200, blank=True)
    evaluation = models.CharField(_("evaluation"), max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(owner=_record_owner, manager=_team_of_org)
    class Meta:
        ordering = ["-service_date", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__lte=24 * 60), name="record_minutes_day")]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    def __str__(self):
        return f"{self.service_date} {self.content}"

    def save(self, *args, **kwargs):
        self.region_code = self.team.region_code
        super().save(*args, **kwargs)


class CorrectionRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", pgettext_lazy("decision", "Rejected")

    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="corrections")
    minutes = models.PositiveIntegerField(_("correct minutes"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)


    objects = ScopedManager(through="record")
    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self):
        return f"{self.record_id}:{self.status}"


# --- points ledger --------------------------------------------------------------------------------------

class Account(models.Model):
    """A ledger account. Holder accounts (volunteer, resident, shop) never go below zero; the issuance
    account is the source of every earned point and is the only one allowed to be negative."""

    class Kind(models.TextChoices):
        ISSUANCE = "issuance", _("District issuance")
        EXPIRY = "expiry", _("Expired points")
        HOLD = "hold", _("Redemptions awaiting confirmation")
        SETTLEMENT = "settlement", _("Settled with shops")
        VOLUNTEER = "volunteer", _("Volunteer")
        RESIDENT = "resident", _("Resident")
        SHOP = "shop", _("Partner shop")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    volunteer = models.OneToOneField(Volunteer, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="account")
    resident = models.OneToOneField(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="points_account")
    shop = models.OneToOneField("Shop", null=True, blank=True, on_delete=models.PROTECT, related_name="account")
    balance = models.BigIntegerField(default=0)  # a cache of the sum of entries, checked by reconcile


    objects = ScopedManager(region="volunteer__region_code", owner=_account_owner)
    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(kind="issuance") | models.Q(balance__gte=0),
                                   name="account_balance_not_negative"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind__in=["issuance", "expiry", "hold",
                                                                                 "settlement"]),
                                    name="one_system_account_per_kind"),
        ]
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")

    def __str__(self):
        return f"{self.kind}:{self.pk}"


class Transfer(models.Model):
    """One movement of points: exactly two immutable entries summing to zero."""

    class Kind(models.TextChoices):
        EARN = "earn", _("Earned")
        HOLD = "hold", _("Redemption claimed")
        REDEEM = "redeem", _("Redeemed")
        RELEASE = "release", _("Redemption released")
        DONATE = "donate", _("Donated")
        EXPIRE = "expire", _("Expired")
        SETTLE = "settle", _("Settled")
        REVERSAL = "reversal", _("Reversal")

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    source = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    service_date = models.DateField(null=True, blank=True)
    memo = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="transfer_two_accounts"),
        ]
        verbose_name = _("points transfer")
        verbose_name_plural = _("points transfers")

    def __str__(self):
        return f"{self.kind} {self.amount} ({self.key})"


class ImmutableError(RuntimeError):
    pass


class Entry(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="entry_amount_nonzero"),
            models.UniqueConstraint(fields=["transfer", "account"], name="one_entry_per_account_per_transfer"),
        ]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")

    def __str__(self):
        return f"{self.account_id}:{self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("ledger entries are immutable: post a reversing transfer")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("ledger entries are immutable: post a reversing transfer")


# --- partner shops --------------------------------------------------------------------------------------

class Shop(models.Model):
    """联建门店: registered by a community, operated by a partner_shop user."""

    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_shop")
    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(owner=_own_user)
    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("partner shop")
        verbose_name_plural = _("partner shops")

    def __str__(self):
        return self.name


class Offer(models.Model):
    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        SERVICE = "service", _("Service")
        DISCOUNT = "discount", _("Discount")

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GOODS)
    points = models.PositiveIntegerField(_("points"))
    stock = models.IntegerField(_("stock"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shop_id", "points"]
        verbose_name = _("reward offer")
        verbose_name_plural = _("reward offers")
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="offer_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(points__gte=1), name="offer_points_positive"),
        ]

    def __str__(self):
        return self.title


class Redemption(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the shop")
        CONFIRMED = "confirmed", _("Redeemed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.CharField(max_length=120, unique=True)
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField()
    code = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)


    objects = ScopedManager(region="offer__shop__region_code", owner=_redemption_owner)
    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("points redemption")
        verbose_name_plural = _("points redemptions")

    def __str__(self):
        return f"{self.offer_id}:{self.status}"


# --- certificates and help requests ---------------------------------------------------------------------

class Certificate(models.Model):
    number = models.CharField(max_length=32, unique=True)
    token = models.CharField(max_length=32, unique=True)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    holder_masked = models.CharField(max_length=50)
    id_number_masked = models.CharField(max_length=18)
    minutes = models.PositiveIntegerField()
    records = models.PositiveIntegerField()
    first_date = models.DateField(null=True)
    last_date = models.DateField(null=True)
    issuer = models.CharField(max_length=100)
    issued_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(region="volunteer__region_code", owner=_certificate_owner)
    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")

    def __str__(self):
        return self.number


class HelpRequest(models.Model):
    class Kind(models.TextChoices):
        SHOPPING = "shopping", _("Shopping and errands")
        VISIT = "visit", _("Home visit and company")
        ESCORT = "escort", _("Escort to hospital")
        REPAIR = "repair", _("Small repairs")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        ACCEPTED = "accepted", _("Accepted")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="help_requests")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500)
    needed_at = models.DateTimeField(_("needed at"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    volunteer = models.ForeignKey(Volunteer, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="help_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)


    objects = ScopedManager(owner=_help_owner)
    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")

    def __str__(self):
        return f"{self.kind}:{self.status}"

    def save(self, *args, **kwargs):
        self.region_code = self.resident.region_code
        super().save(*args, **kwargs)
