"""Social organizations: the registry (kind, registration, credit code, rating, annual reports, accounts),
hub organizations with their members and joint activities, and the district service centre's incubation
(applications, cohorts, services, milestones, capacity scores) and training sessions with sign-in.

Invariants live here as database constraints; workflows live in `services/`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.creditcode import validate_credit_code
from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager
from civicgrid.territory.models import Region


class Kind(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
    FOUNDATION = "foundation", _("Foundation")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association or chamber of commerce")
    CHARITY = "charity", _("Charity organization")
    COMMUNITY_SERVICE = "community_service", _("Community social organization")


class Field(models.TextChoices):
    """The field an organization works in; a subdistrict designates at most one hub per field."""

    ELDERLY = "elderly", _("Elderly services")
    DISABILITY = "disability", _("Disability support")
    CHILDREN_YOUTH = "children_youth", _("Children and youth")
    EMPLOYMENT = "employment", _("Employment help")
    COMMUNITY_GOVERNANCE = "community_governance", _("Community governance")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    HEALTH = "health", _("Health")
    CULTURE_SPORTS = "culture_sports", _("Culture and sports")
    ENVIRONMENT = "environment", _("Environment")
    LEGAL_AID = "legal_aid", _("Legal aid and mediation")
    VOLUNTEERING = "volunteering", _("Volunteer services")
    INDUSTRY = "industry", _("Industry and commerce")


class Registration(models.TextChoices):
    REGISTERED = "registered", _("Registered (登记)")
    FILED = "filed", _("Filed with the community (备案)")


class Rating(models.IntegerChoices):
    """评估等级: the civil affairs assessment grade, 1A (lowest) to 5A."""

    A1 = 1, "1A"
    A2 = 2, "2A"
    A3 = 3, "3A"
    A4 = 4, "4A"
    A5 = 5, "5A"


def _own_organizations(actor):
    """The organizations whose account the actor is (social organizations' staff)."""
    return OrgAccount.objects.filter(user_id=actor.pk).values("organization_id")


def _own_org(actor) -> Q:
    return Q(pk__in=_own_organizations(actor))


def _of_own_org(actor) -> Q:
    return Q(organization_id__in=_own_organizations(actor))


@encrypted_fields("rep_id_number", "rep_phone", indexed=("rep_id_number",))
class Organization(models.Model):
    """A social organization in the registry. `region` is the office that registered it or keeps its filing
    (the district, a subdistrict or, for community organizations, a community); its staff see and manage it.
    The legal representative's ID number and phone are personal data: encrypted, masked, revealed with audit."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        DEREGISTERED = "deregistered", _("Deregistered")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    field = models.CharField(_("field"), max_length=32, choices=Field.choices, db_index=True)
    status = models.CharField(pgettext_lazy("organization", "status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    registration = models.CharField(_("registration"), max_length=16, choices=Registration.choices)
    registration_authority = models.CharField(_("registration authority"), max_length=100)
    registered_on = models.DateField(_("registered on"))
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                                   validators=[validate_credit_code])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations",
                               verbose_name=_("registering office"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    service_area = models.ManyToManyField(Region, blank=True, related_name="served_by_organizations",
                                          verbose_name=_("service area"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    party_organization = models.CharField(_("party organization"), max_length=200, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), default=0)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0)
    rep_name = models.CharField(_("legal representative"), max_length=50)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    rep_id_number_cipher = models.TextField(blank=True, editable=False)
    rep_id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    rep_id_number_masked = models.CharField(_("legal representative's ID number"), max_length=18, blank=True,
                                            editable=False)
    rep_phone_cipher = models.TextField(blank=True, editable=False)
    rep_phone_masked = models.CharField(_("legal representative's phone"), max_length=16, blank=True,
                                        editable=False)
    rating = models.PositiveSmallIntegerField(_("assessment grade"), choices=Rating.choices, null=True, blank=True)
    rated_on = models.DateField(_("assessed on"), null=True, blank=True)
    rating_expires_on = models.DateField(_("grade valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(owner=_own_org, manager=_own_org, shared_down=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        permissions = [("reveal_org_personal_data", _("Can reveal legal representatives' ID numbers and phones"))]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                    name="unique_org_credit_code"),
            models.UniqueConstraint(fields=["region_code", "name"], name="unique_org_name_per_office"),
            models.CheckConstraint(condition=Q(registration="filed") | ~Q(credit_code=""),
                                   name="registered_org_has_credit_code"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5, rated_on__isnull=False,
                                                     rating_expires_on__isnull=False),
                name="org_rating_complete"),
            models.CheckConstraint(condition=Q(rating_expires_on__isnull=True) | Q(rated_on__isnull=True)
                                   | Q(rating_expires_on__gt=models.F("rated_on")),
                                   name="org_rating_expires_after_assessment"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)

    @property
    def rating_label(self) -> str:
        return f"{self.rating}A" if self.rating else ""

    def rating_valid_on(self, day) -> int | None:
        """The grade in force on `day` (None when unrated or expired)."""
        if self.rating and self.rating_expires_on and self.rating_expires_on >= day:
            return self.rating
        return None


class OrgAccount(models.Model):
    """A user of role `social_org` who signs in for an organization (its own profile, staff, projects, reports)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="accounts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_account")
    title = models.CharField(_("position"), max_length=50, blank=True)
    is_admin = models.BooleanField(_("manages the organization's accounts"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="organization")

    class Meta:
        verbose_name = _("organization account")
        verbose_name_plural = _("organization accounts")

    def __str__(self):
        return f"{self.organization_id}:{self.user_id}"


class AnnualReport(models.Model):
    """年度报告: one per organization and year, submitted by the organization, reviewed by its office."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")

    FILED = (Status.SUBMITTED, Status.ACCEPTED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(pgettext_lazy("report", "status"), max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    income = models.DecimalField(_("income (yuan)"), max_digits=14, decimal_places=2, default=0)
    expenditure = models.DecimalField(_("expenditure (yuan)"), max_digits=14, decimal_places=2, default=0)
    activities = models.PositiveIntegerField(_("activities held"), default=0)
    beneficiaries = models.PositiveIntegerField(_("people served"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    objects = ScopedManager(through="organization")

    class Meta:
        ordering = ["organization_id", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_annual_report_per_year")]

    def __str__(self):
        return f"{self.organization_id}:{self.year}:{self.status}"


@encrypted_fields("phone")
class OrgStaff(models.Model):
    """A person working for the organization (full-time, part-time or volunteer), kept by the organization."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        VOLUNTEER = "volunteer", _("Volunteer")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FULL_TIME)
    is_social_worker = models.BooleanField(_("certified social worker"), default=False)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedManager(through="organization")

    class Meta:
        ordering = ["organization_id", "left_on", "name"]
        verbose_name = _("organization staff member")
        verbose_name_plural = _("organization staff")
        constraints = [models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True)
                                              | Q(left_on__gte=models.F("joined_on")), name="org_staff_left_after")]

    def __str__(self):
        return self.name


