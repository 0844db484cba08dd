"""Demo consultation for the demo district: in one old, one public-rental and one resettlement compound, verified
households (the `resident-N` logins first), topics in every state, a past meeting with approved minutes and an
honorary director who attended, an upcoming published meeting, a running vote with ballots and a published one,
resolutions done, in progress with a grid case, and overdue.

Everything goes through the services, so constraints, the audit chain and the case hook are real."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.consultation import services
from civicgrid.consultation.models import Contribution, Party, Topic
from civicgrid.people.models import Household
from civicgrid.territory.models import Place, PlaceKind

DISTRICT = "110107"
PREFERRED = "110107001003"  # the community the demo logins and README examples use
KINDS = (PlaceKind.OLD_COMPOUND, PlaceKind.PUBLIC_RENTAL, PlaceKind.RESETTLEMENT)
HOUSEHOLDS = 6  # verified households per compound
SUPPORTERS = {"open": 3, "accepted": 5, "decided": 4}  # households supporting each topic besides its proposer
TITLES: dict[str, tuple[str, ...]] = {
    PlaceKind.OLD_COMPOUND: ("老楼加装电梯", "单元门禁损坏", "楼道堆物清理", "增设电动车充电桩", "广场舞噪音扰民"),
    PlaceKind.PUBLIC_RENTAL: ("公租房维修响应慢", "增设快递柜", "楼道照明损坏", "儿童游乐设施", "停车位不足"),
    PlaceKind.RESETTLEMENT: ("回迁房产权证办理", "小区绿化补种", "增设老年食堂", "垃圾分类站点", "道路积水"),
}


def _compound(kind: str) -> Place | None:
    """A compound of that kind with enough households in the register, in the preferred community if any; in a
    small register, the one with most households."""
    places = Place.objects.filter(kind=kind).annotate(n=Count("household_set"))
    preferred = places.filter(region_code__in=_grids(PREFERRED), n__gte=HOUSEHOLDS).order_by("pk").first()
    return preferred or places.filter(region_code__in=_grids(DISTRICT), n__gte=1).order_by("-n", "pk").first()


def _grids(area: str) -> list[str]:
    return list(Place.objects.within(area).values_list("region_code", flat=True).distinct())


def _staff(code: str):
    users = get_user_model().objects
    found = users.filter(username=f"community-{code}", role=Role.COMMUNITY).first()
    found = found or users.filter(role=Role.DISTRICT, region_code=DISTRICT).first()
    if found is None:
        raise RuntimeError("seed_demo_consultation needs the demo accounts (load accounts first)")
    return found


class _Accounts:
    """Resident accounts to verify: the demo `resident-N` logins first, then new accounts without a password."""

    def __init__(self):
        users = get_user_model().objects
        self.free = list(users.filter(role=Role.RESIDENT, username__startswith="resident-",
                                      household_verifications__isnull=True).order_by("pk"))
        self.made = 0

    def next(self):
        if self.free:
            return self.free.pop(0)
        self.made += 1
        user = get_user_model().objects.create(username=f"neighbour-{self.made:04d}", role=Role.RESIDENT)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user


def _verified(staff, place: Place, accounts: _Accounts) -> list:
    households = Household.objects.filter(place=place).order_by("pk").prefetch_related("members")[:HOUSEHOLDS]
    users = []
    for household in households:
        user = accounts.next()
        services.verify_resident(actor=staff, username=user.username, resident_id=household.members.all()[0].pk)
        users.append(user)
    return users


def _topics(staff, place: Place, people: list) -> dict[str, Topic]:
    code, titles = place.region_code[:12], TITLES[place.kind]
    made = {}
    for index, (key, title) in enumerate(zip(("open", "accepted", "decided", "merged", "declined"), titles,
                                             strict=True)):
        proposer = people[index % len(people)]
        made[key] = services.propose_topic(actor=proposer, community=code, title=f"{place.name}{title}",
                                           text=f"{place.name}居民反映：{title}，希望社区协调解决。",
                                           place_ids=[place.pk])
        for supporter in [p for p in people if p != proposer][:SUPPORTERS.get(key, 0)]:
            services.support_topic(actor=supporter, topic_id=made[key].pk)
    services.comment(actor=people[-1], topic_id=made["open"].pk, text="同意，我家也遇到这个问题。")
    services.comment(actor=staff, topic_id=made["open"].pk, official=True, text="社区已收到，正在征集各方意见。")
    for key in ("accepted", "decided"):
        services.decide_topic(actor=staff, topic_id=made[key].pk, decision="accept", reason="涉及多数住户，列入恳谈会")
    services.decide_topic(actor=staff, topic_id=made["merged"].pk, decision="merge", reason="与已列入的议题相同",
                          merge_into_id=made["accepted"].pk)
    services.decide_topic(actor=staff, topic_id=made["declined"].pk, decision="decline",
                          reason="属于物业合同事项，已转物业公司答复")
    return made


def _director(staff, code: str):
    today = timezone.localdate()
    director = services.add_director(actor=staff, community=code, name="周建国", affiliation="区医院副院长",
                                      term_start=today - timedelta(days=400), term_end=today + timedelta(days=700))
    services.add_contribution(actor=staff, director_id=director.pk, kind=Contribution.Kind.RESOURCE,
                              on=today - timedelta(days=30), text="医院会议室每月向居民开放一次，用于健康讲座")
    services.add_contribution(actor=staff, director_id=director.pk, kind=Contribution.Kind.PROPOSAL,
                              on=today - timedelta(days=12), text="建议为独居老人建立定期探访名单")
    return director


def _past_meeting(staff, place: Place, topic: Topic, director) -> int:
    code, today = place.region_code[:12], timezone.localdate()
    meeting = services.plan_meeting(actor=staff, community=code, title=f"{place.name}社情恳谈会",
                                    starts_at=timezone.now() - timedelta(days=20), place_id=place.pk,
                                    room="社区议事厅", topic_ids=[topic.pk])
    services.publish_meeting(actor=staff, meeting_id=meeting.pk)
    invited = [services.invite(actor=staff, meeting_id=meeting.pk, name=name, party=party)
               for name, party in (("王秀兰", Party.RESIDENT_REP), ("李明", Party.RESIDENT_REP),
                                   ("物业刘经理", Party.PROPERTY), ("业委会陈主任", Party.OWNERS))]
    invited.append(services.invite(actor=staff, meeting_id=meeting.pk, name="", party=Party.DIRECTOR,
                                   director_id=director.pk))
    for invitee in invited[1:]:
        services.sign_in(actor=staff, invitee_id=invitee.pk)
    services.save_minutes(actor=staff, meeting_id=meeting.pk, text=f"议题：{topic.title}。各方充分发言，形成决议三项。",
                          closing_report="参会各方一致同意按决议推进，社区跟踪落实。")
    services.approve_minutes(actor=staff, meeting_id=meeting.pk)
    resolutions = [
        services.adopt_resolution(actor=staff, meeting_id=meeting.pk, topic_id=topic.pk, title="物业制定维修计划",
                                  owner="物业公司", due_on=today - timedelta(days=5)),
        services.adopt_resolution(actor=staff, meeting_id=meeting.pk, topic_id=topic.pk, title="社区张贴公示",
                                  owner="居委会", due_on=today + timedelta(days=5)),
        services.adopt_resolution(actor=staff, meeting_id=meeting.pk, topic_id=topic.pk, title="现场整改",
                                  owner="街道城管科", due_on=today + timedelta(days=30), needs_action=True),
    ]
    services.update_resolution(actor=staff, resolution_id=resolutions[1].pk, status="done", progress=100)
    services.update_resolution(actor=staff, resolution_id=resolutions[0].pk, status="in_progress", progress=40)
    services.add_milestone(actor=staff, resolution_id=resolutions[0].pk, title="物业提交维修方案",
                           done_on=today - timedelta(days=10))
    services.add_milestone(actor=staff, resolution_id=resolutions[0].pk, title="施工队进场")
    for resolution in resolutions:
        services.publish_resolution(actor=staff, resolution_id=resolution.pk)
    return len(resolutions)


def _upcoming(staff, place: Place, topic: Topic, voters: list) -> int:
    code, now = place.region_code[:12], timezone.now()
    meeting = services.plan_meeting(actor=staff, community=code, title=f"{place.name}议事协商会",
                                    starts_at=now + timedelta(days=6), place_id=place.pk, room="社区议事厅",
                                    topic_ids=[topic.pk])
    services.publish_meeting(actor=staff, meeting_id=meeting.pk)
    running = services.open_vote(actor=staff, community=code, topic_id=topic.pk, compound_id=place.pk,
                                 question=f"是否同意{topic.title}的方案？", closes_at=now + timedelta(days=5))
    done = services.open_vote(actor=staff, community=code, compound_id=place.pk, question="公共收益优先用于哪项？",
                              kind="options", options=["楼道照明", "健身器材", "绿化补种"], secret=True,
                              closes_at=now + timedelta(days=1))
    ballots = 0
    for index, voter in enumerate(voters):
        services.cast_ballot(actor=voter, vote_id=running.pk, choice=("yes", "yes", "no", "abstain")[index % 4])
        services.cast_ballot(actor=voter, vote_id=done.pk, choice=("楼道照明", "健身器材", "楼道照明")[index % 3])
        ballots += 2
    services.close_vote(actor=staff, vote_id=done.pk)
    services.publish_results(actor=staff, vote_id=done.pk, days=14)
    return ballots


def seed_demo_consultation() -> dict:
    accounts = _Accounts()
    summary = {"consultation_compounds": 0, "consultation_topics": 0, "consultation_resolutions": 0,
               "consultation_ballots": 0}
    directors: dict[str, object] = {}
    for kind in KINDS:
        place = _compound(kind)
        if place is None:
            continue
        code = place.region_code[:12]
        staff = _staff(code)
        people = _verified(staff, place, accounts)
        topics = _topics(staff, place, people)
        directors[code] = directors.get(code) or _director(staff, code)
        summary["consultation_resolutions"] += _past_meeting(staff, place, topics["decided"], directors[code])
        summary["consultation_ballots"] += _upcoming(staff, place, topics["accepted"], people)
        summary["consultation_compounds"] += 1
        summary["consultation_topics"] += len(topics)
    return summary
