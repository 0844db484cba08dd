"""Community standardization: duty charters (三定方案), spaces (有场地办事), workforce, the one-stop window (一站式服务)
and assessments (六型社区, 智慧社区). Data and invariants only; every write is in services/, every read in selectors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager


class Body(models.TextChoices):
    """The three community bodies a charter is written for (the same codes as the people's staff roster)."""

    PARTY_ORGANIZATION = "party_org", _("Community party organization")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    SERVICE_STATION = "service_station", _("Community service station")


class Charter(models.Model):
    """A body's duty charter in one community: its duties (定职能), posts (定机构) and quota (定编制)."""

    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    body = models.CharField(_("body"), max_length=32, choices=Body.choices)
    duties = models.TextField(_("duties"), help_text=_("One duty per line."))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "body"]
        constraints = [models.UniqueConstraint(fields=["region_code", "body"], name="one_charter_per_body")]
        verbose_name = _("duty charter")
        verbose_name_plural = _("duty charters")

    def __str__(self):
        return f"{self.region_code} {self.get_body_display()}"

    @property
    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]


class CharterPost(models.Model):
    """A post of a charter with its staffing quota; the roster's `position` names the post."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("post"), max_length=50)
    quota = models.IntegerField(_("staffing quota"))

    objects = ScopedManager(through="charter")

    class Meta:
        ordering = ["charter", "id"]
        constraints = [models.UniqueConstraint(fields=["charter", "title"], name="one_post_per_title"),
                       models.CheckConstraint(condition=Q(quota__gte=0), name="quota_not_negative")]
        verbose_name = _("charter post")
        verbose_name_plural = _("charter posts")

    def __str__(self):
        return self.title


class Standard(models.Model):
    """An editable threshold with its source (a document), e.g. 30 m² of rooms per 100 households."""

    class Key(models.TextChoices):
        SPACE_PER_100_HOUSEHOLDS = "space_per_100_households", _("Rooms per 100 households (m²)")
        SPACE_MIN_EXISTING = "space_min_existing", _("Minimum rooms of an existing community (m²)")
        SPACE_MIN_NEW = "space_min_new", _("Minimum rooms of a new community (m²)")
        TRAINING_HOURS = "training_hours", _("Training hours per worker and year")
        HOUSEHOLDS_PER_WORKER = "households_per_worker", _("Households per community worker")

    key = models.CharField(_("standard"), max_length=32, choices=Key.choices, unique=True)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    source_checked = models.BooleanField(_("source checked against the document"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self):
        return self.get_key_display()


class CommunityProfile(models.Model):
    """What the standards need to know of a community beyond the territory: whether it is newly built."""

    region_code = models.CharField(_("community code"), max_length=15, unique=True)
    is_new = models.BooleanField(_("new community"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")

    def __str__(self):
        return self.region_code


class Room(models.Model):
    class Use(models.TextChoices):
        OFFICE = "office", _("Office")
        SERVICE_HALL = "service_hall", _("Service hall")
        ACTIVITY = "activity", _("Activity room")
        MEETING = "meeting", _("Meeting room")
        OTHER = "other", pgettext_lazy("room use", "Other")

    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    name = models.CharField(_("room"), max_length=100)
    use = models.CharField(_("use"), max_length=16, choices=Use.choices)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "name"]
        constraints = [models.CheckConstraint(condition=Q(area_m2__gt=0), name="room_area_positive")]
        verbose_name = _("community room")
        verbose_name_plural = _("community rooms")

    def __str__(self):
        return self.name


class Qualification(models.Model):
    """A worker's social-worker certificate (社会工作者职业资格)."""

    class Level(models.TextChoices):
        ASSISTANT = "assistant", _("Assistant social worker")
        INTERMEDIATE = "intermediate", _("Social worker")
        SENIOR = "senior", _("Senior social worker")

    staff = models.ForeignKey("people.StaffMember", on_delete=models.CASCADE, related_name="qualifications")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region_code", "staff", "-issued_on"]
        constraints = [models.UniqueConstraint(fields=["certificate_no"], name="one_certificate_number")]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return self.certificate_no


