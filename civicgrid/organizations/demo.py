"""Demo social organizations for the demo district: organizations of every kind (registered with generated credit
codes whose check character is computed, or filed with a community), grades and annual reports, the accounts
`org-01…` linked to their organizations, a designated hub with members and joint activities, a finished cohort
(graduates and a leaver) and a cohort mid-way with services, milestones and capacity scores, and trainings.

Everything goes through the services (so the audit chain and the constraints are real); dates in the past are
set afterwards where a service only records "today"."""

import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.creditcode import check_character
from civicgrid.organizations import services
from civicgrid.organizations.models import (
    AnnualReport,
    CapacityAssessment,
    Field,
    Incubation,
    IncubationApplication,
    Kind,
    OrgAccount,
    Organization,
)
from civicgrid.territory.models import Level, Region

DISTRICT = "110107"
CREDIT_PREFIX: dict[str, str] = {Kind.SOCIAL_GROUP: "51", Kind.PRIVATE_NON_ENTERPRISE: "52", Kind.FOUNDATION: "53",
                 Kind.INDUSTRY_ASSOCIATION: "51", Kind.CHARITY: "52"}
# (name, kind, field); the first three carry the demo logins org-01 … org-03 (civicgrid/demo/accounts.py)
REGISTERED = [
    ("石景山区社会组织服务中心", Kind.PRIVATE_NON_ENTERPRISE, Field.COMMUNITY_GOVERNANCE),
    ("乐龄养老服务中心", Kind.PRIVATE_NON_ENTERPRISE, Field.ELDERLY),
    ("阳光助残服务社", Kind.PRIVATE_NON_ENTERPRISE, Field.DISABILITY),
    ("鲁谷街道社会组织联合会", Kind.SOCIAL_GROUP, Field.COMMUNITY_GOVERNANCE),
    ("石景山区青少年发展基金会", Kind.FOUNDATION, Field.CHILDREN_YOUTH),
    ("石景山区餐饮行业协会", Kind.INDUSTRY_ASSOCIATION, Field.INDUSTRY),
    ("石景山区慈善协会", Kind.CHARITY, Field.SOCIAL_ASSISTANCE),
    ("八角社会工作事务所", Kind.PRIVATE_NON_ENTERPRISE, Field.SOCIAL_ASSISTANCE),
    ("古城就业服务中心", Kind.PRIVATE_NON_ENTERPRISE, Field.EMPLOYMENT),
    ("金顶街法律援助服务社", Kind.PRIVATE_NON_ENTERPRISE, Field.LEGAL_AID),
    ("苹果园绿色家园环保协会", Kind.SOCIAL_GROUP, Field.ENVIRONMENT),
    ("老山健康促进中心", Kind.PRIVATE_NON_ENTERPRISE, Field.HEALTH),
    ("广宁文体活动中心", Kind.PRIVATE_NON_ENTERPRISE, Field.CULTURE_SPORTS),
    ("五里坨为老服务中心", Kind.PRIVATE_NON_ENTERPRISE, Field.ELDERLY),
]
FILED = ["银发互助会", "邻里合唱团", "巧手编织社", "楼门议事会", "绿植认养队", "夕阳红舞蹈队"]
SURNAMES = "王李张刘陈杨赵黄周吴"
INDICATORS = [{"code": "governance", "name": "内部治理", "weight": 25, "max_score": 10},
              {"code": "projects", "name": "项目设计与执行", "weight": 25, "max_score": 10},
              {"code": "finance", "name": "财务管理", "weight": 20, "max_score": 10},
              {"code": "people", "name": "人才队伍", "weight": 15, "max_score": 10},
              {"code": "resources", "name": "资源整合与品牌", "weight": 15, "max_score": 10}]


def credit_code(kind: str, seq: int) -> str:
    first17 = f"{CREDIT_PREFIX[kind]}{DISTRICT}MJ{seq:07d}"
    return first17 + check_character(first17)


def _actor():
    users = get_user_model().objects
    actor = users.filter(role=Role.DISTRICT, region_code=DISTRICT).first() or users.filter(is_superuser=True).first()
    if actor is None:
        raise RuntimeError("seed_demo_organizations needs the demo district account (load accounts first)")
    return actor