class OrgProject(models.Model):
    """A service project the organization runs (its own record; purchased projects live in procurement)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    field = models.CharField(_("field"), max_length=32, choices=Field.choices)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("where"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(pgettext_lazy("project", "status"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED)
    beneficiaries = models.PositiveIntegerField(_("people served"), default=0)
    service_hours = models.DecimalField(_("service hours"), max_digits=10, decimal_places=1, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="organization")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("organization project")
        verbose_name_plural = _("organization projects")
        constraints = [models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                              name="org_project_ends_after_start")]

    def __str__(self):
        return self.title


# --- hub organizations (枢纽型社会组织) ----------------------------------------------------------------------

def _hub_owner(actor) -> Q:
    own = _own_organizations(actor)
    return Q(organization_id__in=own) | Q(pk__in=HubMembership.objects.filter(member_id__in=own).values("hub_id"))


def _hub_manager(actor) -> Q:
    return Q(organization_id__in=_own_organizations(actor))


class Hub(models.Model):
    """A hub organization of a subdistrict for a field: serves and supervises member organizations.
    At most one designated hub per field and subdistrict (a partial unique constraint)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="hubs")
    subdistrict = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hubs",
                                    limit_choices_to={"level": "subdistrict"}, verbose_name=_("subdistrict"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    field = models.CharField(_("field"), max_length=32, choices=Field.choices)
    designated = models.BooleanField(_("designated"), default=True)
    designated_on = models.DateField(_("designated on"))
    ended_on = models.DateField(_("designation ended on"), null=True, blank=True)
    resources = models.TextField(_("pooled resources"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_hub_owner, manager=_hub_manager)

    class Meta:
        ordering = ["region_code", "field"]
        verbose_name = _("hub organization")
        verbose_name_plural = _("hub organizations")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "field"], condition=Q(designated=True),
                                    name="one_designated_hub_per_field"),
            models.CheckConstraint(condition=Q(designated=False) | Q(ended_on__isnull=True),
                                   name="designated_hub_not_ended"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_field_display()})"

    def save(self, *args, **kwargs):
        self.region_code = self.subdistrict.code
        super().save(*args, **kwargs)


