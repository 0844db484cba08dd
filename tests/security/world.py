"""One community's records of every kind, made through the services where a service makes them, each carrying a
secret word that must never reach anyone outside the community: the route test looks for these words in every
answer it gets."""

from datetime import date, timedelta

from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.accounts.services import issue_token
from civicgrid.assets.models import Asset
from civicgrid.cases import services as cases
from civicgrid.cases.models import Case, CasePhoto, Channel, HandlingUnit
from civicgrid.cases.models import Category as CaseCategory
from civicgrid.notifications.models import Notification
from civicgrid.people import services as people
from civicgrid.servicecircle.models import (
    AnalysisRun,
    Category,
    CommunityResult,
    Facility,
    PlaceResult,
    Recommendation,
    RecommendedSite,
)
from civicgrid.servicecircle.reference import seed_categories
from civicgrid.territory.models import Place, PlaceKind
from civicgrid.volunteering import services as volunteering
from civicgrid.volunteering.models import Activity, Certificate, ServiceRecord
from tests.conftest import COMM_A, COMM_B, GRID_A, make_user
from tests.volunteering.conftest import end_shift, make_id

# Words that only community A's records contain. Chinese names are masked on screen (甄**), so a leak of the
# full name is a leak; the masked form is allowed where a route is public by design.
# Not secret, by decision: region names (public administrative divisions), and what community A publishes to the
# whole platform (a published activity, its team and place, partner shops' offers): every volunteer may join.
SECRETS = ("ZQXCASE", "ZQXPLACE", "ZQXDRAFT", "ZQXFAC", "ZQXREC", "甄秘密", "贾秘密", "ZQXHELP", "ZQXSTAFF",
           "ZQXTOPIC", "ZQXCOMMENT", "ZQXMEET", "ZQXVOTE", "ZQXRESO", "ZQXDIR", "ZQXMINUTES", "ZQXASSET",
           "ZQXCHARTER", "ZQXROOM", "ZQXCOURSE", "ZQXAPPT", "ZQXWINDOW", "ZQXEVIDENCE")
IN_A = (116.155, 39.905)


def _photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 10, 10)).save(out, format="JPEG")
    return out.getvalue()


def build(regions, users) -> dict:
    """Community A's world; returns the objects by name, plus the outsiders who must not see it."""
    for key, name in (("community_a", "ZQXREGION社区"), ("grid_a", "ZQXREGION网格")):
        regions[key].name = name
        regions[key].save(update_fields=["name"])
    seed_categories()
    world: dict = dict(users)
    world.update(_outsiders(users))
    world.update(_cases(users, world))
    world.update(_people(users, regions))
    world.update(_volunteering(users, world))
    world.update(_servicecircle(users, regions, world))
    world.update(_consultation(users, world))
    world.update(_communityaffairs(users, world))
    return world


def _outsiders(users) -> dict:
    unit_x = make_user("unit-x", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="housing").members.add(unit_x)
    return {"anonymous": None, "outsider_resident": make_user("resident-x", Role.RESIDENT),
            "worker_b": users["community_b"], "unit_x": unit_x}


def _cases(users, world) -> dict:
    unit_y = make_user("unit-y", Role.HANDLING_UNIT, "110107")
    city = HandlingUnit.objects.get(code="city")
    city.members.add(unit_y)
    case = cases.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=IN_A[0], lat=IN_A[1],
                             description="ZQXCASE 井盖丢失", phone="13900001111", reporter_name="甄秘密",
                             photos=[_photo()], category_id=CaseCategory.objects.get(code="0101").pk)
    cases.perform(actor=users["community_a"], case_id=case.pk, action="register")
    cases.perform(actor=users["community_a"], case_id=case.pk, action="dispatch", unit_id=city.pk)
    from civicgrid.cases.services import requests

    requests.ask(actor=unit_y, case_id=case.pk, kind="return", reason="ZQXCASE 非本单位职责")
    case = Case.objects.get(pk=case.pk)
    photo = CasePhoto.objects.filter(case=case).first()
    notification = Notification.objects.filter(user=users["resident"]).first()
    token = issue_token(user=users["resident"], name="theirs")
    from civicgrid.accounts.models import ApiToken
    return {"case": case, "photo": photo, "notification": notification, "unit_y": unit_y,
            "api_token": ApiToken.objects.filter(user=users["resident"]).first(), "raw_token": token}


