"""Demo volunteering for the demo district: teams run by social organizations and communities, volunteers
linked to demo residents (the `resident-N` logins among them), past confirmed service with points, upcoming
shifts with sign-ups, partner shops `shop-01…03` with offers and redemptions, and help requests.

Everything goes through the services, so the ledger, the audit chain and the constraints are real."""

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.encrypted import unseal
from civicgrid.core.errors import DomainError
from civicgrid.people.models import Resident
from civicgrid.territory.models import Level, Region
from civicgrid.volunteering import services
from civicgrid.volunteering.models import HelpRequest, Offer, Skill, TargetGroup, Team, Volunteer

DISTRICT = "110107"
VOLUNTEERS = 120
# resident-1 … resident-15 are volunteers; the other resident logins are not yet, so "成为志愿者" can be tried
RESIDENT_VOLUNTEERS = 15
ACTIVITY_TITLES = ("探访空巢老人", "新居民融入茶话会", "助残康复陪伴", "社区环境清洁日", "青少年课业辅导",
                   "义诊进社区", "垃圾分类宣传", "老年人智能手机课堂")
OFFERS = (("洗衣液一瓶", "goods", 30), ("理发一次", "service", 50), ("早餐券", "goods", 10),
          ("药品九折券", "discount", 20), ("大米5公斤", "goods", 80))


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _district_actor():
    users = get_user_model().objects
    actor = users.filter(role=Role.DISTRICT, region_code=DISTRICT).first() or users.filter(is_superuser=True).first()
    if actor is None:
        raise RuntimeError("seed_demo_volunteering needs the demo district account (load accounts first)")
    return actor


def _teams(actor, communities: list[Region], rng: random.Random) -> list[Team]:
    teams = [services.create_team(actor=actor, name=f"{c.name}志愿服务队", region_code=c.code) for c in communities]
    for org in get_user_model().objects.filter(role=Role.SOCIAL_ORG).order_by("username"):
        community = rng.choice(communities)
        teams.append(services.create_team(actor=org, name=f"{org.display_name or org.username}志愿队",
                                          region_code=community.code))
    return teams


def _volunteer_user(index: int):
    users = get_user_model().objects
    existing = users.filter(username=f"resident-{index + 1}", role=Role.RESIDENT).first()
    if index < RESIDENT_VOLUNTEERS and existing is not None and not Volunteer.objects.filter(user=existing).exists():
        return existing
    user = users.create(username=f"volunteer-{index + 1:04d}", role=Role.RESIDENT)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _volunteers(actor, communities, rng: random.Random) -> list[Volunteer]:
    codes = [c.code for c in communities]
    today = timezone.localdate()
    born = (today - timedelta(days=70 * 365), today - timedelta(days=18 * 366))
    adults = (Resident.objects.within(DISTRICT).filter(birth_date__range=born, phone_cipher__gt="")
              .order_by("pk").only("pk", "name", "row_key", "id_number_cipher", "phone_cipher", "region_code")[:2000])
    chosen = rng.sample(list(adults), min(VOLUNTEERS, len(adults)))
    made = []
    for index, adult in enumerate(chosen):
        code = adult.region_code
        community = code[:12] if code[:12] in codes else rng.choice(codes)
        volunteer = services.register_volunteer(
            actor=_volunteer_user(index), name=adult.name, id_number=unseal(adult, "id_number"),
            phone=unseal(adult, "phone"), region_code=community, consent=True,
            skills=rng.sample(Skill.values, rng.randint(1, 3)),
            available_weekdays=sorted(rng.sample(range(7), rng.randint(2, 5))))
        if rng.random() < 0.9:
            volunteer = services.verify_volunteer(actor=actor, volunteer_id=volunteer.pk)
        made.append(volunteer)
    return made


def _organizer(team: Team, actor):
    return team.org_user or actor


def _past_service(actor, teams, volunteers, rng: random.Random) -> int:
    """Six months of confirmed records (a few denied or pending), kept by the team that ran them."""
    count, today = 0, timezone.localdate()
    for team in teams:
        members = [v for v in volunteers if v.region_code == team.region_code] or rng.sample(volunteers, 5)
        members = members[:12]
        for volunteer in members:
            services.join_team(actor=volunteer.user, team_id=team.pk)
        for _ in range(len(members) * 2):
            volunteer, day = rng.choice(members), today - timedelta(days=rng.randint(2, 180))
            start = _at(day, rng.choice((9, 14, 19)))
            record = services.create_record(
                actor=_organizer(team, actor), team_id=team.pk, volunteer_id=volunteer.pk, started_at=start,
                ended_at=start + timedelta(minutes=rng.choice((60, 90, 120, 180))),
                content=rng.choice(ACTIVITY_TITLES), place_name="社区服务站",
                target_groups=rng.sample(TargetGroup.values, 1))
            roll, verified = rng.random(), volunteer.verified_at is not None  # unverified: hours wait
            if roll < 0.85 and verified:
                services.confirm_record(actor=_organizer(team, actor), record_id=record.pk)
            elif 0.85 <= roll < 0.92:
                services.deny_record(actor=_organizer(team, actor), record_id=record.pk, reason="未到场")
            count += 1
    return count


