"""Community self-governance: verified households, topics and their support, deliberation, consultation
meetings, honorary directors, household votes and resolutions followed through the grid.

Every record belongs to one community (`region_code` is its 12-digit code). Residents see their own
community's records through a verification (`HouseholdVerification`) that staff made against the register."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.scoping import ScopedManager
from civicgrid.people.models import Household, Resident
from civicgrid.territory.models import Place, PlaceKind

USER = settings.AUTH_USER_MODEL


def verified_communities(actor):
    """The community codes in which `actor` is a verified resident (a subquery)."""
    return HouseholdVerification.objects.filter(user=actor, revoked_at__isnull=True).values("community_code")


def _in_my_community(actor) -> Q:
    return Q(region_code__in=verified_communities(actor))


class CompoundKind(models.TextChoices):
    """What the district watches: old, public-rental and resettlement compounds against the rest."""

    OLD_COMPOUND = PlaceKind.OLD_COMPOUND.value, _("Old compound")
    PUBLIC_RENTAL = PlaceKind.PUBLIC_RENTAL.value, _("Public rental housing")
    RESETTLEMENT = PlaceKind.RESETTLEMENT.value, _("Resettlement housing")
    COMMERCIAL = "commercial", _("Commercial housing")
    MIXED = "mixed", _("Several or none")


def compound_kind_of(places) -> str:
    kinds = {place.kind for place in places}
    if len(kinds) != 1:
        return CompoundKind.MIXED
    kind = kinds.pop()
    return kind if kind in CompoundKind.values else CompoundKind.COMMERCIAL


class CommunitySettings(models.Model):
    class Moderation(models.TextChoices):
        PRE = "pre", _("Comments appear after a moderator approves them")
        POST = "post", _("Comments appear at once; moderators hide them afterwards")

    region_code = models.CharField(max_length=12, unique=True)
    moderation = models.CharField(_("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.POST)
    support_threshold = models.PositiveIntegerField(_("support threshold (households)"), default=20)
    answer_days = models.PositiveIntegerField(_("working days to answer a topic at the threshold"), default=10)

    objects = ScopedManager(owner=_in_my_community, shared_down=True)

    class Meta:
        verbose_name = _("consultation settings")
        verbose_name_plural = _("consultation settings")

    def __str__(self):
        return self.region_code


class HouseholdVerification(models.Model):
    """A resident account linked by staff to a household of the register: the right to support and vote."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="household_verifications")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="verifications")
    region_code = models.CharField(max_length=15, db_index=True)  # the household's grid
    community_code = models.CharField(max_length=12, db_index=True)
    verified_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(owner=lambda actor: Q(user=actor))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                               name="one_active_verification_per_user")]
        verbose_name = _("household verification")
        verbose_name_plural = _("household verifications")

    def __str__(self):
        return f"{self.user} → {self.household_id}"


