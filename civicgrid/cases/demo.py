"""Demo cases: units and their `unit-01…05` members, routing rules, and a spread of cases in every state across
the district over the last months. `seed_demo_cases` is called by the demo loader after territory and accounts."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from civicgrid.accounts.models import Role, User
from civicgrid.assets.demo import OWNER_UNITS as ASSET_OWNER_UNITS
from civicgrid.cases import rollup, routing, taxonomy
from civicgrid.cases.models import Case, CaseEvent, Channel, HandlingUnit, RoutingRule, Satisfaction, State
from civicgrid.territory.models import Level, Region

PHRASES = {
    "0101": ["小区门口垃圾桶满了没人清运", "路边有一堆生活垃圾"], "0103": ["人行道上有大片油污"],
    "0104": ["楼道里乱堆杂物挡住通道", "单元门口堆了很多纸箱"], "0105": ["楼顶有人私搭乱建"],
    "0201": ["电线杆上贴满小广告"], "0301": ["工地夜间施工噪音很大"], "0303": ["路面有坑洼，井盖松动"],
    "0401": ["地铁口有游商摆摊"], "0403": ["共享单车乱停堵住盲道", "消防通道被私家车占用"],
    "0501": ["下雨后路口积水严重"], "0502": ["楼道里电动车充电飞线"], "0601": ["独居老人需要助餐服务"],
    "0701": ["电梯经常停运，物业不管"], "0702": ["暖气不热"], "0801": ["邻居装修纠纷"], "0802": ["楼上漏水到我家"],
    "0901": ["晚上广场舞音响太吵"], "0902": ["楼下烧烤油烟很大"], "1001": ["小区路灯不亮"], "1002": ["健身器材损坏"],
}
# Final state → share of cases, roughly what a working district looks like.
SPREAD = [(State.CLOSED, 0.62), (State.HANDLING, 0.08), (State.DISPATCHED, 0.06), (State.REPLIED, 0.04),
          (State.VERIFIED, 0.03), (State.REGISTERED, 0.04), (State.REPORTED, 0.05), (State.PARKED, 0.02),
          (State.REJECTED, 0.03), (State.VOID, 0.03)]
PATH = [State.REGISTERED, State.DISPATCHED, State.HANDLING, State.REPLIED, State.VERIFIED, State.CLOSED]


def _units_with_members() -> dict[str, HandlingUnit]:
    units = taxonomy.seed_units()
    for index, code in enumerate(("city", "housing", "civil", "market", "environment"), start=1):
        user = User.objects.filter(username=f"unit-{index:02d}", role=Role.HANDLING_UNIT).first()
        if user:
            units[code].members.add(user)
            units[code].supervisor = units[code].supervisor or User.objects.filter(role=Role.DISTRICT).first()
            units[code].save()
    return units


def _rules(units, categories, district: Region) -> int:
    made = 0
    subdistricts = list(Region.objects.within(district.code).filter(level=Level.SUBDISTRICT)[:2])
    for sub in subdistricts:  # e.g. construction nuisances in two subdistricts go to the environment bureau
        made += RoutingRule.objects.get_or_create(category=categories["0301"], region_prefix=sub.code,
                                                  defaults={"unit": units["environment"]})[1]
    made += RoutingRule.objects.get_or_create(category=categories["1003"], region_prefix="",
                                              defaults={"unit": units["market"]})[1]
    return made


def _timeline(case: Case, final: str, rng: random.Random, now) -> list[tuple[str, str, datetime]]:
    """Fill the case's timestamps for its final state; return (kind, to_state, at) events."""
    at = case.reported_at
    events: list[tuple[str, str, datetime]] = [("report", State.REPORTED, at)]
    if final in (State.REPORTED,):
        return events
    if final in (State.REJECTED, State.VOID):
        at += timedelta(hours=rng.uniform(0.5, 30))
        case.closed_at = at
        return events + [("reject" if final == State.REJECTED else "void", final, at)]
    steps = PATH[: PATH.index(State(final)) + 1] if final != State.PARKED else [State.REGISTERED, State.PARKED]
    for state in steps:
        at = min(now, at + timedelta(hours=rng.uniform(0.2, 3) if state != State.REPLIED else rng.uniform(4, 90)))
        kind = {State.REGISTERED: "register", State.DISPATCHED: "dispatch", State.HANDLING: "accept",
                State.REPLIED: "reply", State.VERIFIED: "verify", State.CLOSED: "close", State.PARKED: "park"}[state]
        events.append((kind, state, at))
        _stamp(case, state, at, rng, now)
    return events


