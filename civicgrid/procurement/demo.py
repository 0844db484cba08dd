"""Demo purchases of services for the demo district, one in every stage of the pipeline, the paid one started
from the service circle's largest gap (category × the communities missing it most). Providers are the demo
organizations with accounts (`org-NN`) that are eligible; where the registry's demo has none, eligible providers
are registered here for the `org-NN` logins.

Everything goes through the services, so the budget locks, audit chain and eligibility rules are real."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.creditcode import check_character
from civicgrid.procurement import orgs, reference, services
from civicgrid.procurement.models import CatalogueItem, Indicator, NeedKind

DISTRICT = "110107"
PROVIDERS = ("乐龄养老服务中心", "阳光助残服务社", "石景山区社会工作事务所")
SCORES = {"out_qty": 88, "out_quality": 90, "out_time": 85, "out_cost": 80, "eff_social": 86, "eff_sustain": 78}


def _user(username: str):
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise RuntimeError(f"seed_demo_procurement needs the demo account {username} (load accounts first)")
    return found


def _register(user, name: str, serial: int):
    """An eligible provider for a demo login that has no organization yet (4A, last year's report filed)."""
    from civicgrid.organizations.models import AnnualReport, OrgAccount, Organization
    from civicgrid.territory.models import Region

    today = timezone.localdate()
    first17 = f"52{DISTRICT}MA{serial:07d}"
    org, _created = Organization.objects.get_or_create(
        credit_code=first17 + check_character(first17),
        defaults={"name": name, "kind": "private_non_enterprise", "field": "elderly", "registration": "registered",
                  "registration_authority": "石景山区民政局", "registered_on": date(2018, 3, 1),
                  "region": Region.objects.get(code=DISTRICT), "rep_name": "王敏", "rating": 4,
                  "rated_on": today - timedelta(days=200), "rating_expires_on": today + timedelta(days=1000),
                  "staff_count": 12, "volunteer_count": 40})
    AnnualReport.objects.get_or_create(organization=org, year=today.year - 1, defaults={"status": "accepted"})
    if user is not None and not OrgAccount.objects.filter(user=user).exists():
        OrgAccount.objects.create(organization=org, user=user)
    return org


def providers() -> list:
    """Eligible organizations with an account, at least three."""
    from civicgrid.organizations.models import Organization

    year = timezone.localdate().year
    found = [org for org in Organization.objects.filter(accounts__isnull=False).distinct().order_by("pk")
             if not orgs.eligibility_problems(org, min_rating=3, year=year)]
    free = list(get_user_model().objects.filter(role=Role.SOCIAL_ORG, org_account__isnull=True).order_by("username"))
    serial = 1
    while len(found) < 3:
        user = free.pop(0) if free else None
        found.append(_register(user, PROVIDERS[len(found) % len(PROVIDERS)] + ("" if user else f"{serial}"), serial))
        serial += 1
    return found


def _account(org):
    from civicgrid.organizations.models import OrgAccount

    return OrgAccount.objects.filter(organization=org).select_related("user").first().user


def largest_gap() -> tuple[str, list[str]] | None:
    """The category with most residents out of reach in the latest analysis and its three worst communities."""
    from civicgrid.servicecircle.models import AnalysisRun, Status

    runs = AnalysisRun.objects.filter(status=Status.DONE, region_code__startswith=DISTRICT)
    run = runs.order_by("-finished_at").first()
    if run is None:
        return None
    rows = list(run.community_results.all())
    totals = {code: sum(row.uncovered.get(code, 0) for row in rows) for code in run.category_codes}
    if not totals or max(totals.values()) <= 0:
        return None
    category = max(totals, key=lambda code: totals[code])
    worst = sorted(rows, key=lambda row: -row.uncovered.get(category, 0))[:3]
    return category, [row.community_code for row in worst]


class _Demo:
    def __init__(self):
        self.district = _user(f"district-{DISTRICT}")
        subdistricts = get_user_model().objects.filter(role=Role.SUBDISTRICT).order_by("username")
        self.experts = list(subdistricts[:2])
        self.today = timezone.localdate()
        self.line = services.add_budget_line(actor=self.district, region_code=DISTRICT, year=self.today.year,
                                             department="区民政局", amount="3000000")
        self.orgs = providers()
        self.item = {item.code: item for item in CatalogueItem.objects.all()}

    def start(self, code: str, title: str, ceiling: str, **extra):
        return services.start_purchase(actor=self.district, budget_line_id=self.line.pk, item_id=self.item[code].pk,
                                       title=title, description=f"{title}：面向辖区居民，按目录事项购买。",
                                       ceiling=ceiling, **extra)

    def call(self, purchase):
        return services.publish_call(actor=self.district, purchase_id=purchase.pk,
                                     call_text=f"{purchase.title}项目公开征集承接社会组织，欢迎符合条件的机构投标。",
                                     bid_deadline=self.today + timedelta(days=14),
                                     criteria=[("服务方案", 50), ("团队能力", 20), ("报价", 30)])

    def bids(self, purchase, amounts):
        return [services.submit_bid(actor=_account(org), purchase_id=purchase.pk, amount=amount,
                                    proposal=f"{org.name}承接方案：组建专职团队，按季度报告服务成效。",
                                    beneficiaries_planned=120) for org, amount in zip(self.orgs, amounts, strict=False)]

    def review(self, purchase, bids, *, conflicted: bool = False):
        for expert in self.experts:
            services.add_reviewer(actor=self.district, purchase_id=purchase.pk, username=expert.username)
        services.close_call(actor=self.district, purchase_id=purchase.pk)
        criteria = list(purchase.criteria.all())
        for n, expert in enumerate(self.experts):
            conflict = conflicted and n == 1
            services.declare(actor=expert, purchase_id=purchase.pk, conflict=conflict,
                             note="曾在投标机构兼职" if conflict else "")
            if not conflict:
                for rank, bid in enumerate(bids):
                    services.score_bid(actor=expert, bid_id=bid.pk,
                                       values={c.pk: 90 - 8 * rank - n for c in criteria})

    def award(self, purchase, bid):
        return services.award(actor=self.district, purchase_id=purchase.pk, bid_id=bid.pk,
                              reason="综合得分最高：服务方案完整，团队经验丰富，报价合理。")

    def contract(self, purchase, amount: Decimal, *, started_days_ago: int = 60):
        start = self.today - timedelta(days=started_days_ago)
        half = (amount / 2).quantize(Decimal("0.01"))
        return services.sign_contract(
            actor=self.district, purchase_id=purchase.pk, starts_on=start, ends_on=start + timedelta(days=330),
            deliverables="按月提供服务，季度提交履约报告，年底提交总结。",
            kpis=[{"name": "服务人次", "target": "3000"}, {"name": "满意度", "target": "90%"}],
            instalments=[(half, start), (amount - half, start + timedelta(days=330))],
            milestones=[("完成需求摸底", start + timedelta(days=30)), ("中期评估", start + timedelta(days=180))],
            beneficiaries_target=150)

    def execute(self, contract, *, people: int, hours: str, feedback=(5, 5, 4)):
        user = _account(contract.organization)
        first = contract.milestones.order_by("due_on").first()
        services.complete_milestone(actor=user, milestone_id=first.pk)
        services.submit_report(actor=user, contract_id=contract.pk, text="本季度按计划完成服务，附签到表和照片。",
                               beneficiaries=people, service_hours=hours, milestone_id=first.pk)
        for stars in feedback:
            services.give_feedback(token=contract.survey_token, satisfaction=stars, comment="服务很贴心")
        return user

    def settle(self, contract, user, *, pay_final: bool):
        instalments = list(contract.instalments.order_by("seq"))
        for instalment in instalments:
            services.invoice(actor=user, instalment_id=instalment.pk, invoice_no=f"No.2026{instalment.pk:06d}")
        services.pay(actor=self.district, instalment_id=instalments[0].pk)
        services.accept(actor=self.district, contract_id=contract.pk, note="交付成果齐全，验收合格")
        services.evaluate(actor=self.district, contract_id=contract.pk, scores=SCORES, third_party="首都社会评估中心",
                          third_party_scores={"out_quality": 86, "eff_social": 84})
        if pay_final:
            services.pay(actor=self.district, instalment_id=instalments[-1].pk)


def seed_demo_procurement() -> dict:
    reference.seed(CatalogueItem, Indicator)
    demo = _Demo()
    demo.start("A06", "社区青少年课后托管服务", "300000")  # draft
    demo.call(demo.start("A04", "残疾人就业辅导服务", "200000"))  # call
    reviewing = demo.call(demo.start("A07", "社区协商议事能力建设", "150000"))
    demo.review(reviewing, demo.bids(reviewing, ["140000", "130000"]), conflicted=True)  # review
    awarded = demo.call(demo.start("A05", "就业困难人员帮扶服务", "250000"))
    bids = demo.bids(awarded, ["230000", "240000"])
    demo.review(awarded, bids)
    demo.award(awarded, bids[0])  # awarded
    stages = {}
    for code, title, ceiling, pay_final in (("A02", "独居老人探访关爱服务", "360000", None),
                                            ("A03", "残疾人康复与托养服务", "400000", False)):
        purchase = demo.call(demo.start(code, title, ceiling))
        bids = demo.bids(purchase, [str(Decimal(ceiling) - 20000)])
        demo.review(purchase, bids)
        demo.award(purchase, bids[0])
        contract = demo.contract(purchase, Decimal(ceiling) - 20000)
        user = demo.execute(contract, people=130, hours="640")
        if pay_final is not None:
            demo.settle(contract, user, pay_final=pay_final)  # evaluated, the final instalment not yet paid
        stages[title] = contract
    gap = largest_gap()
    need = {"need_kind": NeedKind.GAP, "need_category": gap[0], "need_regions": gap[1]} if gap else {}
    paid = demo.call(demo.start("A01", "老年助餐服务（服务圈缺口）", "480000", **need))
    bids = demo.bids(paid, ["450000", "470000"])
    demo.review(paid, bids)
    demo.award(paid, bids[0])
    contract = demo.contract(paid, Decimal("450000"), started_days_ago=320)
    demo.settle(contract, demo.execute(contract, people=210, hours="1800"), pay_final=True)  # paid
    return {"procurement_purchases": 8, "procurement_from_gap": bool(gap),
            "procurement_providers": len(demo.orgs)}


