"""Demo community standardization for the whole demo district: charters with quotas that leave some communities
short and some over-staffed, rooms with gaps, certificates and three district trainings with sign-ins, the
one-stop catalogue with bookings and a year of handling records, and a six-type assessment completed (self,
subdistrict, district) by the communities of the first subdistrict.

The bulk (charters, rooms, certificates, attendance, past handling records) is written in one transaction with one
audit event; what a person does in the demo's story (catalogue, bookings, the window, the assessment) goes through
the services."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.communityaffairs import services
from civicgrid.communityaffairs.figures import BODIES
from civicgrid.communityaffairs.models import (
    Attendance,
    Charter,
    CharterPost,
    Handling,
    Indicator,
    Qualification,
    Room,
    ServiceItem,
    TrainingCourse,
)
from civicgrid.core import audit, workcalendar
from civicgrid.people.models import ResidentGroup, SpecialGroup, StaffMember
from civicgrid.territory.models import Level, Region

DISTRICT = "110107"
PREFERRED = "110107001003"
DUTIES = {
    "party_org": "领导社区各类组织和各项工作\n组织党员在格上、工作进网格\n推进区域化党建和共建单位联系",
    "residents_committee": "组织居民依法自治\n召开社情恳谈会，协商解决居民诉求\n调解民间纠纷，维护社区秩序",
    "service_station": "承接政府公共服务事项\n一站式受理、限时办结\n为特殊群体提供上门和代办服务",
}
POSTS = {"party_org": (("社区党委书记", 1), ("社区党委委员", 1)),
         "residents_committee": (("居委会主任", 1), ("居委会委员", 2)),
         "service_station": (("服务站站长", 1), ("服务站工作人员", 2))}
ROOMS = (("社区办公室", Room.Use.OFFICE), ("一站式服务大厅", Room.Use.SERVICE_HALL), ("居民活动室", Room.Use.ACTIVITY),
         ("议事厅", Room.Use.MEETING))
ITEMS = (
    ("CA-001", "居住证明开具", "本社区居民", "身份证\n户口簿或租房合同", "取号\n窗口核验\n出具证明", 1, "免费", ()),
    ("CA-002", "高龄津贴申领", "年满80周岁的本区户籍老人", "身份证\n户口簿\n银行卡", "提交材料\n社区初审\n街道审核",
     5, "免费", ()),
    ("CA-003", "残疾人两项补贴申请", "持证残疾人", "残疾人证\n身份证\n银行卡", "提交申请\n社区入户核查\n区残联审批", 10,
     "免费", (SpecialGroup.DISABILITY,)),
    ("CA-004", "低保家庭临时救助", "本社区低保家庭", "身份证\n低保证\n困难情况说明",
     "提交申请\n入户调查\n公示\n审批", 10, "免费", (SpecialGroup.LOW_INCOME,)),
    ("CA-005", "独居老人助餐登记", "独居老人或空巢老人", "身份证", "窗口登记\n助餐点配餐", 3, "免费",
     (SpecialGroup.ELDERLY_ALONE, SpecialGroup.EMPTY_NEST)),
    ("CA-006", "社区活动室预约", "辖区居民和社会组织", "活动方案", "提交预约\n社区确认", 2, "免费", ()),
)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _bulk(rng: random.Random, communities: list[Region], today: date) -> dict:
    charters, posts, rooms = [], [], []
    for region in communities:
        for body in BODIES:
            charters.append(Charter(region_code=region.code, body=body, duties=DUTIES[body],
                                    approved_on=date(today.year - 1, 3, 1)))
        need = max(350.0, region.households * 0.3)
        share = rng.choice((0.6, 0.8, 0.95, 1.05, 1.2, 1.3))  # about half of the communities fall short
        for position, (name, use) in enumerate(ROOMS):
            rooms.append(Room(region_code=region.code, name=name, use=use,
                              area_m2=Decimal(str(round(need * share * (0.4, 0.3, 0.2, 0.1)[position], 1)))))
    Charter.objects.bulk_create(charters, batch_size=500)
    for charter in Charter.objects.filter(region_code__in=[c.code for c in communities]):
        for title, quota in POSTS[charter.body]:
            posts.append(CharterPost(charter=charter, title=title, quota=quota + rng.choice((-1, 0, 0, 1, 1))))
    CharterPost.objects.bulk_create(posts, batch_size=1000)
    Room.objects.bulk_create(rooms, batch_size=1000)
    return {"charters": len(charters), "rooms": len(rooms)}


def _workforce(rng: random.Random, today: date) -> dict:
    workers = list(StaffMember.objects.within(DISTRICT).filter(body__in=BODIES).values_list("pk", "region_code"))
    quals = [Qualification(staff_id=pk, region_code=code, level=rng.choice(Qualification.Level.values[:2]),
                           certificate_no=f"SG{today.year - 3}{pk:07d}", issued_on=date(today.year - 3, 6, 1),
                           expires_on=date(today.year + rng.choice((0, 1, 2)), 6, 1))
             for pk, code in workers if rng.random() < 0.35]
    Qualification.objects.bulk_create(quals, batch_size=1000)
    courses = [TrainingCourse.objects.create(region_code=DISTRICT, title=title, held_on=today.replace(month=month,
                                             day=10), hours=Decimal(hours))
               for title, month, hours in (("社区工作者政策法规培训", 3, "16"), ("接诉即办与群众工作方法", 6, "12"),
                                           ("一站式服务规范与礼仪", min(today.month, 9), "8"))]
    attendances = [Attendance(course=course, staff_id=pk, region_code=code,
                              signed_at=timezone.make_aware(datetime.combine(course.held_on, time(9, 0))))
                   for course in courses for pk, code in workers if rng.random() < 0.75]
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    return {"qualifications": len(quals), "courses": len(courses), "attendances": len(attendances)}


def _history(rng: random.Random, communities: list[Region], items: list[ServiceItem], today: date) -> int:
    """A year of finished applications at every window: mostly in time, some late, some passed on."""
    open_items = [item for item in items if not item.eligible_groups]
    rows = []
    for region in communities:
        for _ in range(rng.randrange(4, 12)):
            item = rng.choice(open_items)
            day = today - timedelta(days=rng.randrange(7, 300))
            received = timezone.make_aware(datetime.combine(day, time(rng.choice((9, 10, 14, 15)), 0)))
            due = workcalendar.add_working_days(received, item.time_limit_days)
            finished = received + timedelta(days=item.time_limit_days * rng.choice((0.2, 0.5, 1.0, 1.5, 3)))
            rows.append(Handling(region_code=region.code, item=item, applicant="居民", received_at=received,
                                 due_at=due, finished_at=finished, result=Handling.Result.DONE,
                                 in_time=finished <= due))
    Handling.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _catalogue(district_user) -> list[ServiceItem]:
    return [services.create_item(actor=district_user, region=DISTRICT, code=code, name=name, who_may_apply=who,
                                 documents=documents, steps=steps, time_limit_days=days, fee=fee,
                                 eligible_groups=groups)
            for code, name, who, documents, steps, days, fee, groups in ITEMS]


def _next_slots(count: int) -> list[datetime]:
    day, found = timezone.localdate(), list[datetime]()
    while len(found) < count:
        day += timedelta(days=1)
        found += services.slots_of(day)
    return found[:count]


def _window(items: list[ServiceItem]) -> int:
    """Bookings at the preferred community: three residents booked, one received and finished at the window."""
    worker = _user(f"community-{PREFERRED}")
    residents = list(get_user_model().objects.filter(role=Role.RESIDENT, username__startswith="resident-")
                     .order_by("pk")[:3])
    if worker is None or not residents:
        return 0
    slots = _next_slots(len(residents) + 1)
    for index, user in enumerate(residents):
        services.book(actor=user, community=PREFERRED, item_id=items[index % 2].pk, starts_at=slots[index],
                      applicant=f"居民{index + 1}", phone=f"1390107{index:04d}")
    eligible = ResidentGroup.objects.filter(group=SpecialGroup.ELDERLY_ALONE,
                                            resident__region_code__startswith=PREFERRED).first()
    walk_in = services.receive_walk_in(actor=worker, community=PREFERRED, item_id=items[0].pk, applicant="王先生")
    services.finish(actor=worker, handling_id=walk_in.pk, result="done")
    if eligible is not None:
        services.receive_walk_in(actor=worker, community=PREFERRED, item_id=items[4].pk,
                                 applicant=eligible.resident.name, resident_id=eligible.resident_id)
    return len(residents)


def _assessment(district_user, year: int) -> int:
    template = services.create_template(actor=district_user, name="六型社区评估", indicators_=[
        {"name": "社区党组织领导有力", "weight": 20, "evidence": "党组织会议记录"},
        {"name": "案件按时办结率", "weight": 20, "source": Indicator.CASE_ON_TIME, "target": 0.95},
        {"name": "一刻钟服务圈覆盖", "weight": 20, "source": Indicator.SERVICE_CIRCLE, "target": 0.9},
        {"name": "每千人志愿服务时长", "weight": 20, "source": Indicator.VOLUNTEER_HOURS, "target": 500},
        {"name": "办公和服务用房达标", "weight": 20, "source": Indicator.SPACE_GAP},
    ])
    sub = _user("subdistrict-110107001")
    done = 0
    for region in Region.objects.filter(level=Level.COMMUNITY, code__startswith="110107001").order_by("code")[:6]:
        worker = _user(f"community-{region.code}")
        if worker is None or sub is None:
            continue
        item = services.start(actor=worker, template_id=template.pk, community=region.code, year=year)
        manual = item.scores.get(indicator__source=Indicator.MANUAL)
        services.self_assess(actor=worker, assessment_id=item.pk, scores={manual.indicator_id: {
            "score": 80 + done * 3, "evidence": "2025年党组织会议记录12份"}})
        services.submit(actor=worker, assessment_id=item.pk)
        services.review(actor=sub, assessment_id=item.pk, scores={manual.indicator_id: 78 + done * 3})
        services.review(actor=district_user, assessment_id=item.pk)
        done += 1
    return done


def seed_demo_communityaffairs(*, seed: int = 2026) -> dict:
    rng = random.Random(seed + 14)
    today = timezone.localdate()
    district_user = _user(f"district-{DISTRICT}")
    if district_user is None:
        raise RuntimeError("seed_demo_communityaffairs needs the demo accounts (load accounts first)")
    communities = list(Region.objects.filter(level=Level.COMMUNITY, code__startswith=DISTRICT).order_by("code"))
    with transaction.atomic():
        summary = _bulk(rng, communities, today)
        summary.update(_workforce(rng, today))
        audit.record(actor=None, action="communityaffairs.demo", region_code=DISTRICT, detail=dict(summary))
    items = _catalogue(district_user)
    summary["handlings"] = _history(rng, communities, items, today)
    summary["appointments"] = _window(items)
    summary["assessments"] = _assessment(district_user, today.year - 1)
    return {f"communityaffairs_{key}": value for key, value in summary.items()}
