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
           "ZQXTOPIC", "ZQXCOMMENT", "ZQXMEET", "ZQXVOTE", "ZQXRESO", "ZQXDIR", "ZQXMINUTES", "ZQXASSET", "ZQXORG",
           "ZQXPARTY", "ZQXCOMMIT", "ZQXFIRM", "ZQXSTATION", "ZQXBOOK", "ZQXEVENT", "ZQXREQ", "ZQXPLEDGE", "ZQXCHAMBER",
           "ZQXBRAND", "ZQXEVIDENCE", "ZQXPURCHASE", "ZQXBID", "ZQXREPORT", "ZQXCHANGE",
           "ZQXCHARTER", "ZQXROOM", "ZQXCOURSE", "ZQXAPPT", "ZQXWINDOW", "ZQXCERT")
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
    world.update(_organizations(users))
    world.update(_partybuilding(users, regions, world))
    world.update(_cockpit(regions))
    world.update(_procurement(users))
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


def _organizations(users) -> dict:
    """Community A's social organizations: a filed one with its account, report, staff and project; subdistrict A's
    hub, incubation cohort (with an admitted organization, a service and a milestone) and training session."""
    from civicgrid.organizations import services as orgs
    from civicgrid.organizations.models import OrgAccount

    community, subdistrict = users["community_a"], users["sub_a"]

    def filed(name):
        return orgs.register_organization(
            actor=community, name=name, kind="community_service", field="elderly", registration="filed",
            registration_authority="鲁谷街道办事处", registered_on=date(2024, 5, 1), region_code=COMM_A,
            rep_name="甄秘密", rep_phone="13900004444", business_scope="ZQXORG 为老服务")

    org, member = filed("ZQXORG 银发互助会"), filed("ZQXORG 邻里合唱团")
    org_user = make_user("org-zqx", Role.SOCIAL_ORG, display_name="互助会联络人")
    OrgAccount.objects.create(organization=org, user=org_user, is_admin=True)
    report = orgs.submit_annual_report(actor=org_user, organization_id=org.pk, year=date.today().year - 1,
                                       summary="ZQXORG 年度总结")
    staff = orgs.add_staff(actor=org_user, organization_id=org.pk, name="ZQXORG 社工", phone="13900005555")
    project = orgs.add_project(actor=org_user, organization_id=org.pk, title="ZQXORG 助餐项目", field="elderly",
                               starts_on=date(2025, 1, 1))
    hub = orgs.designate_hub(actor=subdistrict, organization_id=org.pk, subdistrict_code=COMM_A[:9],
                             field="elderly", designated_on=date(2025, 1, 1))
    membership = orgs.add_member(actor=subdistrict, hub_id=hub.pk, member_id=member.pk, joined_on=date(2025, 2, 1))
    orgs.record_joint_activity(actor=org_user, hub_id=hub.pk, title="ZQXORG 联合义诊", held_on=date.today(),
                               member_ids=[member.pk])
    template = orgs.create_template(actor=subdistrict, name="能力评估模板（参考数据，全区共用）", indicators=[
        {"code": "governance", "name": "内部治理", "weight": 1, "max_score": 10}])
    cohort = orgs.create_cohort(actor=subdistrict, name="ZQXORG 第一期", region_code=COMM_A[:9],
                                starts_on=date.today(), ends_on=date.today() + timedelta(days=700),
                                template_id=template.pk)
    application = orgs.apply(actor=org_user, cohort_id=cohort.pk, needs="ZQXORG 需要财务辅导")
    orgs.decide_application(actor=subdistrict, application_id=application.pk, admit=True)
    application.refresh_from_db()
    incubation = application.incubation
    orgs.log_service(actor=subdistrict, incubation_id=incubation.pk, kind="consulting", delivered_on=date.today(),
                     hours=2, note="ZQXORG 咨询")
    milestone = orgs.add_milestone(actor=subdistrict, incubation_id=incubation.pk, title="ZQXORG 建章立制",
                                   due_on=date.today() + timedelta(days=30))
    now = timezone.now()
    session = orgs.create_session(actor=subdistrict, title="ZQXORG 培训", region_code=COMM_A[:9], starts_at=now,
                                  ends_at=now + timedelta(hours=2))
    return {"org": org, "member_org": member, "org_user": org_user, "report": report, "org_staff": staff,
            "project": project, "hub": hub, "membership": membership, "cohort": cohort, "application": application,
            "incubation": incubation, "milestone": milestone, "session": session}