class HubMembership(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="hub_memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager(through="hub")

    class Meta:
        ordering = ["hub_id", "left_on", "joined_on"]
        verbose_name = _("hub membership")
        verbose_name_plural = _("hub memberships")
        constraints = [
            models.UniqueConstraint(fields=["hub", "member"], condition=Q(left_on__isnull=True),
                                    name="one_current_hub_membership"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="hub_membership_left_after_joined"),
        ]

    def __str__(self):
        return f"{self.hub_id}:{self.member_id}"


class JointActivity(models.Model):
    """An activity a hub runs with its members, pooling their resources."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place_name = models.CharField(pgettext_lazy("activity", "place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    volunteer_hours = models.DecimalField(_("volunteer hours"), max_digits=10, decimal_places=1, default=0)
    funds = models.DecimalField(_("pooled funds (yuan)"), max_digits=12, decimal_places=2, default=0)
    members = models.ManyToManyField(Organization, blank=True, related_name="joint_activities",
                                     verbose_name=_("member organizations"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="hub")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")

    def __str__(self):
        return self.title


# --- district service centre: incubation ----------------------------------------------------------------

class IndicatorTemplate(models.Model):
    """A configurable set of capacity indicators (name, weight, maximum) scored at entry, mid-term and exit."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("capacity indicator template")
        verbose_name_plural = _("capacity indicator templates")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    template = models.ForeignKey(IndicatorTemplate, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template_id", "order", "id"]
        verbose_name = _("capacity indicator")
        verbose_name_plural = _("capacity indicators")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_indicator_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="indicator_max_positive"),
        ]

    def __str__(self):
        return self.name


def _cohort_owner(actor) -> Q:
    """Social organizations see the cohorts, to apply."""
    return Q(pk__isnull=False) if getattr(actor, "role", "") == "social_org" else Q(pk__in=[])


class Cohort(models.Model):
    """An incubation cohort of the district service centre (typically about two years)."""

    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("Recruiting")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("service centre"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(pgettext_lazy("cohort", "capacity"), default=20)
    template = models.ForeignKey(IndicatorTemplate, on_delete=models.PROTECT, related_name="cohorts",
                                 verbose_name=_("capacity indicator template"))
    status = models.CharField(pgettext_lazy("cohort", "status"), max_length=16, choices=Status.choices,
                              default=Status.RECRUITING)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_cohort_owner, shared_down=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("incubation cohort")
        verbose_name_plural = _("incubation cohorts")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "name"], name="unique_cohort_name"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="cohort_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class IncubationApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="incubation_applications")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("incubation cohort"))
    needs = models.TextField(_("what help the organization needs"))
    plan = models.TextField(_("development plan"), blank=True)
    status = models.CharField(pgettext_lazy("application", "status"), max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ScopedManager(region="organization__region_code", owner=_of_own_org, manager=_of_own_org)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("incubation application")
        verbose_name_plural = _("incubation applications")
        constraints = [models.UniqueConstraint(fields=["organization", "cohort"],
                                               condition=Q(status__in=["submitted", "admitted"]),
                                               name="one_open_application_per_cohort")]

    def __str__(self):
        return f"{self.organization_id}→{self.cohort_id}:{self.status}"


class Incubation(models.Model):
    """An organization's place in a cohort: services, milestones and capacity scores until it graduates,
    is extended or leaves."""

    class Status(models.TextChoices):
        INCUBATING = "incubating", _("Incubating")
        EXTENDED = "extended", _("Extended")
        GRADUATED = "graduated", _("Graduated")
        LEFT = "left", _("Left")

    CURRENT = (Status.INCUBATING, Status.EXTENDED)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="incubations")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="incubations")
    application = models.OneToOneField(IncubationApplication, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="incubation")
    admitted_on = models.DateField(_("admitted on"))
    planned_exit_on = models.DateField(_("planned exit"))
    status = models.CharField(pgettext_lazy("incubation", "status"), max_length=16, choices=Status.choices,
                              default=Status.INCUBATING, db_index=True)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("mentor"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ScopedManager(region="organization__region_code", owner=_of_own_org)

    class Meta:
        ordering = ["cohort_id", "admitted_on", "id"]
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=Q(status__in=["incubating", "extended"]),
                                    name="one_current_incubation"),
            models.CheckConstraint(condition=Q(planned_exit_on__gt=models.F("admitted_on")),
                                   name="incubation_exit_after_admission"),
            models.CheckConstraint(condition=Q(status__in=["incubating", "extended"]) | Q(ended_on__isnull=False),
                                   name="ended_incubation_has_date"),
        ]

    def __str__(self):
        return f"{self.organization} @ {self.cohort}"


