"""Party building in the social sphere: party organizations and members on the grid, non-public enterprises and
office buildings with their coverage, building workstations ("五站合一"), chambers of commerce, the "向日葵工程"
with its "10+N" resource-sharing list, and community brand projects run as managed projects.

Models hold data and invariants only; every write is in `services/`, every read in `selectors.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.creditcode import validate_credit_code
from civicgrid.core.scoping import ScopedManager
from civicgrid.territory.models import Place, Region


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("District party committee")
    SUBDISTRICT = "subdistrict", _("Subdistrict party working committee")
    COMMUNITY = "community", _("Community party organization")
    ENTERPRISE = "enterprise", _("Non-public enterprise party organization")
    SOCIAL_ORG = "social_org", _("Social organization party organization")
    BUILDING = "building", _("Building party organization")
    JOINT = "joint", _("Joint party branch")


class PartyOrganization(models.Model):
    """A party organization in the tree (district committee → subdistrict → community, enterprise, building, joint
    branch). `region_code` is the area it belongs to (its building's or enterprise's grid when it has one)."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=100)
    kind = models.CharField(_("kind of organization"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent organization"))
    region_code = models.CharField(_("region code"), max_length=15, db_index=True)
    building = models.ForeignKey("BuildingProfile", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="organizations", verbose_name=_("office building"))
    enterprise = models.OneToOneField("Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="own_organization", verbose_name=_("enterprise"))
    covered_enterprises: models.ManyToManyField = models.ManyToManyField(
        "Enterprise", blank=True, related_name="joint_organizations", verbose_name=_("enterprises covered"))
    social_organization = models.OneToOneField(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="own_party_organization", verbose_name=_("social organization in the registry"))
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # the committees above an area (district, subdistrict) are seen by the staff inside it: they are its parents
    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")

    def __str__(self):
        return self.name


class Partner(models.Model):
    """共建单位: a unit that builds together with an organization and pledges resources."""

    organization = models.ForeignKey(PartyOrganization, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(pgettext_lazy("organization", "name"), max_length=100)
    pledge = models.CharField(_("pledged resources"), max_length=300, blank=True)

    objects = ScopedManager(through="organization")

    class Meta:
        ordering = ["organization_id", "name"]
        verbose_name = _("joint-building partner")
        verbose_name_plural = _("joint-building partners")

    def __str__(self):
        return self.name


class PartyMember(models.Model):
    """A party member: a role of a resident of the people register (whose personal data stays encrypted there).
    `region_code` is the grid of their residence; `grid` the grid they serve (党员在格上)."""

    resident = models.OneToOneField("people.Resident", on_delete=models.PROTECT, related_name="party_member",
                                    verbose_name=_("resident"))
    organization = models.ForeignKey(PartyOrganization, on_delete=models.PROTECT, related_name="members",
                                     verbose_name=_("party organization"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    employed = models.BooleanField(_("employed member (在职党员)"), default=False)
    reported_on = models.DateField(_("reported to the community on"), null=True, blank=True)
    grid = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("grid served"))
    volunteer = models.OneToOneField("volunteering.Volunteer", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="party_member", verbose_name=_("volunteer profile"))
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self):
        return self.resident.name[:1] + "**"

    @property
    def minutes_served(self) -> int:
        """Read from `selectors.members_for`'s annotations: own services plus linked volunteering records."""
        return (getattr(self, "own_minutes", 0) or 0) + (getattr(self, "linked_minutes", 0) or 0)


class Commitment(models.Model):
    """A member's yearly service commitment (承诺)."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.CharField(_("commitment"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("committed hours"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    objects = ScopedManager(through="member")

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")

    def __str__(self):
        return f"{self.year} {self.text}"


class MemberService(models.Model):
    """A member's service. A volunteering service is not copied: the row links the volunteering record, whose
    minutes count (one record, no double counting); other services carry their own minutes."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="services")
    volunteer_record = models.OneToOneField("volunteering.ServiceRecord", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="party_service",
                                            verbose_name=_("volunteering service record"))
    service_date = models.DateField(_("service date"), null=True, blank=True)
    content = models.CharField(_("content"), max_length=300, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="member")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("party member service")
        verbose_name_plural = _("party member services")
        constraints = [models.CheckConstraint(
            condition=Q(volunteer_record__isnull=True, minutes__isnull=False, service_date__isnull=False)
            | Q(volunteer_record__isnull=False, minutes__isnull=True),
            name="pb_service_own_minutes_or_linked_record")]

    def __str__(self):
        return self.content or f"#{self.volunteer_record_id}"


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Enterprise(models.Model):
    """A non-public enterprise in the registry. `region_code` is its grid (its building's grid when it has one)."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    building = models.ForeignKey("BuildingProfile", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="enterprises", verbose_name=_("office building"))
    region_code = models.CharField(_("region code"), max_length=15, db_index=True)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    partner_shop = models.OneToOneField("volunteering.Shop", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="enterprise", verbose_name=_("partner shop"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("non-public enterprise")
        verbose_name_plural = _("non-public enterprises")

    def __str__(self):
        return self.name


class BuildingProfile(models.Model):
    """An office building (a territory place of kind office_building) with what party building needs of it."""

    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="building_profile",
                                 verbose_name=_("place"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    committee = models.CharField(_("building committee"), max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "id"]
        verbose_name = _("office building")
        verbose_name_plural = _("office buildings")

    def __str__(self):
        return self.place.name

    def save(self, *args, **kwargs):
        self.region_code = self.place.region_code
        super().save(*args, **kwargs)


class StationKind(models.TextChoices):
    PARTY = "party", _("Party building station")
    UNION = "union", _("Trade union station")
    YOUTH = "youth", _("Youth league station")
    WOMEN = "women", _("Women's federation station")
    SOCIAL = "social", _("Social service station")


class Workstation(models.Model):
    """楼宇工作站: the stations combined in one building ("五站合一")."""

    building = models.OneToOneField(BuildingProfile, on_delete=models.PROTECT, related_name="workstation",
                                    verbose_name=_("office building"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    name = models.CharField(pgettext_lazy("organization", "name"), max_length=100)
    stations = models.JSONField(_("stations combined"), default=list)
    services = models.TextField(_("services offered"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "id"]
        verbose_name = _("building workstation")
        verbose_name_plural = _("building workstations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.building.region_code
        super().save(*args, **kwargs)


class StationStaff(models.Model):
    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    station = models.CharField(_("station"), max_length=8, choices=StationKind.choices)
    post = models.CharField(_("post"), max_length=50, blank=True)

    objects = ScopedManager(through="workstation")

    class Meta:
        ordering = ["workstation_id", "station", "id"]
        verbose_name = _("workstation staff member")
        verbose_name_plural = _("workstation staff")

    def __str__(self):
        return self.name


class Room(models.Model):
    """A bookable room of a workstation ("白领之家")."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(pgettext_lazy("room", "name"), max_length=50)
    capacity = models.PositiveSmallIntegerField(pgettext_lazy("room", "capacity"), default=10)

    objects = ScopedManager(through="workstation")

    class Meta:
        ordering = ["workstation_id", "name"]
        verbose_name = _("bookable room")
        verbose_name_plural = _("bookable rooms")

    def __str__(self):
        return self.name


class Booking(models.Model):
    """A room booked for a time span; two bookings of one room never overlap (checked under the room's lock)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("enterprise"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="room")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="pb_booking_ends_after_start")]

    def __str__(self):
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class StationEvent(models.Model):
    """An event of a workstation for companies and white-collar staff, with sign-up."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="events")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveSmallIntegerField(pgettext_lazy("event", "capacity"))
    self_signup = models.BooleanField(_("open for sign-up by white-collar staff themselves"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # an event open for self sign-up is seen by every signed-in user (as a published volunteering activity is)
    objects = ScopedManager(owner=lambda actor: Q(self_signup=True))

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("workstation event")
        verbose_name_plural = _("workstation events")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.workstation.region_code
        super().save(*args, **kwargs)


class EventSignup(models.Model):
    """A white-collar worker of a tenant, signed up at the workstation's desk by its staff, or by themselves
    (`user`: the signed-in person, who alone sees and cancels their sign-up)."""

    event = models.ForeignKey(StationEvent, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enterprise"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # never `through="event"`: an open event is seen by everyone, its sign-ups only by the area's staff and their own
    objects = ScopedManager(region="event__region_code", owner=lambda actor: Q(user=actor))

    class Meta:
        verbose_name = _("event sign-up")
        verbose_name_plural = _("event sign-ups")
        constraints = [models.UniqueConstraint(fields=["event", "enterprise", "name"],
                                               name="pb_one_signup_per_person"),
                       models.UniqueConstraint(fields=["event", "user"], condition=Q(user__isnull=False),
                                               name="pb_one_self_signup_per_user")]

    def __str__(self):
        return self.name[:1] + "**"


class CompanyRequest(models.Model):
    """A company's problem brought to a building workstation; it becomes a grid case routed to the right unit."""

    workstation = models.ForeignKey(Workstation, on_delete=models.PROTECT, related_name="requests")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="requests",
                                   verbose_name=_("enterprise"))
    description = models.TextField(_("description"))
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="company_request", verbose_name=_("case"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="workstation")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("company request")
        verbose_name_plural = _("company requests")

    def __str__(self):
        return self.description[:30]


class Chamber(models.Model):
    """A chamber of commerce among a building's non-public enterprises (the seed's pilot). The organization itself
    lives in the organizations registry (`registry_entry`, optional); a chamber not registered there yet may keep
    its credit code here."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=100)
    region_code = models.CharField(_("region code"), max_length=15, db_index=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                                   validators=[validate_credit_code])
    buildings = models.ManyToManyField(BuildingProfile, related_name="chambers", verbose_name=_("office buildings"))
    enterprises = models.ManyToManyField(Enterprise, blank=True, related_name="chambers",
                                         verbose_name=_("member enterprises"))
    organization = models.ForeignKey(PartyOrganization, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="chambers", verbose_name=_("party organization"))
    registry_entry = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="chambers", verbose_name=_("entry in the organizations registry"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("chamber of commerce")
        verbose_name_plural = _("chambers of commerce")

    def __str__(self):
        return self.name


class ChamberActivity(models.Model):
    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))

    objects = ScopedManager(through="chamber")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("chamber activity")
        verbose_name_plural = _("chamber activities")

    def __str__(self):
        return self.title


class ModelEnterprise(models.Model):
    """One of the ten model enterprises (十大标兵) of the "向日葵工程" in a year: the head of a "10+N" group."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="model_years",
                                   verbose_name=_("enterprise"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    rank = models.PositiveSmallIntegerField(_("rank"))

    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "rank"]
        verbose_name = _("model enterprise")
        verbose_name_plural = _("model enterprises")
        constraints = [
            models.UniqueConstraint(fields=["year", "rank"], name="pb_one_model_per_rank"),
            models.UniqueConstraint(fields=["year", "enterprise"], name="pb_model_once_a_year"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=10), name="pb_model_rank_1_to_10"),
        ]

    def __str__(self):
        return self.enterprise.name

    def save(self, *args, **kwargs):
        self.region_code = self.enterprise.region_code
        super().save(*args, **kwargs)


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Rooms")
    VEHICLE = "vehicle", _("Vehicles")
    SERVICE = "service", pgettext_lazy("pledged resource", "Services")
    MONEY = "money", _("Money")


class Pledge(models.Model):
    """What a unit of a "10+N" group pledged to share; `amount` in hours, uses or yuan (by kind), or none for a
    pledge without a quantity (a service offered when asked), whose uses are recorded but never run out."""

    model = models.ForeignKey(ModelEnterprise, on_delete=models.CASCADE, related_name="pledges",
                              verbose_name=_("model enterprise"))
    unit = models.CharField(_("unit"), max_length=100)
    kind = models.CharField(_("kind of resource"), max_length=8, choices=ResourceKind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.PositiveIntegerField(_("amount pledged"), null=True, blank=True)

    objects = ScopedManager(through="model")

    class Meta:
        ordering = ["model_id", "id"]
        verbose_name = _("resource pledge")
        verbose_name_plural = _("resource pledges")

    def __str__(self):
        return f"{self.unit} {self.description}"


class PledgeUse(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="uses")
    used_on = models.DateField(_("used on"))
    used_by = models.CharField(_("used by"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    amount = models.PositiveIntegerField(_("amount used"))

    objects = ScopedManager(through="pledge")

    class Meta:
        ordering = ["-used_on", "-id"]
        verbose_name = _("use of a pledge")
        verbose_name_plural = _("uses of pledges")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=1), name="pb_pledge_use_positive")]

    def __str__(self):
        return f"{self.used_on} {self.used_by}"


class BrandProject(models.Model):
    """一社区一品牌: a community's brand project, run as a managed project."""

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("project status", "Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        MIDTERM = "midterm", _("Mid-term evaluated")
        COMPLETED = "completed", _("Completed")

    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    goal = models.TextField(_("goal"))
    indicators = models.JSONField(_("indicators"), default=list)
    budget = models.PositiveIntegerField(_("budget (yuan)"))
    spent = models.PositiveIntegerField(_("spent (yuan)"), default=0)
    owner = models.CharField(_("owner"), max_length=50)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    is_model = models.BooleanField(_("model project"), default=False)
    showcase_text = models.TextField(_("showcase text"), blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "-created_at"]
        verbose_name = _("brand project")
        verbose_name_plural = _("brand projects")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")),
                                              name="pb_project_ends_after_start")]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(BrandProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedManager(through="project")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("project milestone")
        verbose_name_plural = _("project milestones")

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    project = models.ForeignKey(BrandProject, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"))
    spent = models.PositiveIntegerField(_("spent since the last report (yuan)"), default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="project")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return self.text[:30]


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="partybuilding/evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    objects = ScopedManager(through="report")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    class Stage(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term evaluation")
        FINAL = "final", _("Final evaluation")

    project = models.ForeignKey(BrandProject, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comments = models.TextField(_("comments"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="project")

    class Meta:
        ordering = ["project_id", "created_at"]
        verbose_name = _("project evaluation")
        verbose_name_plural = _("project evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="pb_one_evaluation_per_stage"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="pb_score_0_to_100"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.score}"
