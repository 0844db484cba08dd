"""Government purchase of services (政府购买服务, 财政部令第102号): catalogue and budget, needs → purchase, call, bids,
expert review, award, contract, execution, performance evaluation, payment and disclosure.

A purchase belongs to the buying office's area (`region_code`: the district or a subdistrict, or a community
for a community's own small purchase). Its children follow it (`through="purchase"` / `through="contract"`).
Bidding organizations see their own bids and contracts; panel reviewers see the purchases they review."""

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.scoping import ScopedManager

USER = settings.AUTH_USER_MODEL
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class Nature(models.TextChoices):
    """What is bought. Only services may be bought as services: goods, works and staffing (劳务派遣) are the
    negative list of 财政部令第102号 第十条."""

    SERVICE = "service", _("Public service")
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Construction works")
    STAFFING = "staffing", _("Labour dispatch (staffing)")


NEGATIVE_LIST = (Nature.GOODS, Nature.WORKS, Nature.STAFFING)


class ServiceField(models.TextChoices):
    ELDERLY = "elderly", _("Elderly support")
    DISABILITY = "disability", _("Disability support")
    EMPLOYMENT = "employment", _("Employment help")
    YOUTH = "youth", _("Youth work")
    GOVERNANCE = "governance", _("Community governance")
    OTHER = "other", pgettext_lazy("service field", "Other")