class ServiceLog(models.Model):
    """A service the centre delivered to an incubated organization, with its hours and staff."""

    class Kind(models.TextChoices):
        CONSULTING = "consulting", _("Consulting")
        TRAINING = "training", pgettext_lazy("service", "Training")
        PROMOTION = "promotion", _("Promotion")
        EXHIBITION = "exhibition", _("Exhibition")
        PROJECT_DEVELOPMENT = "project_development", _("Project development")

    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=32, choices=Kind.choices, db_index=True)
    delivered_on = models.DateField(_("delivered on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("centre staff"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="incubation")

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("incubation service")
        verbose_name_plural = _("incubation services")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="service_hours_in_day")]

    def __str__(self):
        return f"{self.incubation_id}:{self.kind}:{self.hours}"


class Milestone(models.Model):
    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)

    objects = ScopedManager(through="incubation")

    class Meta:
        ordering = ["incubation_id", "due_on", "id"]
        verbose_name = _("incubation milestone")
        verbose_name_plural = _("incubation milestones")

    def __str__(self):
        return self.title

    def state_on(self, day) -> str:
        """done, overdue or open."""
        if self.done_on:
            return "done"
        return "overdue" if self.due_on < day else "open"


class CapacityAssessment(models.Model):
    """A capacity score at entry, mid-term or exit: `scores` {indicator code: score}, `total` on 0–100."""

    class Stage(models.TextChoices):
        ENTRY = "entry", _("Entry")
        MIDTERM = "midterm", _("Mid-term")
        EXIT = "exit", _("Exit")

    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE, related_name="assessments")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("capacity score"), max_digits=5, decimal_places=1)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedManager(through="incubation")

    class Meta:
        ordering = ["incubation_id", "assessed_on"]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        constraints = [
            models.UniqueConstraint(fields=["incubation", "stage"], name="one_assessment_per_stage"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="capacity_score_range"),
        ]

    def __str__(self):
        return f"{self.incubation_id}:{self.stage}:{self.total}"


# --- training sessions with sign-in ----------------------------------------------------------------------

def _training_owner(actor) -> Q:
    """Social organizations see the centre's sessions open to all organizations."""
    return Q(open_to_all=True) if getattr(actor, "role", "") == "social_org" else Q(pk__in=[])


class TrainingSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("organizer"))
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="trainings",
                               verbose_name=_("incubation cohort"))
    place_name = models.CharField(pgettext_lazy("activity", "place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(pgettext_lazy("training", "capacity"), default=50)
    open_to_all = models.BooleanField(_("open to all organizations"), default=True)
    checkin_token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_training_owner, shared_down=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class TrainingAttendance(models.Model):
    """A sign-in at a training session: an organization's account scanning the session's code, or the
    organizer signing someone in at the desk."""

    class Method(models.TextChoices):
        SCAN = "scan", _("Scanned the sign-in code")
        DESK = "desk", _("Signed in at the desk")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="training_attendances")
    attendee = models.CharField(_("attendee"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    signed_in_at = models.DateTimeField(_("signed in at"))

    objects = ScopedManager(region="session__region_code", owner=_of_own_org)

    class Meta:
        ordering = ["session_id", "signed_in_at"]
        verbose_name = _("training sign-in")
        verbose_name_plural = _("training sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["session", "organization", "attendee"], name="one_signin_per_attendee"),
            models.UniqueConstraint(fields=["session", "user"], condition=Q(user__isnull=False),
                                    name="one_signin_per_user"),
        ]

    def __str__(self):
        return f"{self.session_id}:{self.attendee}"