def _register(actor, rng, subdistricts, communities) -> list[Organization]:
    orgs = []
    for seq, (name, kind, field) in enumerate(REGISTERED, 1):
        office = subdistricts[seq % len(subdistricts)] if seq > 3 and seq % 3 == 0 else None
        orgs.append(services.register_organization(
            actor=actor, name=name, kind=kind, field=field, registration="registered",
            registration_authority="石景山区民政局", registered_on=date(2012 + seq % 12, 1 + seq % 12, 10),
            region_code=office.code if office else DISTRICT, credit_code=credit_code(kind, 1000 + seq),
            rep_name=rng.choice(SURNAMES) + rng.choice(("建国", "秀英", "海燕", "志强", "丽华")),
            rep_phone=f"139{rng.randrange(10**8):08d}", staff_count=rng.randint(3, 40),
            volunteer_count=rng.randint(10, 300), service_area=[rng.choice(subdistricts).code],
            party_organization="石景山区社会组织联合党委" if seq % 2 else ""))
    for seq, name in enumerate(FILED):
        community = communities[(seq * 7) % len(communities)]
        orgs.append(services.register_organization(
            actor=actor, name=f"{community.name}{name}", kind=Kind.COMMUNITY_SERVICE,
            field=(Field.ELDERLY, Field.CULTURE_SPORTS, Field.VOLUNTEERING)[seq % 3], registration="filed",
            registration_authority=f"{community.parent.name}办事处" if community.parent else "街道办事处",
            registered_on=date(2021 + seq % 4, 3, 1), region_code=community.code,
            rep_name=rng.choice(SURNAMES) + "阿姨", staff_count=0, volunteer_count=rng.randint(8, 40)))
    return orgs


def _grades_and_reports(actor, orgs, rng) -> int:
    today = timezone.localdate()
    last_year = today.year - 1
    for i, org in enumerate(orgs):
        if org.registration == "registered" and i % 4 != 3:
            rated = date(today.year - 1 - i % 3, 6, 30)
            services.set_rating(actor=actor, organization_id=org.pk, rating=5 - i % 4, rated_on=rated,
                                expires_on=rated.replace(year=rated.year + 5))
        if i % 5 != 4:
            report = services.submit_annual_report(
                actor=actor, organization_id=org.pk, year=last_year, income=rng.randint(5, 300) * 1000,
                expenditure=rng.randint(5, 280) * 1000, activities=rng.randint(4, 60),
                beneficiaries=rng.randint(100, 5000), summary="年度工作总结：开展服务活动，规范内部治理。")
            if i % 3 != 2:
                services.review_annual_report(actor=actor, report_id=report.pk, accept=True)
    return AnnualReport.objects.count()


def _accounts(orgs) -> int:
    names = {org.name: org for org in orgs}
    linked = 0
    for user in get_user_model().objects.filter(role=Role.SOCIAL_ORG).order_by("username"):
        org = names.get(user.display_name)
        if org is not None and not OrgAccount.objects.filter(user=user).exists():
            OrgAccount.objects.create(organization=org, user=user, title="联络人", is_admin=True)
            linked += 1
    return linked


def _hub(actor, orgs, subdistrict: Region) -> int:
    today = timezone.localdate()
    hub_org = next(o for o in orgs if o.name == "鲁谷街道社会组织联合会")
    hub = services.designate_hub(actor=actor, organization_id=hub_org.pk, subdistrict_code=subdistrict.code,
                                 field=Field.COMMUNITY_GOVERNANCE, designated_on=today - timedelta(days=400),
                                 resources="街道社会组织服务站场地、公益创投资金、专业社工督导")
    members = [o for o in orgs if o.pk != hub_org.pk and o.region_code.startswith(subdistrict.code)]
    members += [o for o in orgs if o.name in ("乐龄养老服务中心", "阳光助残服务社", "八角社会工作事务所")]
    for member in members:
        services.add_member(actor=actor, hub_id=hub.pk, member_id=member.pk, joined_on=today - timedelta(days=380))
    ids = [m.pk for m in members]
    for days, title, people in ((300, "社会组织公益集市", 260), (120, "重阳节敬老联合行动", 180),
                                (20, "社区议事能力工作坊", 60)):
        services.record_joint_activity(actor=actor, hub_id=hub.pk, title=title, held_on=today - timedelta(days=days),
                                       member_ids=ids[: 2 + days % 3], participants=people,
                                       volunteer_hours=people // 2, funds=people * 20, place_name="街道社会组织服务站")
    return len(members)


def _cohort(actor, template, orgs, *, name, start, end, status):
    cohort = services.create_cohort(actor=actor, name=name, region_code=DISTRICT, starts_on=start, ends_on=end,
                                    template_id=template.pk, capacity=12)
    incubations = []
    for org in orgs:
        account = OrgAccount.objects.filter(organization=org).select_related("user").first()
        if account is None:
            account = OrgAccount.objects.create(organization=org, user=_org_user(org), title="联络人")
        application = services.apply(actor=account.user, cohort_id=cohort.pk, needs="规范内部治理，提升项目设计能力")
        services.decide_application(actor=actor, application_id=application.pk, admit=True)
        incubation = Incubation.objects.get(application=application)
        Incubation.objects.filter(pk=incubation.pk).update(admitted_on=start)  # admitted when the cohort began
        IncubationApplication.objects.filter(pk=application.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(start - timedelta(days=20), datetime.min.time())))
        incubation.refresh_from_db()
        incubations.append(incubation)
    if status != "recruiting":
        services.set_cohort_status(actor=actor, cohort_id=cohort.pk, status=status)
    return cohort, incubations