def _stamp(case: Case, state: str, at, rng: random.Random, now) -> None:
    if state == State.REGISTERED:
        case.registered_at = at
    elif state == State.DISPATCHED:
        case.unit = case.unit or routing.route(case.category, case.region_code, case.asset)
        case.dispatched_at = case.first_dispatched_at = at
        case.deadline = routing.deadline_for(case, at)
        case.response_due = routing.response_due_for(case, at)
        case.overdue = case.deadline < now
    elif state == State.HANDLING:
        case.responded_at = at
    elif state == State.REPLIED:
        case.replied_at = at
        case.rework_count = 1 if rng.random() < 0.08 else 0
    elif state == State.CLOSED:
        case.closed_at, case.overdue = at, False
        if rng.random() < 0.7:
            case.rated_at = at
            case.satisfaction = rng.choices(Satisfaction.values, weights=(70, 20, 10))[0]
            case.resolved = case.satisfaction != Satisfaction.UNSATISFIED or rng.random() < 0.3
    elif state == State.PARKED:
        case.park_reason, case.park_review_on = "需纳入年度改造计划", (now + timedelta(days=60)).date()


def seed_demo_cases(*, count: int = 2000, seed: int = 2026) -> dict:
    """Idempotent per district: does nothing when cases exist. Returns what was created."""
    if Case.objects.exists():
        return {"cases": 0}
    rng = random.Random(seed)
    district = Region.objects.filter(level=Level.DISTRICT).order_by("code").first()
    grids = list(Region.objects.filter(level=Level.GRID, center_lon__isnull=False).values_list(
        "code", "center_lon", "center_lat"))
    if district is None or not grids:
        return {"cases": 0}
    categories = taxonomy.seed_defaults()
    for code, name in ASSET_OWNER_UNITS:  # the units that own street assets (assets demo)
        HandlingUnit.objects.get_or_create(code=code, defaults={"name": name})
    units = _units_with_members()
    rules = _rules(units, categories, district)
    subs = [categories[code] for code in PHRASES]
    states, weights = zip(*SPREAD, strict=True)
    now = timezone.now()
    with transaction.atomic():
        made = [_one_case(rng, grids, subs, rng.choices(states, weights)[0], now) for _ in range(count)]
    rollup.refresh(full=True)
    return {"cases": len(made), "units": len(units), "rules": rules, "categories": len(categories)}


def _one_case(rng, grids, subs, final, now) -> Case:
    code, lon, lat = rng.choice(grids)
    category = rng.choice(subs)
    reported = now - timedelta(days=rng.uniform(0, 180) if final == State.CLOSED else rng.uniform(0, 20))
    case = Case(channel=rng.choice([Channel.RESIDENT, Channel.PATROL, Channel.HOTLINE, Channel.HOTLINE]),
                description=rng.choice(PHRASES[category.code]), lon=lon + rng.uniform(-0.002, 0.002),
                lat=lat + rng.uniform(-0.002, 0.002), region_code=code, category=category,
                category_top=category.parent, reported_at=reported, reported_on=timezone.localtime(reported).date(),
                urgent=rng.random() < 0.03)
    events = _timeline(case, final, rng, now)
    case.state = final
    case.save()
    CaseEvent.objects.bulk_create([CaseEvent(case=case, kind=kind, to_state=to_state, at=at, actor_role="demo")
                                   for kind, to_state, at in events])
    return case