def _partybuilding(users, regions, world) -> dict:
    """An office building of community A with a tenant, its party organization and a member (the register's
    resident), a workstation with a room, a booking, an event with a sign-up and a company request turned case, a
    model enterprise's pledge, a chamber, and a brand project with a report and an evidence file, not promoted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicgrid.partybuilding import services as party
    from tests.partybuilding.conftest import credit_code

    community, district = users["community_a"], users["district"]
    office = Place.objects.create(name="ZQXPLACE商务楼", kind=PlaceKind.OFFICE_BUILDING, grid=regions["grid_a"],
                                  lon=IN_A[0], lat=IN_A[1])
    building = party.register_building(actor=community, place_id=office.pk, floors=12)
    firm = party.register_enterprise(actor=community, name="ZQXFIRM科技", credit_code=credit_code(4242),
                                     size="small", building_id=building.pk, employees=80)
    organization = party.create_organization(actor=community, name="ZQXPARTY党支部", kind="enterprise",
                                             enterprise_id=firm.pk)
    party.add_partner(actor=community, organization_id=organization.pk, name="ZQXPARTY共建单位")
    member = party.register_member(actor=community, resident_id=world["resident"].pk, organization_id=organization.pk)
    commitment = party.add_commitment(actor=community, member_id=member.pk, year=2026, text_="ZQXCOMMIT 值守")
    station = party.open_workstation(actor=community, building_id=building.pk, name="ZQXSTATION工作站",
                                     stations=["party", "union"])
    room = party.add_room(actor=community, workstation_id=station.pk, name="ZQXSTATION白领之家", capacity=10)
    station_staff = party.add_staff(actor=community, workstation_id=station.pk, name="ZQXSTATION干事", station="party")
    now = timezone.now()
    party.book_room(actor=community, room_id=room.pk, starts_at=now + timedelta(hours=1),
                    ends_at=now + timedelta(hours=2), purpose="ZQXBOOK 党课")
    event = party.create_event(actor=community, workstation_id=station.pk, title="ZQXEVENT 联谊",
                               starts_at=now + timedelta(days=2), capacity=5)
    event_signup = party.sign_up(actor=community, event_id=event.pk, name="甄秘密", enterprise_id=firm.pk)
    party.file_request(actor=community, workstation_id=station.pk, enterprise_id=firm.pk,
                       description="ZQXREQ 楼前路灯不亮", category_id=CaseCategory.objects.get(code="0101").pk)
    model = party.name_model_enterprise(actor=district, enterprise_id=firm.pk, year=2026, rank=1)
    pledge = party.add_pledge(actor=district, model_id=model.pk, unit="ZQXPLEDGE单位", kind="room",
                              description="ZQXPLEDGE 会议室", amount=10)
    chamber = party.create_chamber(actor=community, name="ZQXCHAMBER商会", building_ids=[building.pk],
                                   enterprise_ids=[firm.pk])
    today = date.today()
    project = party.register_project(actor=community, community=COMM_A, title="ZQXBRAND 红色议事厅",
                                     goal="ZQXBRAND 目标", indicators=[{"name": "ZQXBRAND", "target": "12"}],
                                     budget=1000, owner="ZQXBRAND", starts_on=today - timedelta(days=10),
                                     ends_on=today + timedelta(days=100),
                                     milestones=[{"title": "ZQXBRAND 节点", "due_on": today + timedelta(days=5)}])
    report = party.report_progress(actor=community, project_id=project.pk, text_="ZQXBRAND 进展", files=[
        SimpleUploadedFile("ZQXEVIDENCE.pdf", b"%PDF ZQXEVIDENCE", content_type="application/pdf")])
    return {"building": building, "firm": firm, "party_member": member, "station": station, "room": room,
            "event": event, "pledge": pledge, "brand_project": project, "brand_milestone": project.milestones.first(),
            "evidence": report.evidence.first(), "commitment": commitment,
            "chamber": chamber, "model_enterprise": model,
            "station_staff": station_staff, "event_signup": event_signup}
def _cockpit(regions) -> dict:
    """Subdistrict A's monthly report (its figures include community A's cases) and a target for community A."""
    from civicgrid.cockpit import services as cockpit
    from civicgrid.cockpit.models import Target

    Target.objects.create(kpi="response_rate", region_code=regions["community_a"].code, value=0.9)
    report = cockpit.generate_monthly_report(region=regions["sub_a"], month=date.today().replace(day=1))
    return {"cockpit_report": report}
def _procurement(users) -> dict:
    """Community A's own purchase of services: a draft (never published) and a contracted one whose call, award
    and contract are public by design; its bid, reports, evidence and change requests are not."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicgrid.procurement import services as procurement
    from tests.procurement.conftest import make_org, seed_reference

    community = users["community_a"]
    item = seed_reference()
    line = procurement.add_budget_line(actor=community, region_code=COMM_A, year=date.today().year,
                                       department="社区经费", amount="100000")
    draft = procurement.start_purchase(actor=community, budget_line_id=line.pk, item_id=item.pk, ceiling="1000",
                                       title="ZQXPURCHASE 草稿", description="ZQXPURCHASE 未公开")
    org = make_org("社区助老社", serial=77, username="org-world")
    reviewer = make_user("expert-world", Role.COMMUNITY, COMM_A)
    bought = procurement.start_purchase(actor=community, budget_line_id=line.pk, item_id=item.pk,
                                        ceiling="50000", title="社区助餐", description="为老人送餐")
    procurement.publish_call(actor=community, purchase_id=bought.pk, call_text="征集助餐服务",
                             bid_deadline=date.today() + timedelta(days=5), criteria=[("方案", 100)])
    bid = procurement.submit_bid(actor=org.user, purchase_id=bought.pk, amount="40000", proposal="ZQXBID 方案")
    procurement.add_reviewer(actor=community, purchase_id=bought.pk, username=reviewer.username)
    procurement.close_call(actor=community, purchase_id=bought.pk)
    procurement.award(actor=community, purchase_id=bought.pk, bid_id=bid.pk, reason="方案可行")
    today = date.today()
    contract = procurement.sign_contract(actor=community, purchase_id=bought.pk, starts_on=today,
                                         ends_on=today + timedelta(days=200), deliverables="每日送餐",
                                         kpis=[{"name": "人次", "target": "100"}],
                                         instalments=[("40000", today)], milestones=[("首月", today)])
    report = procurement.submit_report(actor=org.user, contract_id=contract.pk, text="ZQXREPORT 首月送餐",
                                       beneficiaries=20, service_hours="50",
                                       files=[SimpleUploadedFile("ZQXREPORT.pdf", b"%PDF-1.4 ZQXREPORT")])
    change = procurement.request_change(actor=org.user, contract_id=contract.pk, reason="ZQXCHANGE 延期",
                                        new_deliverables="ZQXCHANGE 每周送餐")
    return {"proc_draft": draft, "proc_purchase": bought, "proc_bid": bid, "proc_contract": contract,
            "proc_milestone": contract.milestones.get(), "proc_instalment": contract.instalments.get(),
            "proc_evidence": report.evidence.get(), "proc_change": change, "proc_line": line,
            "org_user": org.user, "proc_reviewer": reviewer}
def _communityaffairs(users, world) -> dict:
    """Community A's charter, room, course, a resident's booking, the window's handling record and an assessment.
    Not secret, by decision: the district's catalogue items and assessment templates (published to every
    community)."""
    from civicgrid.communityaffairs import services as affairs
    from tests.communityaffairs.conftest import next_slot

    community = users["community_a"]
    charter = affairs.save_charter(actor=community, community=COMM_A, body="party_org", duties="ZQXCHARTER 职能")
    post = affairs.set_post(actor=community, charter_id=charter.pk, title="书记", quota=1)
    qualification = affairs.add_qualification(actor=community, staff_id=world["staff"].pk, level="assistant",
                                              certificate_no="ZQXCERT0001", issued_on=date(2020, 6, 1))
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
    return {"charter": charter, "ca_post": post, "ca_qualification": qualification, "ca_room": room,
            "course": course, "onestop_item": item, "appointment": appointment,
            "handling": handling, "assessment_template": template, "assessment": assessment, "booker": booker}