def _people(users, regions) -> dict:
    place = Place.objects.create(name="ZQXPLACE小区", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"],
                                 lon=IN_A[0], lat=IN_A[1], population=300, households=100)
    resident = people.register_resident(actor=users["community_a"], place=place, unit_label="1号楼101室",
                                        name="甄秘密", id_number=make_id(501), phone="13900002222",
                                        groups=["empty_nest"])
    staff = people.register_staff_member(actor=users["community_a"], region=COMM_A, name="ZQXSTAFF",
                                         body="residents_committee")
    # a street asset's position, class and owner are public (the report picker); its address field is not
    asset = Asset.objects.create(code="1101070118000001", kind="0118", lon=IN_A[0], lat=IN_A[1],
                                 region_code=GRID_A, owner_unit="city", address="ZQXASSET 鲁谷路北侧")
    return {"place": place, "resident": resident, "staff": staff, "asset": asset}


def _volunteering(users, world) -> dict:
    community = users["community_a"]
    volunteer_user = make_user("vol-a", Role.RESIDENT)
    volunteer = volunteering.register_volunteer(
        actor=volunteer_user, name="贾秘密", id_number=make_id(502), phone="13900003333", region_code=COMM_A,
        consent=True, skills=["visit"], available_weekdays=list(range(7)))
    volunteering.verify_volunteer(actor=community, volunteer_id=volunteer.pk)
    team = volunteering.create_team(actor=community, name="ZQXTEAM", region_code=COMM_A)
    activity = volunteering.create_activity(actor=community, team_id=team.pk, title="ZQXACT 探访",
                                            place_name="社区服务站", target_groups=["empty_nest"])
    draft = volunteering.create_activity(actor=community, team_id=team.pk, title="ZQXDRAFT 未发布活动",
                                         place_name="社区服务站", target_groups=["empty_nest"])
    Activity.objects.filter(pk=draft.pk).update(published=False)  # a draft the organizer has not published
    now = timezone.now()
    shift = volunteering.add_shift(actor=community, activity_id=activity.pk, starts_at=now - timedelta(minutes=10),
                                   ends_at=now + timedelta(hours=2), capacity=3)
    signup = volunteering.sign_up(actor=volunteer_user, shift_id=shift.pk)
    shift = end_shift(shift)  # served: hours are confirmed only after a shift has ended
    record = volunteering.confirm_attendance(actor=community, signup_id=signup.pk)
    record = ServiceRecord.objects.get(pk=record.pk)
    correction = volunteering.request_correction(actor=volunteer_user, record_id=record.pk, minutes=30,
                                                 reason="ZQXREC 少记了半小时")
    certificate = volunteering.issue_certificate(actor=volunteer_user)
    shop_user = make_user("shop-a", Role.PARTNER_SHOP, "110107")
    shop = volunteering.register_shop(actor=community, username=shop_user.username, name="ZQXSHOP",
                                      region_code=COMM_A)
    today = timezone.localdate()
    offer = volunteering.create_offer(actor=shop_user, title="ZQXOFFER 洗衣液", points=1, stock=5,
                                      valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=9))
    help_request = volunteering.ask_for_help(actor=community, resident_id=world["resident"].pk, kind="visit",
                                             description="ZQXHELP 陪同就医", needed_at=now + timedelta(days=1))
    return {"volunteer": volunteer, "volunteer_user": volunteer_user, "team": team, "activity": activity,
            "draft": draft, "shift": shift, "signup": signup, "record": record, "correction": correction,
            "certificate": Certificate.objects.get(pk=certificate.pk), "shop": shop, "shop_user": shop_user,
            "offer": offer, "help_request": help_request}


def _servicecircle(users, regions, world) -> dict:
    category = Category.objects.order_by("code").first()
    facility = Facility.objects.create(category=category, name="ZQXFAC 卫生站", lon=IN_A[0], lat=IN_A[1],
                                       region_code=GRID_A)
    run = AnalysisRun.objects.create(region_code=COMM_A, status="done", walk_speed_m_s=1.2, snap_limit_m=150,
                                     categories=[{"code": category.code, "name": category.name, "level": category.level,
                                                  "walk_distance_m": category.walk_distance_m}],
                                     finished_at=timezone.now(), created_by=users["community_a"])
    PlaceResult.objects.create(run=run, place=world["place"], region_code=GRID_A, population=300,
                               distances={category.code: 100})
    CommunityResult.objects.create(run=run, community_code=COMM_A, name="ZQXREGION社区", population=300, places=1,
                                   covered={category.code: 300}, uncovered={category.code: 0})
    recommendation = Recommendation.objects.create(run=run, region_code=COMM_A, category=category, p=1,
                                                   status="done", created_by=users["community_a"])
    RecommendedSite.objects.create(recommendation=recommendation, rank=1, label="ZQXREC 建议点", lon=IN_A[0],
                                   lat=IN_A[1], gain=10)
    return {"facility": facility, "run": run, "recommendation": recommendation, "category": category,
            "community_b_code": COMM_B, "today": date.today()}


