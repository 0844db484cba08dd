"""Demo party building for the demo district, through the services (constraints, audit and routing are real):
the district committee, subdistrict committees and community party organizations; every office building registered
with tenants of every size, some with their own organization, small ones under joint branches, some partner shops,
and coverage gaps left on purpose; a building workstation ("五站合一") in the preferred community's building with
staff, rooms, bookings, an event with sign-ups and a company request turned case; party members of the register on
grids; the year's ten model enterprises with "10+N" pledges and uses; a chamber of commerce; brand projects in
every stage (one promoted to the showcase, one late)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases.models import Category
from civicgrid.core.creditcode import check_character
from civicgrid.partybuilding import coverage, services
from civicgrid.partybuilding.models import BuildingProfile, Enterprise, OrgKind, PartyOrganization
from civicgrid.people.models import Resident
from civicgrid.territory.models import Level, Place, PlaceKind, Region
from civicgrid.volunteering.models import Shop

DISTRICT = "110107"
PREFERRED = "110107001003"
INDUSTRIES = ("信息技术", "文化创意", "商务服务", "金融", "餐饮", "零售", "建筑设计", "物业管理")
FIRMS = ("星河", "京西", "鲁谷", "永定", "八角", "古城", "金顶", "苹果园", "衙门口", "长安")
SUFFIXES = ("科技有限公司", "文化传媒有限公司", "咨询有限公司", "设计有限公司", "餐饮管理有限公司", "商贸有限公司")


def _actor():
    users = get_user_model().objects
    actor = users.filter(role=Role.DISTRICT, region_code=DISTRICT).first() or users.filter(is_superuser=True).first()
    if actor is None:
        raise RuntimeError("seed_demo_partybuilding needs the demo district account (load accounts first)")
    return actor


def _code(seq: int) -> str:
    first17 = f"91110107MA{seq:07d}"
    return first17 + check_character(first17)


class _Firms:
    def __init__(self, rng: random.Random):
        self.rng, self.seq = rng, 0

    def make(self, actor, *, building=None, grid=None, big=False, shop=None) -> Enterprise:
        self.seq += 1
        employees = self.rng.randint(60, 400) if big else self.rng.randint(3, 45)
        name = f"{self.rng.choice(FIRMS)}{self.seq}号{self.rng.choice(SUFFIXES)}"
        return services.register_enterprise(
            actor=actor, name=name, credit_code=_code(self.seq), size="medium" if big else "small",
            industry=self.rng.choice(INDUSTRIES), building_id=building.pk if building else None,
            region_code=grid or "", employees=employees, party_members=self.rng.randint(3, 20) if big else
            self.rng.randint(0, 2), partner_shop_id=shop.pk if shop else None)


def _tree(actor) -> dict[str, PartyOrganization]:
    top = services.create_organization(actor=actor, name="区委社会工作委员会", kind=OrgKind.DISTRICT,
                                       region_code=DISTRICT, secretary="刘书记")
    made = {DISTRICT: top}
    for sub in Region.objects.filter(level=Level.SUBDISTRICT, code__startswith=DISTRICT).order_by("code"):
        made[sub.code] = services.create_organization(actor=actor, name=f"{sub.name}党工委", kind=OrgKind.SUBDISTRICT,
                                                      region_code=sub.code, parent_id=top.pk)
    for community in Region.objects.filter(level=Level.COMMUNITY, code__startswith=DISTRICT).order_by("code"):
        parent = made.get(community.code[:9], top)
        made[community.code] = services.create_organization(
            actor=actor, name=f"{community.name}党委", kind=OrgKind.COMMUNITY, region_code=community.code,
            parent_id=parent.pk)
    return made


def _social_organization_branches(actor, tree) -> int:
    """Party branches of the registry's largest active social organizations, each linked to its entry."""
    from civicgrid.organizations.models import Organization

    entries = Organization.objects.within(DISTRICT).filter(status=Organization.Status.ACTIVE).order_by(
        "-staff_count", "pk")[:3]
    for entry in entries:
        services.create_organization(actor=actor, name=f"{entry.name}党支部", kind=OrgKind.SOCIAL_ORG,
                                     region_code=entry.region_code,
                                     parent_id=tree.get(entry.region_code[:9], tree[DISTRICT]).pk,
                                     social_organization_id=entry.pk)
    return len(entries)


def _buildings(actor, firms: _Firms, tree, rng) -> tuple[list[BuildingProfile], int]:
    buildings, joint = [], 0
    for place in Place.objects.filter(kind=PlaceKind.OFFICE_BUILDING, region_code__startswith=DISTRICT).order_by("pk"):
        if rng.random() < 0.15:
            continue  # left unregistered: a gap the coverage page lists
        building = services.register_building(actor=actor, place_id=place.pk, floors=rng.randint(6, 30),
                                              committee=f"{place.name}管委会")
        buildings.append(building)
        parent = tree.get(place.region_code[:12])
        big = [firms.make(actor, building=building, big=True) for _ in range(rng.randint(1, 2))]
        small = [firms.make(actor, building=building) for _ in range(rng.randint(2, 5))]
        for firm in big:
            if rng.random() < 0.7:
                services.create_organization(actor=actor, name=f"{firm.name}党支部", kind=OrgKind.ENTERPRISE,
                                             enterprise_id=firm.pk, parent_id=parent.pk if parent else None)
        if len(small) >= 3 and rng.random() < 0.6:
            joint += 1
            services.create_organization(actor=actor, name=f"{place.name}联合党支部", kind=OrgKind.JOINT,
                                         building_id=building.pk, parent_id=parent.pk if parent else None,
                                         covered_enterprise_ids=[f.pk for f in small[:-1]])
    return buildings, joint


