"""Hub organizations: one designated hub per field and subdistrict (service and database), members with dates,
joint activities only with members of the day, and the members' figures the hub sees."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.organizations import selectors, services
from civicgrid.organizations.errors import HubAlreadyDesignated, WrongState
from civicgrid.organizations.models import Hub
from tests.conftest import SUB_A, SUB_B
from tests.organizations.conftest import make_account

pytestmark = pytest.mark.django_db


def _designate(actor, org, *, field="elderly", sub=SUB_A):
    return services.designate_hub(actor=actor, organization_id=org.pk, subdistrict_code=sub, field=field,
                                  designated_on=date(2025, 3, 1))


def test_one_designated_hub_per_field_and_subdistrict(users, org, sub_org):
    hub = _designate(users["sub_a"], sub_org)
    with pytest.raises(HubAlreadyDesignated) as refused:
        _designate(users["district"], org)
    assert refused.value.code == "hub_already_designated"
    _designate(users["district"], org, field="disability")  # another field: fine
    services.end_designation(actor=users["sub_a"], hub_id=hub.pk, ended_on="2026-01-01", reason="换届")
    assert _designate(users["district"], org).designated  # the field is free again


def test_the_database_refuses_a_second_designated_hub(users, org, sub_org):
    hub = _designate(users["sub_a"], sub_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hub.objects.create(organization=org, subdistrict=hub.subdistrict, field="elderly", designated=True,
                           designated_on=date(2025, 1, 1))


def test_designation_needs_the_subdistrict_office(users, org, sub_org, org_user):
    with pytest.raises(NotFound):
        _designate(users["sub_a"], org, sub=SUB_B)
    with pytest.raises(PermissionDenied):
        _designate(org_user, org)
    with pytest.raises(ValidationFailed):
        _designate(users["sub_a"], sub_org, sub="110107001003")  # a community is not a subdistrict


def test_members_activities_and_figures(users, org, sub_org, filed_org, org_user):
    hub = _designate(users["district"], org)  # the hub organization (org_user is its account)
    member = services.add_member(actor=org_user, hub_id=hub.pk, member_id=sub_org.pk, joined_on="2025-04-01")
    services.add_member(actor=users["sub_a"], hub_id=hub.pk, member_id=filed_org.pk, joined_on="2025-06-01")
    with pytest.raises(ValidationFailed):
        services.add_member(actor=org_user, hub_id=hub.pk, member_id=sub_org.pk, joined_on="2025-05-01")
    with pytest.raises(ValidationFailed):
        services.add_member(actor=org_user, hub_id=hub.pk, member_id=org.pk, joined_on="2025-05-01")
    with pytest.raises(ValidationFailed):  # filed_org was not a member yet on that day
        services.record_joint_activity(actor=org_user, hub_id=hub.pk, title="重阳敬老", held_on="2025-05-10",
                                       member_ids=[sub_org.pk, filed_org.pk])
    today = date.today().isoformat()
    services.record_joint_activity(actor=org_user, hub_id=hub.pk, title="重阳敬老", held_on=today,
                                   member_ids=[sub_org.pk, filed_org.pk], participants=80, volunteer_hours=60)
    sub_user = make_account(sub_org, "org-sub")
    services.add_project(actor=sub_user, organization_id=sub_org.pk, title="老年食堂", field="elderly",
                         starts_on="2025-01-01", status="running", beneficiaries=120, service_hours=300)
    rows = {row["member"].pk: row for row in selectors.member_figures(hub=hub)}
    assert rows[sub_org.pk]["joint"] == 1 and rows[sub_org.pk]["projects"] == 1
    assert rows[sub_org.pk]["served"] == 120 and rows[filed_org.pk]["joint"] == 1
    assert selectors.can_see_member_figures(org_user, hub) and selectors.can_see_member_figures(users["sub_a"], hub)
    assert not selectors.can_see_member_figures(sub_user, hub)  # a member sees the hub, not the others' figures
    assert selectors.hub_detail(actor=sub_user, hub_id=hub.pk) == hub
    with pytest.raises(NotFound):
        selectors.hub_detail(actor=users["community_b"], hub_id=hub.pk)
    services.end_membership(actor=org_user, membership_id=member.pk, left_on=today)
    with pytest.raises(WrongState):
        services.end_membership(actor=org_user, membership_id=member.pk, left_on=today)


def test_the_hub_organization_cannot_end_its_own_designation(users, org, org_user):
    hub = _designate(users["district"], org)
    with pytest.raises(PermissionDenied):
        services.end_designation(actor=org_user, hub_id=hub.pk, ended_on="2026-01-01", reason="想退出")
    assert Hub.objects.managed_by(users["community_b"]).count() == 0