class Topic(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("topic", "Collecting support")
        ACCEPTED = "accepted", pgettext_lazy("topic", "Accepted for consultation")
        MERGED = "merged", pgettext_lazy("topic", "Merged")
        DECLINED = "declined", pgettext_lazy("topic", "Declined")
        DECIDED = "decided", pgettext_lazy("topic", "Decided")

    class Source(models.TextChoices):
        RESIDENT = "resident", _("A resident")
        GROUP = "group", _("A residents' group")
        STAFF = "staff", _("Community or grid staff")
        CASE = "case", _("A recurring case")
        GAP = "gap", _("A service-circle gap")

    region_code = models.CharField(max_length=12, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    places = models.ManyToManyField(Place, blank=True, related_name="consultation_topics")
    compound_kind = models.CharField(_("compound kind"), max_length=20, choices=CompoundKind.choices,
                                     default=CompoundKind.MIXED)
    source = models.CharField(_("raised by"), max_length=10, choices=Source.choices, default=Source.RESIDENT)
    group_name = models.CharField(_("residents' group"), max_length=100, blank=True)
    source_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="consultation_topics")
    gap_place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="consultation_gap_topics")
    gap_category = models.CharField(max_length=40, blank=True)
    proposer = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="consultation_topics")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    supports = models.PositiveIntegerField(_("supporting households"), default=0)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    decision_reason = models.TextField(_("published reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=lambda actor: _in_my_community(actor) | Q(proposer=actor), shared_down=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.decided_at is not None


class TopicPhoto(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="consultation/%Y/%m/")
    thumbnail = models.ImageField(upload_to="consultation/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    objects = ScopedManager(through="topic")

    class Meta:
        verbose_name = _("topic photo")
        verbose_name_plural = _("topic photos")

    def __str__(self):
        return self.image.name


class Support(models.Model):
    """One household's support of a topic; the constraint is the one-household rule."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="support_set")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="topic")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "household"], name="one_support_per_household")]
        verbose_name = _("topic support")
        verbose_name_plural = _("topic supports")

    def __str__(self):
        return f"{self.topic_id}/{self.household_id}"


EVENT_LABELS = {
    "proposed": _("Proposed"), "threshold": _("Support threshold reached"),
    "accept": _("Accepted for consultation"), "merge": _("Merged into another topic"),
    "decline": _("Declined"), "official_answer": _("Official answer"), "meeting_planned": _("Meeting planned"),
    "vote_opened": _("Vote opened"), "vote_published": _("Vote results published"),
    "resolution": _("Resolution adopted"), "case_closed": _("Case closed"), "case_reopened": _("Case reopened"),
}


class TopicEvent(models.Model):
    """The topic's timeline. Events with `for_supporters` are what supporters are told (the notification
    service of issue 12 sends them; see README)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    for_supporters = models.BooleanField(default=False)

    objects = ScopedManager(through="topic")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("topic timeline entry")
        verbose_name_plural = _("topic timeline entries")

    def __str__(self):
        return self.kind

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class Comment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    official = models.BooleanField(_("official answer"), default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE)
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="topic")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("topic comment")
        verbose_name_plural = _("topic comments")

    def __str__(self):
        return self.text[:30]


class HonoraryDirector(models.Model):
    """社区名誉主任: often a unit head or a well-known resident, appointed for a term."""

    region_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    affiliation = models.CharField(_("unit or description"), max_length=100, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["region_code", "term_start", "name"]
        verbose_name = _("honorary community director")
        verbose_name_plural = _("honorary community directors")
        constraints = [models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")),
                                              name="director_term_ordered")]

    def __str__(self):
        return self.name


class Contribution(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        RESOURCE = "resource", _("Resource brought")

    director = models.ForeignKey(HonoraryDirector, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    text = models.CharField(_("what"), max_length=300)

    objects = ScopedManager(through="director")

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("honorary director contribution")
        verbose_name_plural = _("honorary director contributions")

    def __str__(self):
        return self.text[:30]


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        APPROVED = "approved", _("Minutes approved")

    region_code = models.CharField(max_length=12, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    place_text = models.CharField(_("room"), max_length=100, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings")
    compound_kind = models.CharField(_("compound kind"), max_length=20, choices=CompoundKind.choices,
                                     default=CompoundKind.MIXED)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    checkin_token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(owner=_in_my_community, shared_down=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")

    def __str__(self):
        return self.title

    @property
    def minutes(self):
        return self.minutes_versions.order_by("-version").first()


class Party(models.TextChoices):
    RESIDENT_REP = "resident_rep", _("Residents' representative")
    PROPERTY = "property", _("Property company")
    OWNERS = "owners", _("Owners' committee")
    UNIT = "unit", _("Handling unit")
    DIRECTOR = "director", _("Honorary community director")
    DEPUTY = "deputy", _("Deputy to the people's congress")
    SOCIAL_ORG = "social_org", _("Social organization")
    STAFF = "staff", _("Community staff")


class Invitee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    director = models.ForeignKey(HonoraryDirector, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="invitations")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_in_by_staff = models.BooleanField(default=False)

    objects = ScopedManager(through="meeting")

    class Meta:
        ordering = ["party", "name", "id"]
        verbose_name = _("meeting invitee")
        verbose_name_plural = _("meeting invitees")

    def __str__(self):
        return self.name


class MinutesVersion(models.Model):
    """Minutes and closing report; approved versions are locked, an amendment is the next version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    version = models.PositiveIntegerField()
    text = models.TextField(pgettext_lazy("meeting", "minutes"))
    closing_report = models.TextField(_("closing report"), blank=True)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(through="meeting")

    class Meta:
        ordering = ["version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="one_minutes_per_version")]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")

    def __str__(self):
        return f"{self.meeting_id} v{self.version}"


class Vote(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / abstain")
        OPTIONS = "options", _("Options")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("vote", "Open")
        CLOSED = "closed", pgettext_lazy("vote", "Closed")
        PUBLISHED = "published", pgettext_lazy("vote", "Results published")

    region_code = models.CharField(max_length=12, db_index=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")
    compound = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    compound_kind = models.CharField(max_length=20, choices=CompoundKind.choices, default=CompoundKind.MIXED)
    question = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.YES_NO)
    options = models.JSONField(default=list)
    secret = models.BooleanField(_("secret ballot"), default=False)
    salt = models.CharField(max_length=64, blank=True)  # wiped at close: then no ballot links to a household
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    roll_size = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict)  # {"counts": {...}, "ballots": n, "roll": n} at close
    publish_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(owner=_in_my_community, shared_down=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("consultation vote")
        verbose_name_plural = _("consultation votes")

    def __str__(self):
        return self.question


class Ballot(models.Model):
    """One household's ballot. `voter_key` is the one-vote rule: HMAC(vote salt, household id) for secret votes
    (no household column; the salt is wiped at close) and the household id for open ones."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    choice = models.CharField(max_length=40)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(null=True, blank=True)  # empty for secret ballots

    objects = ScopedManager(through="vote")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "voter_key"], name="one_ballot_per_household")]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(self.pk)


class Resolution(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    region_code = models.CharField(max_length=12, db_index=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True)
    owner = models.CharField(_("owner"), max_length=100)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    compound_kind = models.CharField(max_length=20, choices=CompoundKind.choices, default=CompoundKind.MIXED)
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="consultation_resolution")
    done_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_in_my_community, shared_down=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="resolution_progress_percent")]

    def __str__(self):
        return self.title

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


class Milestone(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=120)
    done_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(through="resolution")

    class Meta:
        ordering = ["id"]
        verbose_name = _("resolution milestone")
        verbose_name_plural = _("resolution milestones")

    def __str__(self):
        return self.title