def _upcoming(actor, teams, volunteers, rng: random.Random) -> int:
    signups, today = 0, timezone.localdate()
    for team in teams:
        activity = services.create_activity(actor=_organizer(team, actor), team_id=team.pk,
                                            title=rng.choice(ACTIVITY_TITLES), place_name="社区服务站",
                                            target_groups=rng.sample(TargetGroup.values, 1))
        for offset in (1, 3, 7):
            start = _at(today + timedelta(days=offset), rng.choice((9, 14)))
            shift = services.add_shift(actor=_organizer(team, actor), activity_id=activity.pk, starts_at=start,
                                       ends_at=start + timedelta(hours=2), capacity=rng.randint(3, 8))
            for volunteer in rng.sample(volunteers, min(len(volunteers), rng.randint(2, 9))):
                services.sign_up(actor=volunteer.user, shift_id=shift.pk)
                signups += 1
    return signups


def _shops(actor, communities, volunteers, rng: random.Random) -> dict:
    shop_users = list(get_user_model().objects.filter(role=Role.PARTNER_SHOP).order_by("username")[:3])
    today, redeemed, offers = timezone.localdate(), 0, []
    for shop_user in shop_users:
        community = rng.choice(communities)
        services.register_shop(actor=actor, username=shop_user.username, name=shop_user.display_name or
                               shop_user.username, region_code=community.code, address=f"{community.name}便民街1号")
        for title, kind, points in rng.sample(OFFERS, 3):
            offers.append(services.create_offer(actor=shop_user, title=title, kind=kind, points=points,
                                                stock=rng.randint(10, 40), valid_from=today - timedelta(days=30),
                                                valid_until=today + timedelta(days=180)))
    for index, volunteer in enumerate(rng.sample(volunteers, min(30, len(volunteers)))):
        offer = rng.choice(offers)
        try:
            redemption = services.claim(actor=volunteer.user, offer_id=offer.pk, key=f"demo-claim-{index:04d}")
        except DomainError:  # not enough points: fine, most volunteers are new
            continue
        if rng.random() < 0.7:
            services.confirm_redemption(actor=Offer.objects.get(pk=offer.pk).shop.user, code=redemption.code)
            redeemed += 1
    return {"shops": len(shop_users), "offers": len(offers), "redemptions": redeemed}


def _help(actor, volunteers, rng: random.Random) -> int:
    groups = ["empty_nest", "elderly_alone", "disability"]
    elders = list(Resident.objects.within(DISTRICT).filter(groups__group__in=groups).order_by("pk").distinct()[:400])
    verified = list(Volunteer.objects.filter(pk__in=[v.pk for v in volunteers], verified_at__isnull=False))
    count = 0
    for resident in rng.sample(elders, min(20, len(elders))):
        request = services.ask_for_help(actor=actor, resident_id=resident.pk, kind=rng.choice(HelpRequest.Kind.values),
                                        description="需要志愿者帮忙", needed_at=timezone.now() + timedelta(days=1))
        helpers = [v for v in verified if resident.region_code.startswith(v.region_code[:9])]
        if helpers and rng.random() < 0.6:
            helper = rng.choice(helpers)
            services.accept_help(actor=helper.user, request_id=request.pk)
            if rng.random() < 0.7:
                record = services.complete_help(actor=helper.user, request_id=request.pk, minutes=60, note="已完成")
                services.confirm_record(actor=actor, record_id=record.pk)
        count += 1
    return count


def seed_demo_volunteering(*, seed: int = 2026) -> dict:
    rng, actor = random.Random(seed), _district_actor()
    communities = list(Region.objects.within(DISTRICT).filter(level=Level.COMMUNITY).order_by("code"))
    communities = rng.sample(communities, min(8, len(communities)))
    teams = _teams(actor, communities, rng)
    volunteers = _volunteers(actor, communities, rng)
    summary = {"volunteer_teams": len(teams), "volunteers": len(volunteers)}
    summary["service_records"] = _past_service(actor, teams, volunteers, rng)
    summary["signups"] = _upcoming(actor, teams, volunteers, rng)
    summary.update(_shops(actor, communities, volunteers, rng))
    summary["help_requests"] = _help(actor, volunteers, rng)
    return summary