class CatalogueItem(models.Model):
    """An entry of the district's guiding catalogue (指导性目录); priority items are bought first."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    field = models.CharField(_("field"), max_length=16, choices=ServiceField.choices)
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices, default=Nature.SERVICE)
    priority = models.BooleanField(_("priority item"), default=False)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-priority", "code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [models.CheckConstraint(condition=Q(nature="service"),
                                              name="procurement_catalogue_services_only")]

    def __str__(self):
        return f"{self.code} {self.name}"


class BudgetLine(models.Model):
    """One year's money of one department for purchases; awards commit it, payments spend it. The constraint is
    the last guard: the award service locks the row and refuses first."""

    region_code = models.CharField(_("area"), max_length=15, db_index=True)
    year = models.PositiveIntegerField(_("year"))
    department = models.CharField(_("department"), max_length=100)
    amount = models.DecimalField(_("budget"), **MONEY)
    committed = models.DecimalField(_("committed"), default=ZERO, **MONEY)
    paid = models.DecimalField(_("paid"), default=ZERO, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["-year", "department"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year", "department"], name="procurement_one_line"),
            models.CheckConstraint(condition=Q(committed__lte=F("amount")), name="procurement_budget_not_exceeded"),
            models.CheckConstraint(condition=Q(paid__lte=F("committed")), name="procurement_paid_within_committed"),
        ]

    def __str__(self):
        return f"{self.year} {self.department}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed


class NeedKind(models.TextChoices):
    NONE = "", _("No measured need")
    GAP = "gap", _("A service-circle gap")
    HOTSPOT = "hotspot", _("A case hot spot")
    GROUP = "group", _("A group of vulnerable residents")


class Stage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("purchase", "Draft")
    CALL = "call", pgettext_lazy("purchase", "Call published")
    REVIEW = "review", pgettext_lazy("purchase", "Under review")
    AWARDED = "awarded", pgettext_lazy("purchase", "Awarded")
    CONTRACTED = "contracted", pgettext_lazy("purchase", "Under execution")
    EVALUATED = "evaluated", pgettext_lazy("purchase", "Evaluated")
    PAID = "paid", pgettext_lazy("purchase", "Paid")
    CANCELLED = "cancelled", pgettext_lazy("purchase", "Cancelled")


def _reviewer_or_bidder(actor) -> Q:
    """Panel reviewers, and organizations that bid (they see the purchase, never the others' bids)."""
    from civicgrid.procurement.orgs import member_q

    return Q(pk__in=Reviewer.objects.filter(user_id=getattr(actor, "pk", None)).values("purchase_id")) | Q(
        pk__in=Bid.objects.filter(member_q(actor)).values("purchase_id"))


def _survey_token() -> str:
    return secrets.token_urlsafe(16)


class Purchase(models.Model):
    """A purchase project from its need to its disclosure. `need_*` keep the measured need it answers and its
    figures when it started (`need_before`), to show later whether the need shrank."""

    region_code = models.CharField(_("area"), max_length=15, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="purchases",
                             verbose_name=_("catalogue item"))
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="purchases",
                                    verbose_name=_("budget line"))
    ceiling = models.DecimalField(_("ceiling price"), **MONEY)
    recurring = models.BooleanField(_("recurring service"), default=False)
    beneficiary_regions = models.JSONField(_("beneficiary areas"), default=list)
    need_kind = models.CharField(_("need"), max_length=10, choices=NeedKind.choices, default=NeedKind.NONE,
                                 blank=True)
    need_category = models.CharField(_("need category"), max_length=40, blank=True)
    need_regions = models.JSONField(default=list, blank=True)
    need_before = models.JSONField(default=dict, blank=True)
    stage = models.CharField(pgettext_lazy("purchase", "stage"), max_length=12, choices=Stage.choices,
                             default=Stage.DRAFT, db_index=True)
    # the call (公告)
    call_text = models.TextField(_("call text"), blank=True)
    bid_deadline = models.DateField(_("bid deadline"), null=True, blank=True)
    min_rating = models.PositiveSmallIntegerField(_("minimum rating (A)"), default=3)
    clean_years = models.PositiveSmallIntegerField(_("years without a failed evaluation"), default=3)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # the award
    awarded_bid = models.OneToOneField("Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award_amount = models.DecimalField(_("award amount"), null=True, blank=True, **MONEY)
    award_reason = models.TextField(_("award reasons"), blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(owner=_reviewer_or_bidder)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """A weighted review criterion of one purchase (weights of a purchase sum to 100)."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"))

    objects = ScopedManager(through="purchase")

    class Meta:
        ordering = ["id"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self):
        return self.name


class Bid(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("bid", "Submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("bid", "Withdrawn")
        AWARDED = "awarded", pgettext_lazy("bid", "Awarded")
        DECLINED = "declined", pgettext_lazy("bid", "Not selected")

    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="bids")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="procurement_bids", verbose_name=_("organization"))
    amount = models.DecimalField(_("bid amount"), **MONEY)
    proposal = models.TextField(_("proposal"))
    beneficiaries_planned = models.PositiveIntegerField(_("planned beneficiaries"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="purchase")

    class Meta:
        ordering = ["id"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [models.UniqueConstraint(fields=["purchase", "organization"], name="procurement_one_bid")]

    def __str__(self):
        return f"{self.purchase_id}/{self.organization_id}"


class Reviewer(models.Model):
    """A member of a purchase's expert panel and their conflict-of-interest declaration."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="procurement_reviews")
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.CharField(_("conflict declared"), max_length=300, blank=True)

    objects = ScopedManager(through="purchase")

    class Meta:
        verbose_name = _("panel reviewer")
        verbose_name_plural = _("panel reviewers")
        constraints = [models.UniqueConstraint(fields=["purchase", "user"], name="procurement_one_seat")]

    def __str__(self):
        return f"{self.purchase_id}/{self.user_id}"


class Score(models.Model):
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score (0-100)"))

    objects = ScopedManager(through="bid")

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "bid", "criterion"], name="procurement_one_score"),
            models.CheckConstraint(condition=Q(value__lte=100), name="procurement_score_range"),
        ]

    def __str__(self):
        return f"{self.bid_id}/{self.criterion_id}: {self.value}"