def _street_shops(actor, firms: _Firms) -> int:
    """Below-scale enterprises on the street, some of them volunteering's partner shops (联建门店)."""
    made = 0
    for shop in Shop.objects.filter(region_code__startswith=DISTRICT).order_by("pk"):
        grid = Region.objects.filter(level=Level.GRID, code__startswith=shop.region_code).order_by("code").first()
        if grid is not None:
            firms.make(actor, grid=grid.code, shop=shop)
            made += 1
    return made


def _workstation(actor, building: BuildingProfile, rng) -> dict:
    station = services.open_workstation(actor=actor, building_id=building.pk, name=f"{building.place.name}楼宇工作站",
                                        stations=["party", "union", "youth", "women", "social"],
                                        services="政策咨询、工商注册指导、白领心理辅导、亲子托管、法律咨询",
                                        opened_on=timezone.localdate() - timedelta(days=400))
    for name, kind, post in (("陈晓", "party", "站长"), ("高峰", "union", "工会干事"), ("林雪", "youth", "团建专员"),
                             ("周敏", "women", "妇联专员"), ("吴刚", "social", "社工")):
        services.add_staff(actor=actor, workstation_id=station.pk, name=name, station=kind, post=post)
    room = services.add_room(actor=actor, workstation_id=station.pk, name="白领之家", capacity=30)
    services.add_room(actor=actor, workstation_id=station.pk, name="党员活动室", capacity=15)
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    tenants = list(building.enterprises.order_by("pk"))
    for day, purpose in ((1, "党课：学习二十大精神"), (2, "白领读书会"), (3, "企业招聘宣讲")):
        start = now + timedelta(days=day, hours=2)
        services.book_room(actor=actor, room_id=room.pk, starts_at=start, ends_at=start + timedelta(hours=2),
                           purpose=purpose, enterprise_id=tenants[0].pk if tenants else None)
    event = services.create_event(actor=actor, workstation_id=station.pk, title="青年白领联谊会",
                                  starts_at=now + timedelta(days=5), capacity=40, self_signup=True)
    for index, name in enumerate(("王磊", "李娜", "张伟", "刘洋")):
        services.sign_up(actor=actor, event_id=event.pk, name=name, enterprise_id=tenants[index % len(tenants)].pk)
    category = Category.objects.filter(parent__isnull=False, active=True).order_by("code").first()
    requests = 0
    if category is not None and tenants:
        services.file_request(actor=actor, workstation_id=station.pk, enterprise_id=tenants[0].pk,
                              description="楼前人行道破损，员工上下班经常绊倒", category_id=category.pk)
        requests = 1
    return {"workstation": station, "requests": requests}


def _members(actor, tree, rng) -> int:
    organization = tree.get(PREFERRED) or tree[DISTRICT]
    grids = list(Region.objects.filter(level=Level.GRID, code__startswith=PREFERRED).values_list("code", flat=True))
    people = Resident.objects.filter(region_code__startswith=PREFERRED).order_by("pk")
    chosen = list(people.filter(is_party_member=True)[:12])  # the register's party members first, then others
    chosen += list(people.exclude(pk__in=[resident.pk for resident in chosen])[:12 - len(chosen)])
    today = timezone.localdate()
    for index, resident in enumerate(chosen):
        member = services.register_member(actor=actor, resident_id=resident.pk, organization_id=organization.pk,
                                          employed=index % 2 == 0)
        if grids and index % 3 != 2:
            services.report_to_community(actor=actor, member_id=member.pk,
                                         reported_on=today - timedelta(days=rng.randint(1, 200)),
                                         grid_code=grids[index % len(grids)])
        services.add_commitment(actor=actor, member_id=member.pk, year=today.year, text_="每月参加一次楼门值守",
                                hours=24)
        services.record_service(actor=actor, member_id=member.pk, service_date=today - timedelta(days=index + 1),
                                content="楼门值守、垃圾分类引导", minutes=60 + 15 * index)
    return len(chosen)