class TrainingCourse(models.Model):
    """A course for community workers, held by a community, subdistrict or the district (seen by those below)."""

    region_code = models.CharField(_("organizer's area"), max_length=15, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive")]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A worker signed in to a course; the hours count for the course's year."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey("people.StaffMember", on_delete=models.CASCADE, related_name="trainings")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    signed_at = models.DateTimeField(_("signed in at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        ordering = ["course", "staff"]
        constraints = [models.UniqueConstraint(fields=["course", "staff"], name="one_attendance_per_worker")]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")

    def __str__(self):
        return f"{self.course_id}:{self.staff_id}"


class ServiceItem(models.Model):
    """An item of the one-stop catalogue (事项清单) with its guide (办事指南). District items are seen by every
    community below; `eligible_groups` (special groups of the people register) limits who may apply."""

    region_code = models.CharField(_("area"), max_length=15, db_index=True)
    code = models.CharField(_("item code"), max_length=20, unique=True)
    name = models.CharField(_("service item"), max_length=100)
    who_may_apply = models.TextField(_("who may apply"))
    documents = models.TextField(_("documents"), help_text=_("One document per line."))
    steps = models.TextField(_("steps"), help_text=_("One step per line."))
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    fee = models.CharField(_("fee"), max_length=100)
    eligible_groups = models.JSONField(_("special groups it is meant for"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self):
        return self.name

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    RECEIVED = "received", _("Received at the window")
    CANCELLED = "cancelled", _("Cancelled")


def _own_appointments(actor) -> Q:
    return Q(user=actor)


@encrypted_fields("phone")
class Appointment(models.Model):
    """A resident's booking of a window slot at a community's station; one booking per slot."""

    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("slot"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="onestop_appointments")
    applicant = models.CharField(_("applicant"), max_length=50)
    resident = models.ForeignKey("people.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_own_appointments)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["region_code", "starts_at"],
                                               condition=~Q(status="cancelled"), name="one_booking_per_slot")]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self):
        return f"{self.region_code} {self.starts_at:%Y-%m-%d %H:%M}"


class Handling(models.Model):
    """What the window did with one application (办件): who, what, when, the result and whether in time."""

    class Result(models.TextChoices):
        OPEN = "open", _("Being handled")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        CASE = "case", _("Passed on as a case")

    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="handlings")
    appointment = models.OneToOneField(Appointment, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="handling")
    applicant = models.CharField(_("applicant"), max_length=50)
    resident = models.ForeignKey("people.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.OPEN)
    in_time = models.BooleanField(_("in time"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("handling record")
        verbose_name_plural = _("handling records")

    def __str__(self):
        return f"{self.item_id}:{self.applicant}"


class Indicator(models.TextChoices):
    """Where an assessment indicator's figure comes from: typed in, or read from the platform."""

    MANUAL = "manual", _("Scored by hand")
    CASE_ON_TIME = "case_on_time", _("Case on-time closure rate")
    SERVICE_CIRCLE = "service_circle", _("Service-circle coverage")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours per 1,000 residents")
    SPACE_GAP = "space_gap", _("Space gap (m²)")


class AssessmentTemplate(models.Model):
    region_code = models.CharField(_("area"), max_length=15, db_index=True)
    name = models.CharField(_("assessment"), max_length=100)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")

    def __str__(self):
        return self.name


class TemplateIndicator(models.Model):
    """One indicator: its weight (the weights of a template add up to 100), the evidence it needs and its source.
    A computed indicator scores 100 at `target` (or, for the space gap, at no gap) and proportionally below."""

    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1)
    evidence = models.CharField(_("evidence required"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Indicator.choices, default=Indicator.MANUAL)
    target = models.FloatField(_("target"), null=True, blank=True)

    objects = ScopedManager(through="template")

    class Meta:
        ordering = ["template", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="ca_indicator_weight_positive")]
        verbose_name = _("assessment indicator")
        verbose_name_plural = _("assessment indicators")

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    DRAFT = "draft", _("Self-assessment")
    SUBMITTED = "submitted", _("Awaiting subdistrict review")
    SUBDISTRICT = "subdistrict", _("Awaiting district review")
    FINAL = "final", _("Final")


class Assessment(models.Model):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments")
    region_code = models.CharField(_("community code"), max_length=15, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    self_total = models.FloatField(_("self-assessment score"), null=True, blank=True)
    subdistrict_total = models.FloatField(_("subdistrict score"), null=True, blank=True)
    district_total = models.FloatField(_("district score"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "region_code"]
        constraints = [models.UniqueConstraint(fields=["template", "region_code", "year"],
                                               name="one_assessment_per_year")]
        verbose_name = _("community assessment")
        verbose_name_plural = _("community assessments")

    def __str__(self):
        return f"{self.template} {self.year} {self.region_code}"


class Score(models.Model):
    """An indicator's scores (0–100) at each stage, its evidence and, when computed, the platform's figure."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(TemplateIndicator, on_delete=models.PROTECT, related_name="+")
    figure = models.FloatField(_("computed figure"), null=True, blank=True)
    self_score = models.FloatField(_("self-assessment score"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    subdistrict_score = models.FloatField(_("subdistrict score"), null=True, blank=True)
    district_score = models.FloatField(_("district score"), null=True, blank=True)

    objects = ScopedManager(through="assessment")

    class Meta:
        ordering = ["assessment", "indicator"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_indicator")]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")

    def __str__(self):
        return f"{self.assessment_id}:{self.indicator_id}"