class Contract(models.Model):
    purchase = models.OneToOneField(Purchase, on_delete=models.PROTECT, related_name="contract")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="procurement_contracts", verbose_name=_("organization"))
    amount = models.DecimalField(_("contract amount"), **MONEY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deliverables = models.TextField(_("deliverables"))
    kpis = models.JSONField(_("KPIs"), default=list)  # [{"name", "target"}]
    beneficiaries_target = models.PositiveIntegerField(_("target beneficiaries"), default=0)
    survey_token = models.CharField(max_length=32, unique=True, default=_survey_token)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_note = models.TextField(_("acceptance note"), blank=True)

    objects = ScopedManager(through="purchase")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                              name="procurement_contract_period")]

    def __str__(self):
        return f"{self.purchase}"


class Instalment(models.Model):
    class State(models.TextChoices):
        DUE = "due", pgettext_lazy("instalment", "Planned")
        PAID = "paid", pgettext_lazy("instalment", "Paid")
        WITHHELD = "withheld", pgettext_lazy("instalment", "Withheld")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount"), **MONEY)
    due_on = models.DateField(_("due on"))
    final = models.BooleanField(_("final instalment"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DUE)
    invoice_no = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_at = models.DateTimeField(_("invoiced"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    objects = ScopedManager(through="contract")

    class Meta:
        ordering = ["contract", "seq"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [models.UniqueConstraint(fields=["contract", "seq"], name="procurement_instalment_seq")]

    def __str__(self):
        return f"{self.contract_id}#{self.seq}"


class Milestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = ScopedManager(through="contract")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class Report(models.Model):
    """A deliverable report of the provider: what was done, for how many people, in how many hours."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    text = models.TextField(_("report"))
    beneficiaries = models.PositiveIntegerField(_("beneficiaries served"), default=0)
    service_hours = models.DecimalField(_("staff service hours"), max_digits=10, decimal_places=1, default=ZERO)
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="contract")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("deliverable report")
        verbose_name_plural = _("deliverable reports")

    def __str__(self):
        return f"{self.contract_id}/{self.pk}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="procurement/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    objects = ScopedManager(through="report")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name


class Feedback(models.Model):
    """One beneficiary's answer to the contract's short satisfaction survey (anonymous, from a phone link)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="feedback")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="contract")

    class Meta:
        verbose_name = _("beneficiary feedback")
        verbose_name_plural = _("beneficiary feedback")
        constraints = [models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                                              name="procurement_feedback_range")]

    def __str__(self):
        return f"{self.contract_id}: {self.satisfaction}"


class ChangeRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("change request", "Pending")
        APPROVED = "approved", pgettext_lazy("change request", "Approved")
        REJECTED = "rejected", pgettext_lazy("change request", "Rejected")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    reason = models.TextField(_("reason"))
    new_ends_on = models.DateField(_("new end date"), null=True, blank=True)
    new_deliverables = models.TextField(_("new deliverables"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decision_note = models.CharField(_("decision"), max_length=300, blank=True)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(through="contract")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"{self.contract_id}/{self.pk}"


class Dimension(models.TextChoices):
    OUTPUT = "output", _("Output")
    EFFECT = "effect", _("Effect")
    SATISFACTION = "satisfaction", _("Satisfaction")


class Indicator(models.Model):
    """The district's performance-evaluation template (绩效评价指标): editable in the admin; an evaluation copies
    the active indicators with their weights when it is made."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("indicator"), max_length=100)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    weight = models.PositiveSmallIntegerField(_("weight"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["dimension", "code"]
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """绩效评价 of one contract: per indicator the buyer's score and an optional third party's; satisfaction
    indicators take the beneficiaries' survey. `total` is 0–100; under `threshold` the evaluation fails: the
    final instalment is withheld and the organization is not eligible for some years."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="evaluation")
    indicators = models.JSONField(default=list)  # [{code, name, dimension, weight, buyer, third_party, score}]
    beneficiary_score = models.DecimalField(_("beneficiaries' score"), max_digits=5, decimal_places=1, null=True,
                                            blank=True)
    third_party = models.CharField(_("third-party evaluator"), max_length=100, blank=True)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=1)
    threshold = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(through="contract")

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")

    def __str__(self):
        return f"{self.contract_id}: {self.total}"
