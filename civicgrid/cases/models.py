"""Case handling data: categories, handling units, routing rules, cases with their immutable events,
photos, followers, notifications, Open311 client keys and the daily statistics rollup.
Workflows live in services; invariants that the database can hold live here as constraints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager, ScopedQuerySet


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class HandlingUnit(models.Model):
    """A department or office cases are dispatched to (承办单位). Members are users with role handling_unit."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="handling_units",
                                     verbose_name=_("members"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="supervised_units", verbose_name=_("supervisor"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")

    def __str__(self):
        return self.name


class Category(models.Model):
    """Two levels (大类/小类). A subcategory carries the time limit; the default unit may come from its parent."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("major category"))
    default_unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.SET_NULL,
                                     verbose_name=_("default handling unit"))
    time_limit = models.PositiveSmallIntegerField(_("time limit"), default=5)
    time_unit = models.CharField(_("time unit"), max_length=8, choices=TimeUnit.choices, default=TimeUnit.DAYS)
    keywords = models.CharField(_("keywords (comma separated)"), max_length=500, blank=True)
    attributes = models.JSONField(_("Open311 attributes"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.CheckConstraint(condition=Q(time_limit__gte=1), name="category_time_limit_positive")]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name

    @property
    def top(self) -> "Category":
        return self.parent if self.parent_id and self.parent else self

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class RoutingRule(models.Model):
    """Category (or its major category) + region prefix → unit. The longest matching prefix wins."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    region_prefix = models.CharField(_("region code prefix"), max_length=15, blank=True)
    unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, related_name="rules")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [models.UniqueConstraint(fields=["category", "region_prefix"], name="unique_routing_rule")]

    def __str__(self):
        return f"{self.category} {self.region_prefix or '*'} → {self.unit}"


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", _("Registered")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    HANDLING = "handling", _("Handling")
    REPLIED = "replied", _("Replied")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")
    PARKED = "parked", _("Parked")
    VOID = "void", _("Void")


OPEN_STATES = (State.REPORTED, State.REGISTERED, State.DISPATCHED, State.HANDLING, State.REPLIED, State.VERIFIED,
               State.PARKED)
FINAL_STATES = (State.REJECTED, State.CLOSED, State.VOID)


class Channel(models.TextChoices):
    RESIDENT = "resident", _("Resident app")
    PATROL = "patrol", _("Grid patrol")
    HOTLINE = "hotline", _("12345 hotline")
    OPEN311 = "open311", _("Open311 client")
    CONSULTATION = "consultation", _("Consultation meeting")
    BUILDING = "building", _("Building workstation")
    ONE_STOP = "one_stop", _("Community one-stop window")


# Only what a resident reported himself may ever be published; hotline orders and patrol findings never are.
PUBLISHABLE_CHANNELS = (Channel.RESIDENT, Channel.OPEN311)


class Publication(models.TextChoices):
    """Public by decision: the reporter asks (pending), staff of the area approve (published) or refuse."""

    PRIVATE = "private", pgettext_lazy("publication", "Private")
    PENDING = "pending", pgettext_lazy("publication", "Awaiting review")
    PUBLISHED = "published", pgettext_lazy("publication", "Published")
    REFUSED = "refused", pgettext_lazy("publication", "Refused")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Open311Client(models.Model):
    """A machine client of the Open311 endpoint. Only the SHA-256 of its api_key is stored."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    may_read_own_private = models.BooleanField(
        _("may read its own cases' private fields"), default=False,
        help_text=_("Exact location and original description of the cases this client created, even unpublished."))

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class CaseQuerySet(ScopedQuerySet):
    def published(self) -> "CaseQuerySet":
        """Public by decision: published by staff, and only from the channels residents report through (the
        channel test repeats a database constraint on purpose: a hotline order must never show, whatever its
        flags)."""
        return self.filter(publication=Publication.PUBLISHED, channel__in=PUBLISHABLE_CHANNELS)


class CaseManager(ScopedManager):
    _queryset_class = CaseQuerySet

    def published(self) -> CaseQuerySet:
        return self.get_queryset().published()


def _case_owner(actor) -> Q:
    """Without an area: the reporter and followers see a case, and so do the members of the unit it went to.
    A follower who joined from the duplicate prompt gets its updates but does not see the case."""
    followed = Follower.objects.filter(user=actor, joined=False).values("case_id")
    units = HandlingUnit.objects.filter(members=actor).values("pk")
    return Q(reporter=actor) | Q(pk__in=followed) | Q(unit_id__in=units)


@encrypted_fields("phone", indexed=("phone",))
class Case(models.Model):
    """One request, patrol finding or hotline order. `region_code` is the grid that contains the location."""

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REPORTED)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    category_top = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     editable=False)
    description = models.TextField(_("description"), max_length=4000)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    region_code = models.CharField(_("grid code"), max_length=15, db_index=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reported_cases")
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    open311_client = models.ForeignKey(Open311Client, null=True, blank=True, on_delete=models.SET_NULL)
    open311_token = models.CharField(max_length=36, blank=True, db_index=True)
    attributes = models.JSONField(default=dict, blank=True)
    asset = models.ForeignKey("assets.Asset", null=True, blank=True, on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("street asset"))
    media_url = models.URLField(max_length=500, blank=True)
    external_id = models.CharField(_("hotline order number"), max_length=40, null=True, blank=True, unique=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    first_receiver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="received_cases", verbose_name=_("first receiver"))
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    reported_on = models.DateField(editable=False, db_index=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    first_dispatched_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    park_reason = models.CharField(_("park reason"), max_length=500, blank=True)
    park_review_on = models.DateField(_("review date"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved (reporter)"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # The call-back's answer (回访) stands over the reporter's own rating; see RATES.md and models_loop.CallBack.
    callback_resolved = models.BooleanField(_("resolved (call-back)"), null=True, blank=True)
    callback_satisfaction = models.CharField(_("satisfaction (call-back)"), max_length=12,
                                             choices=Satisfaction.choices, blank=True)
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    explained_at = models.DateTimeField(_("not solvable / explained since"), null=True, blank=True)
    publication = models.CharField(_("publication"), max_length=10, choices=Publication.choices,
                                   default=Publication.PRIVATE, db_index=True)
    public_description = models.TextField(_("public description"), max_length=4000, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="moderated_cases", verbose_name=_("moderated by"))
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CaseManager(owner=_case_owner)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "region_code"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["reported_on", "region_code"]),
            models.Index(fields=["region_code", "reported_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["dispatched", "handling", "replied"]) | Q(unit__isnull=False),
                name="case_in_hand_has_unit"),
            models.CheckConstraint(condition=~Q(state="parked") | ~Q(park_reason=""), name="case_parked_has_reason"),
            models.CheckConstraint(condition=Q(phone_cipher="") | ~Q(phone_masked=""), name="case_phone_masked"),
            models.CheckConstraint(
                condition=Q(publication__in=["private", "refused"]) | Q(channel__in=["resident", "open311"]),
                name="case_public_only_from_residents"),
            models.CheckConstraint(condition=~Q(publication="published") | ~Q(public_description=""),
                                   name="case_published_has_public_text"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return number_for(self.pk)


def number_for(pk: int | None) -> str:
    return f"C{pk:08d}" if pk else "C—"


def pk_from_number(number: str) -> int | None:
    text = number.strip().upper().removeprefix("C")
    return int(text) if text.isdigit() and len(text) <= 12 else None


class CaseEvent(models.Model):
    """One step in a case's life. Append-only: saving an existing event or deleting one is refused."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_role = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)


    objects = ScopedManager(through="case")
    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case timeline entry")
        verbose_name_plural = _("case timeline entries")

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("case events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("case events are immutable")

    @property
    def to_state_label(self) -> str:
        """The state the step led to, in words (never the stored code)."""
        return str(State(self.to_state).label) if self.to_state in State.values else self.to_state


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(upload_to="cases/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cases/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager(through="case")
    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self):
        return self.image.name


@encrypted_fields("phone")
class Follower(models.Model):
    """Who gets updates about a case: its reporter, the reporters of cases merged into it, and reporters who joined
    it from the duplicate prompt instead of reporting again (`joined`: updates only, the case stays unseen)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    joined = models.BooleanField(_("joined from the duplicate prompt"), default=False)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    phone_cipher = models.TextField(blank=True)
    phone_masked = models.CharField(max_length=16, blank=True)


    objects = ScopedManager(through="case")
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], condition=Q(user__isnull=False),
                                    name="unique_case_follower"),
        ]
        verbose_name = _("case follower")
        verbose_name_plural = _("case followers")

    def __str__(self):
        return f"{self.case_id} {self.user_id or self.phone_masked}"


class DailyStat(models.Model):
    """Cases reported on one day, per subdistrict, unit and major category; rebuilt by `rollup.refresh`."""

    day = models.DateField()
    subdistrict_code = models.CharField(max_length=9)
    unit = models.ForeignKey(HandlingUnit, null=True, on_delete=models.CASCADE, related_name="+")
    category_top = models.ForeignKey(Category, null=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, blank=True)
    reported = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    reworked = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    called_back = models.PositiveIntegerField(default=0)
    explained = models.PositiveIntegerField(default=0)
    handling_hours = models.FloatField(default=0)


    objects = ScopedManager(region="subdistrict_code")
    class Meta:
        indexes = [models.Index(fields=["day", "subdistrict_code"])]
        verbose_name = _("daily case statistics")
        verbose_name_plural = _("daily case statistics")

    def __str__(self):
        return f"{self.day} {self.subdistrict_code}"


class DailyGridCount(models.Model):
    """Cases reported on one day in one grid, for the heat map; rebuilt with DailyStat."""

    day = models.DateField()
    grid_code = models.CharField(max_length=15)
    reported = models.PositiveIntegerField(default=0)


    objects = ScopedManager(region="grid_code")
    class Meta:
        indexes = [models.Index(fields=["day", "grid_code"])]
        verbose_name = _("daily cases per grid")
        verbose_name_plural = _("daily cases per grid")

    def __str__(self):
        return f"{self.day} {self.grid_code} {self.reported}"


class RollupState(models.Model):
    """The time up to which DailyStat reflects case changes (one row)."""

    refreshed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("statistics rollup state")
        verbose_name_plural = _("statistics rollup states")

    def __str__(self):
        return f"rollup {self.refreshed_until}"


from civicgrid.cases.models_loop import CallBack, CaseRequest  # noqa: E402,F401 - models of the same app