def _sunflower(actor, rng) -> int:
    year = timezone.localdate().year
    big = list(Enterprise.objects.filter(employees__gte=coverage.threshold()).order_by("-employees", "pk")[:10])
    today = timezone.localdate()
    for rank, firm in enumerate(big, 1):
        model = services.name_model_enterprise(actor=actor, enterprise_id=firm.pk, year=year, rank=rank)
        for unit, kind, what, amount in ((firm.name, "room", "会议室（小时）", 40),
                                         (f"联动单位{rank}-1", "service", "法律咨询（次）", 12),
                                         (f"联动单位{rank}-2", "money", "困难党员帮扶金（元）", 5000),
                                         (f"联动单位{rank}-3", "service", "义诊（按需）", None)):
            pledge = services.add_pledge(actor=actor, model_id=model.pk, unit=unit, kind=kind, description=what,
                                         amount=amount)
            services.record_use(actor=actor, pledge_id=pledge.pk, used_on=today - timedelta(days=rng.randint(1, 90)),
                                used_by="社区党委", purpose="社区党员活动", amount=max(1, (amount or 4) // 4))
    return len(big)


def _projects(actor, rng) -> dict:
    communities = list(Region.objects.filter(level=Level.COMMUNITY, code__startswith=DISTRICT).order_by("code")[:6])
    today = timezone.localdate()
    titles = ("红色议事厅", "邻里守望", "楼门文化", "银发助餐", "四点半课堂", "绿色家园")
    stages = ("registered", "in_progress_late", "in_progress", "midterm", "completed", "promoted")
    made = {}
    for index, (title, stage) in enumerate(zip(titles, stages, strict=True)):
        community = communities[index % len(communities)]
        late = stage == "in_progress_late"
        project = services.register_project(
            actor=actor, community=community.code, title=f"{community.name}·{title}", goal=f"以“{title}”凝聚居民",
            indicators=[{"name": "参与居民人次", "target": "500"}, {"name": "满意度", "target": "90%"}],
            budget=rng.choice((30000, 50000, 80000)), owner=f"{community.name}党委书记", partners="共建单位、社会组织",
            starts_on=today - timedelta(days=120), ends_on=today + timedelta(days=240),
            milestones=[{"title": "方案与台账", "due_on": today - timedelta(days=60)},
                        {"title": "中期成果展示",
                         "due_on": today - timedelta(days=10) if late else today + timedelta(days=30)},
                        {"title": "结项总结", "due_on": today + timedelta(days=230)}])
        made[stage] = project
        if stage == "registered":
            continue
        first = project.milestones.order_by("due_on").first()
        assert first is not None  # registered with its milestones
        services.complete_milestone(actor=actor, milestone_id=first.pk, done_on=today - timedelta(days=58))
        services.report_progress(actor=actor, project_id=project.pk, text_="完成方案制定和居民需求调查", spent=8000)
        if stage in ("midterm", "completed", "promoted"):
            services.evaluate(actor=actor, project_id=project.pk, stage="midterm", score=rng.randint(78, 92),
                              comments="按计划推进，台账规范")
        if stage in ("completed", "promoted"):
            for milestone in project.milestones.filter(done_on__isnull=True):
                services.complete_milestone(actor=actor, milestone_id=milestone.pk, done_on=today)
            services.evaluate(actor=actor, project_id=project.pk, stage="final", score=rng.randint(85, 96),
                              comments="目标全部达成")
        if stage == "promoted":
            services.promote(actor=actor, project_id=project.pk,
                             showcase_text="社区党委牵头，共建单位出场地、社会组织出专业、居民出主意，"
                                           "一年来组织活动四十余场，居民满意度超过九成。")
    return made


def seed_demo_partybuilding(*, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    actor = _actor()
    tree = _tree(actor)
    firms = _Firms(rng)
    buildings, joint = _buildings(actor, firms, tree, rng)
    shops = _street_shops(actor, firms)
    preferred = next((b for b in buildings if b.region_code.startswith(PREFERRED)), buildings[0] if buildings else None)
    station = _workstation(actor, preferred, rng) if preferred else {"requests": 0}
    others = [b for b in buildings if b != preferred]
    for building in others[: len(others) // 2]:
        services.open_workstation(actor=actor, building_id=building.pk, name=f"{building.place.name}楼宇工作站",
                                  stations=["party", "union", "social"])
    models = _sunflower(actor, rng)
    if preferred is not None:
        chamber = services.create_chamber(actor=actor, name=f"{preferred.place.name}商会", building_ids=[preferred.pk],
                                          enterprise_ids=list(preferred.enterprises.values_list("pk", flat=True)),
                                          organization_id=tree.get(preferred.region_code[:12], tree[DISTRICT]).pk,
                                          founded_on=timezone.localdate() - timedelta(days=200))
        services.add_chamber_activity(actor=actor, chamber_id=chamber.pk, title="商会成立暨政企座谈会",
                                      held_on=timezone.localdate() - timedelta(days=200))
    social = _social_organization_branches(actor, tree)
    members = _members(actor, tree, rng)
    projects = _projects(actor, rng)
    return {"party_organizations": PartyOrganization.objects.count(), "party_members": members,
            "enterprises": Enterprise.objects.count(), "office_buildings_registered": len(buildings),
            "joint_branches": joint, "partner_shop_enterprises": shops, "model_enterprises": models,
            "company_requests": station["requests"], "brand_projects": len(projects),
            "social_organization_branches": social}