def _org_user(org):
    username = f"org-demo-{org.pk}"
    return get_user_model().objects.create_user(username=username, role=Role.SOCIAL_ORG, display_name=org.name,
                                                password=None)


def _grow(actor, incubation, rng, *, months: int, stages) -> None:
    """Services, milestones and scores over `months` since admission."""
    start, today = incubation.admitted_on, timezone.localdate()
    for n in range(months * 2):
        day = min(start + timedelta(days=15 * n + rng.randint(0, 10)), today)
        services.log_service(actor=actor, incubation_id=incubation.pk,
                             kind=("consulting", "training", "project_development", "promotion", "exhibition")[n % 5],
                             delivered_on=day, hours=rng.choice((1, 1.5, 2, 3, 4)))
    for i, title in enumerate(("完善章程和内部制度", "建立财务管理制度", "完成首个服务项目", "通过等级评估")):
        milestone = services.add_milestone(actor=actor, incubation_id=incubation.pk, title=title,
                                           due_on=start + timedelta(days=120 * (i + 1)))
        if milestone.due_on <= today and rng.random() < 0.75:
            services.complete_milestone(actor=actor, milestone_id=milestone.pk, done_on=milestone.due_on,
                                        evidence="制度文件及会议纪要")
    level = rng.uniform(3, 5)
    for stage in stages:
        scores = {i["code"]: round(min(10, level + rng.uniform(-1, 1)), 1) for i in INDICATORS}
        services.assess(actor=actor, incubation_id=incubation.pk, stage=stage, scores=scores)
        level += rng.uniform(1.5, 2.5)


def _incubation(actor, orgs, rng) -> dict:
    today = timezone.localdate()
    template = services.create_template(actor=actor, name="社会组织能力评估指标（试行）", indicators=INDICATORS,
                                        description="入驻、中期、出壳三次评估")
    newcomers = [o for o in orgs if o.registered_on.year >= 2019 or o.registration == "filed"]
    done_start = today - timedelta(days=900)
    _old, finished = _cohort(actor, template, newcomers[:3], name="第一期孵化（已结束）", start=done_start,
                             end=done_start + timedelta(days=730), status="closed")
    for i, incubation in enumerate(finished):
        _grow(actor, incubation, rng, months=6, stages=("entry", "midterm", "exit"))
        services.conclude(actor=actor, incubation_id=incubation.pk, outcome="leave" if i == 2 else "graduate",
                          reason="负责人工作变动，主动退出" if i == 2 else "",
                          on=done_start + timedelta(days=700))
    mid_start = today - timedelta(days=330)
    takers = [o for o in orgs if o.name == "阳光助残服务社"] + newcomers[3:7]
    _mid, running = _cohort(actor, template, takers, name="第二期孵化", start=mid_start,
                            end=mid_start + timedelta(days=730), status="running")
    for i, incubation in enumerate(running):
        _grow(actor, incubation, rng, months=11, stages=("entry", "midterm") if i % 2 == 0 else ("entry",))
    services.create_cohort(actor=actor, name="第三期孵化（招募中）", region_code=DISTRICT,
                           starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=760),
                           template_id=template.pk, capacity=10)
    return {"incubations": len(finished) + len(running),
            "capacity_scores": CapacityAssessment.objects.count()}


def _trainings(actor, orgs) -> int:
    now = timezone.now()
    past = services.create_session(actor=actor, title="项目书写作与预算编制", region_code=DISTRICT,
                                   starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2),
                                   trainer="区社会组织服务中心督导", place_name="区社会组织服务中心培训室")
    for org in orgs[:6]:
        services.desk_sign_in(actor=actor, session_id=past.pk, organization_id=org.pk, attendee=f"{org.name[:2]}代表")
    services.create_session(actor=actor, title="社会组织财务规范培训", region_code=DISTRICT,
                            starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=3),
                            trainer="注册会计师", place_name="区社会组织服务中心培训室")
    return 2


def seed_demo_organizations(*, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    actor = _actor()
    district = Region.objects.get(code=DISTRICT)
    subdistricts = list(Region.objects.within(district.code).filter(level=Level.SUBDISTRICT).order_by("code"))
    communities = list(Region.objects.within(district.code).filter(level=Level.COMMUNITY)
                       .select_related("parent").order_by("code"))
    orgs = _register(actor, rng, subdistricts, communities)
    reports = _grades_and_reports(actor, orgs, rng)
    linked = _accounts(orgs)
    members = _hub(actor, orgs, subdistricts[0])
    incubation = _incubation(actor, orgs, rng)
    trainings = _trainings(actor, orgs)
    return {"social_organizations": len(orgs), "annual_reports": reports, "org_accounts_linked": linked,
            "hub_members": members, "trainings": trainings, **incubation}
