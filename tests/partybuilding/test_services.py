"""Party building services: organizations, members and their services, enterprises, workstations, the "10+N"
list and chambers. Brand projects are in test_projects.py."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases.models import Case, Category, Channel, HandlingUnit, State
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.partybuilding import selectors, services
from civicgrid.partybuilding.errors import AlreadySignedUp, EventFull, PledgeExhausted, RecordAlreadyCounted, RoomTaken
from civicgrid.partybuilding.models import MemberService
from civicgrid.volunteering import services as volunteering
from civicgrid.volunteering.models import ServiceRecord
from tests.conftest import COMM_A, COMM_B, DISTRICT, GRID_A, GRID_B, SUB_A, make_user
from tests.partybuilding.conftest import credit_code, enterprise, later, resident, wrong_check
from tests.volunteering.conftest import end_shift

pytestmark = pytest.mark.django_db


# --- organizations -----------------------------------------------------------------------------------------

def test_organization_tree_with_partners(users, building):
    district = services.create_organization(actor=users["district"], name="区委社会工委", kind="district",
                                            region_code=DISTRICT)
    street = services.create_organization(actor=users["district"], name="鲁谷街道工委", kind="subdistrict",
                                          region_code=SUB_A, parent_id=district.pk)
    tower = services.create_organization(actor=users["community_a"], name="商务楼党支部", kind="building",
                                         building_id=building.pk, parent_id=street.pk, secretary="王书记")
    services.add_partner(actor=users["community_a"], organization_id=tower.pk, name="共建医院", pledge="义诊每月一次")
    assert tower.region_code == GRID_A
    ordered = [(depth, org.name) for depth, org in selectors.tree(selectors.organizations_for(actor=users["district"]))]
    assert ordered == [(0, "区委社会工委"), (1, "鲁谷街道工委"), (2, "商务楼党支部")]
    # the committees above a community are seen inside it; another subdistrict's are not
    assert [(d, o.name) for d, o in selectors.tree(selectors.organizations_for(actor=users["community_a"]))] == \
        ordered
    assert [(d, o.name) for d, o in selectors.tree(selectors.organizations_for(actor=users["community_b"]))] == \
        [(0, "区委社会工委")]
    assert AuditEvent.objects.filter(action="partybuilding.partner.add").count() == 1


def test_organization_rules(users, building):
    staff = users["community_a"]
    one = enterprise(staff)
    with pytest.raises(ValidationFailed) as error:
        services.create_organization(actor=staff, name="联合支部", kind="joint", region_code=COMM_A,
                                     covered_enterprise_ids=[one.pk])
    assert error.value.code == "joint_needs_enterprises"
    with pytest.raises(ValidationFailed) as error:
        services.create_organization(actor=staff, name="企业支部", kind="enterprise", region_code=COMM_A)
    assert error.value.code == "enterprise_required"
    services.create_organization(actor=staff, name="企业支部", kind="enterprise", enterprise_id=one.pk)
    with pytest.raises(ValidationFailed) as error:
        services.create_organization(actor=staff, name="又一个", kind="enterprise", enterprise_id=one.pk)
    assert error.value.code == "enterprise_has_organization"
    with pytest.raises(NotFound):  # another community's area does not exist for him
        services.create_organization(actor=staff, name="越界", kind="community", region_code=COMM_B)
    with pytest.raises(PermissionDenied):  # grid workers watch, they do not manage
        services.create_organization(actor=users["grid_a"], name="网格", kind="community", region_code=GRID_A)


# --- enterprises -------------------------------------------------------------------------------------------

def test_credit_code_with_a_wrong_check_character_is_refused_in_chinese(users):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as error:
        services.register_enterprise(actor=users["community_a"], name="错码公司",
                                     credit_code=wrong_check(credit_code(5)), size="small", region_code=GRID_A)
    assert error.value.code == "credit_code_invalid" and error.value.field == "credit_code"
    assert "校验" in str(error.value.message)
    made = services.register_enterprise(actor=users["community_a"], name="正码公司",
                                        credit_code=credit_code(5).lower(), size="small", region_code=GRID_A)
    assert made.credit_code == credit_code(5)
    with pytest.raises(ValidationFailed) as error:
        services.register_enterprise(actor=users["community_a"], name="重复", credit_code=credit_code(5), size="small",
                                     region_code=GRID_A)
    assert error.value.code == "credit_code_registered"


def test_enterprise_outside_a_building_is_placed_in_a_grid_and_buildings_are_office_buildings(users, compound):
    with pytest.raises(ValidationFailed) as error:
        services.register_enterprise(actor=users["community_a"], name="社区公司", credit_code=credit_code(9),
                                     size="micro", region_code=COMM_A)
    assert error.value.code == "grid_required"
    with pytest.raises(ValidationFailed) as error:
        services.register_building(actor=users["community_a"], place_id=compound.pk, floors=6)
    assert error.value.code == "not_an_office_building"


# --- members -----------------------------------------------------------------------------------------------

def _confirmed_record(users, person, minutes_ago=5) -> ServiceRecord:
    """A confirmed volunteering record of the resident (the volunteer registers with the same ID number)."""
    from civicgrid.core.encrypted import unseal

    community = users["community_a"]
    user = make_user(f"vol-{person.pk}", Role.RESIDENT)
    volunteer = volunteering.register_volunteer(actor=user, name=person.name, id_number=unseal(person, "id_number"),
                                                phone="13800001234", region_code=COMM_A, consent=True,
                                                skills=["visit"], available_weekdays=list(range(7)))
    volunteering.verify_volunteer(actor=community, volunteer_id=volunteer.pk)
    team = volunteering.create_team(actor=community, name="党员先锋队", region_code=COMM_A)
    activity = volunteering.create_activity(actor=community, team_id=team.pk, title="探访", place_name="服务站",
                                            target_groups=["empty_nest"])
    now = timezone.now()
    shift = volunteering.add_shift(actor=community, activity_id=activity.pk, starts_at=now - timedelta(minutes=10),
                                   ends_at=now + timedelta(hours=2), capacity=3)
    signup = volunteering.sign_up(actor=user, shift_id=shift.pk)
    end_shift(shift)
    record = volunteering.confirm_attendance(actor=community, signup_id=signup.pk)
    return ServiceRecord.objects.get(pk=record.pk)


@pytest.fixture
def branch(users):
    return services.create_organization(actor=users["community_a"], name="社区党委", kind="community",
                                        region_code=COMM_A)


def test_member_reports_to_the_community_and_serves_a_grid_of_it(users, compound, branch):
    person = resident(users["community_a"], compound)
    member = services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk,
                                      employed=True)
    with pytest.raises(ValidationFailed) as error:
        services.report_to_community(actor=users["community_a"], member_id=member.pk, reported_on=date.today(),
                                     grid_code=GRID_B)
    assert error.value.code == "grid_outside"
    member = services.report_to_community(actor=users["community_a"], member_id=member.pk,
                                          reported_on=date.today(), grid_code=GRID_A)
    assert member.grid.code == GRID_A
    with pytest.raises(ValidationFailed) as error:
        services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk)
    assert error.value.code == "already_member"
    with pytest.raises(NotFound):
        selectors.get_member(actor=users["community_b"], member_id=member.pk)
    assert str(member) == "党**"  # masked wherever the member is named


def test_volunteering_record_is_linked_once_and_counted_once(users, compound, branch):
    person = resident(users["community_a"], compound)
    member = services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk)
    record = _confirmed_record(users, person)
    services.record_service(actor=users["community_a"], member_id=member.pk, service_date=date.today(),
                            content="楼门值守", minutes=45)
    services.link_volunteer_record(actor=users["community_a"], member_id=member.pk, record_id=record.pk)
    with pytest.raises(RecordAlreadyCounted):
        services.link_volunteer_record(actor=users["community_a"], member_id=member.pk, record_id=record.pk)
    member.refresh_from_db()
    assert member.volunteer_id == record.volunteer_id
    assert selectors.service_minutes(member) == 45 + record.minutes
    listed = selectors.get_member(actor=users["community_a"], member_id=member.pk)
    assert listed.minutes_served == 45 + record.minutes
    linked = MemberService.objects.get(volunteer_record=record)
    assert linked.minutes is None and linked.content == ""  # linked, not copied


def test_only_the_members_own_confirmed_record_can_be_linked(users, compound, branch):
    person, other = resident(users["community_a"], compound), resident(users["community_a"], compound, "居民乙")
    member = services.register_member(actor=users["community_a"], resident_id=person.pk, organization_id=branch.pk)
    record = _confirmed_record(users, other)
    with pytest.raises(ValidationFailed) as error:
        services.link_volunteer_record(actor=users["community_a"], member_id=member.pk, record_id=record.pk)
    assert error.value.code == "not_members_record"


# --- workstations ------------------------------------------------------------------------------------------

def test_overlapping_booking_is_refused_adjacent_one_is_not(users, room):
    staff = users["community_a"]
    first = services.book_room(actor=staff, room_id=room.pk, starts_at=later(2), ends_at=later(4), purpose="党课")
    with pytest.raises(RoomTaken) as error:
        services.book_room(actor=staff, room_id=room.pk, starts_at=later(3), ends_at=later(5), purpose="读书会")
    assert error.value.status == 409 and error.value.code == "room_taken"
    services.book_room(actor=staff, room_id=room.pk, starts_at=first.ends_at, ends_at=later(6), purpose="读书会")
    services.cancel_booking(actor=staff, booking_id=first.pk)
    services.book_room(actor=staff, room_id=room.pk, starts_at=later(2), ends_at=later(3), purpose="补订")
    with pytest.raises(ValidationFailed) as error:
        services.book_room(actor=staff, room_id=room.pk, starts_at=later(8), ends_at=later(7), purpose="倒序")
    assert error.value.code == "invalid_span"
    with pytest.raises(NotFound):
        services.book_room(actor=users["community_b"], room_id=room.pk, starts_at=later(9), ends_at=later(10),
                           purpose="越界")


def test_event_sign_up_until_full(users, station, building):
    event = services.create_event(actor=users["community_a"], workstation_id=station.pk, title="白领联谊",
                                  starts_at=later(48), capacity=2)
    tenant = enterprise(users["community_a"], building=building)
    services.sign_up(actor=users["community_a"], event_id=event.pk, name="张三", enterprise_id=tenant.pk)
    with pytest.raises(AlreadySignedUp):
        services.sign_up(actor=users["community_a"], event_id=event.pk, name="张三", enterprise_id=tenant.pk)
    services.sign_up(actor=users["community_a"], event_id=event.pk, name="李四", enterprise_id=tenant.pk)
    with pytest.raises(EventFull):
        services.sign_up(actor=users["community_a"], event_id=event.pk, name="王五", enterprise_id=tenant.pk)
    outsider = enterprise(users["community_a"])
    with pytest.raises(ValidationFailed) as error:
        services.sign_up(actor=users["community_a"], event_id=event.pk, name="赵六", enterprise_id=outsider.pk)
    assert error.value.code == "not_a_tenant"
    with pytest.raises(NotFound):
        services.sign_up(actor=users["community_b"], event_id=event.pk, name="钱七", enterprise_id=tenant.pk)


def test_company_request_becomes_a_case_dispatched_to_the_routed_unit(users, station, building):
    tenant = enterprise(users["community_a"], building=building, name="星光科技")
    category = Category.objects.filter(parent__isnull=False, active=True).exclude(default_unit=None).first() \
        or Category.objects.filter(parent__isnull=False, parent__default_unit__isnull=False).first()
    made = services.file_request(actor=users["community_a"], workstation_id=station.pk, enterprise_id=tenant.pk,
                                 description="楼前路灯不亮，员工夜间下班不安全", category_id=category.pk)
    case = Case.objects.get(pk=made.case_id)
    assert case.channel == Channel.BUILDING and case.state == State.DISPATCHED
    assert case.region_code == GRID_A and "星光科技" in case.description
    expected = category.default_unit or category.parent.default_unit
    assert case.unit == expected and isinstance(case.unit, HandlingUnit)
    record = selectors.annual_record(actor=users["community_a"], building_id=building.pk, year=date.today().year)
    assert (record.requests, record.cases_closed, record.tenants) == (1, 0, 1)
    outsider = enterprise(users["community_a"], name="楼外公司")
    with pytest.raises(ValidationFailed) as error:
        services.file_request(actor=users["community_a"], workstation_id=station.pk, enterprise_id=outsider.pk,
                              description="不是租户", category_id=category.pk)
    assert error.value.code == "not_a_tenant"


def test_annual_record_counts_the_years_events_signups_and_booked_hours(users, room, station, building):
    staff = users["community_a"]
    services.book_room(actor=staff, room_id=room.pk, starts_at=later(1), ends_at=later(3.5), purpose="培训")
    services.book_room(actor=staff, room_id=room.pk, starts_at=later(4), ends_at=later(5), purpose="沙龙")
    event = services.create_event(actor=staff, workstation_id=station.pk, title="青年沙龙", starts_at=later(1),
                                  capacity=5)
    services.sign_up(actor=staff, event_id=event.pk, name="孙八",
                     enterprise_id=enterprise(staff, building=building).pk)
    year = timezone.localtime(later(1)).year
    record = selectors.annual_record(actor=staff, building_id=building.pk, year=year)
    assert (record.events, record.signups, record.bookings, record.booked_hours) == (1, 1, 2, 3.5)


def test_workstation_stations_must_be_known(users, building):
    with pytest.raises(ValidationFailed) as error:
        services.open_workstation(actor=users["community_a"], building_id=building.pk, name="站", stations=["chess"])
    assert error.value.code == "invalid_stations"


# --- the "10+N" list and chambers ----------------------------------------------------------------------------

def test_pledge_uses_never_exceed_the_pledge(users, building):
    model_firm = enterprise(users["community_a"], building=building, employees=120)
    model = services.name_model_enterprise(actor=users["district"], enterprise_id=model_firm.pk, year=2026, rank=1)
    pledge = services.add_pledge(actor=users["district"], model_id=model.pk, unit="联动单位甲", kind="room",
                                 description="会议室", amount=10)
    services.record_use(actor=users["community_a"], pledge_id=pledge.pk, used_on=date.today(), used_by="社区党委",
                        purpose="党课", amount=6)
    with pytest.raises(PledgeExhausted) as error:
        services.record_use(actor=users["community_a"], pledge_id=pledge.pk, used_on=date.today(), used_by="社区党委",
                            purpose="再用", amount=5)
    assert error.value.details == [{"remaining": 4}]
    services.record_use(actor=users["community_a"], pledge_id=pledge.pk, used_on=date.today(), used_by="社区党委",
                        purpose="用完", amount=4)


def test_ten_model_enterprises_a_year_each_rank_once(users, building):
    firms = [enterprise(users["community_a"], building=building) for _ in range(2)]
    services.name_model_enterprise(actor=users["district"], enterprise_id=firms[0].pk, year=2026, rank=1)
    with pytest.raises(ValidationFailed) as error:
        services.name_model_enterprise(actor=users["district"], enterprise_id=firms[1].pk, year=2026, rank=1)
    assert error.value.code == "rank_taken"
    with pytest.raises(ValidationFailed) as error:
        services.name_model_enterprise(actor=users["district"], enterprise_id=firms[1].pk, year=2026, rank=11)
    assert error.value.code == "number_out_of_range"
    with pytest.raises(PermissionDenied):
        services.name_model_enterprise(actor=users["community_a"], enterprise_id=firms[1].pk, year=2026, rank=2)


def test_chamber_of_its_buildings_tenants_with_an_optional_credit_code(users, building):
    tenant = enterprise(users["community_a"], building=building)
    elsewhere = enterprise(users["community_a"])
    with pytest.raises(ValidationFailed) as error:
        services.create_chamber(actor=users["community_a"], name="楼宇商会", building_ids=[building.pk],
                                enterprise_ids=[elsewhere.pk])
    assert error.value.code == "not_a_tenant"
    with pytest.raises(ValidationFailed) as error:
        services.create_chamber(actor=users["community_a"], name="楼宇商会", building_ids=[building.pk],
                                credit_code=wrong_check(credit_code(77)))
    assert error.value.code == "credit_code_invalid"
    chamber = services.create_chamber(actor=users["community_a"], name="楼宇商会", building_ids=[building.pk],
                                      enterprise_ids=[tenant.pk])
    services.add_chamber_activity(actor=users["community_a"], chamber_id=chamber.pk, title="商会成立大会",
                                  held_on=date.today())
    assert chamber.region_code == COMM_A and chamber.credit_code == ""
    assert list(selectors.chambers_for(actor=users["community_b"])) == []