def _consultation(users, world) -> dict:
    """A topic, comment, meeting (with invitee and draft minutes), vote, resolution and honorary director of
    community A, none of them published: the public page must show none of them."""
    from civicgrid.consultation import services as consultation

    community = users["community_a"]
    voter = make_user("voter-a", Role.RESIDENT)
    consultation.verify_resident(actor=community, username=voter.username, resident_id=world["resident"].pk)
    topic = consultation.propose_topic(actor=voter, community=COMM_A, title="ZQXTOPIC 加装电梯",
                                       text="ZQXTOPIC 老楼没有电梯", place_ids=[world["place"].pk])
    comment = consultation.comment(actor=voter, topic_id=topic.pk, text="ZQXCOMMENT 同意")
    director = consultation.add_director(actor=community, community=COMM_A, name="ZQXDIR", affiliation="ZQXDIR",
                                         term_start=date(2025, 1, 1), term_end=date(2027, 12, 31))
    meeting = consultation.plan_meeting(actor=community, community=COMM_A, title="ZQXMEET 恳谈会",
                                        starts_at=timezone.now() + timedelta(days=2), place_id=world["place"].pk)
    invitee = consultation.invite(actor=community, meeting_id=meeting.pk, name="", party="director",
                                  director_id=director.pk)
    consultation.save_minutes(actor=community, meeting_id=meeting.pk, text="ZQXMINUTES 草稿")
    vote = consultation.open_vote(actor=community, community=COMM_A, question="ZQXVOTE 是否同意",
                                  closes_at=timezone.now() + timedelta(days=3), topic_id=topic.pk)
    resolution = consultation.adopt_resolution(actor=community, meeting_id=meeting.pk, topic_id=topic.pk,
                                               title="ZQXRESO 修门禁", owner="ZQXRESO 物业",
                                               due_on=date.today() + timedelta(days=30))
    return {"topic": topic, "comment": comment, "director": director, "meeting": meeting, "invitee": invitee,
            "vote": vote, "resolution": resolution, "voter": voter, "year": "=2026"}


def _communityaffairs(users, world) -> dict:
    """Community A's charter, room, course, a resident's booking, the window's handling record and an assessment.
    Not secret, by decision: the district's catalogue items and assessment templates (published to every
    community)."""
    from civicgrid.communityaffairs import services as affairs
    from tests.communityaffairs.conftest import next_slot

    community = users["community_a"]
    charter = affairs.save_charter(actor=community, community=COMM_A, body="party_org", duties="ZQXCHARTER 职能")
    affairs.set_post(actor=community, charter_id=charter.pk, title="书记", quota=1)
    room = affairs.add_room(actor=community, community=COMM_A, name="ZQXROOM 活动室", use="activity", area_m2="120")
    course = affairs.create_course(actor=community, region=COMM_A, title="ZQXCOURSE 培训", held_on=date.today(),
                                   hours="4")
    item = affairs.create_item(actor=users["district"], region="110107", code="SEC-1", name="居住证明开具",
                               who_may_apply="本社区居民", documents="身份证", steps="受理", time_limit_days=2,
                               fee="免费")
    booker = make_user("booker-a", Role.RESIDENT)
    appointment = affairs.book(actor=booker, community=COMM_A, item_id=item.pk, starts_at=next_slot(),
                               applicant="ZQXAPPT 申请人", phone="13700137000")
    handling = affairs.receive_walk_in(actor=community, community=COMM_A, item_id=item.pk,
                                       applicant="ZQXWINDOW 居民")
    template = affairs.create_template(actor=users["district"], name="六型社区评估", indicators_=[
        {"name": "党组织领导有力", "weight": 100, "evidence": "会议记录"}])
    assessment = affairs.start(actor=community, template_id=template.pk, community=COMM_A, year=date.today().year)
    indicator = assessment.scores.get().indicator_id
    affairs.self_assess(actor=community, assessment_id=assessment.pk,
                        scores={indicator: {"score": 90, "evidence": "ZQXEVIDENCE 会议记录"}})
    return {"charter": charter, "room": room, "course": course, "onestop_item": item, "appointment": appointment,
            "handling": handling, "assessment_template": template, "assessment": assessment, "booker": booker}
