"""Every ModelAdmin writes through the audited services: a change made in the Django admin leaves exactly one
audit event with the before/after of what changed. A new ModelAdmin without `AuditedAdmin` fails here."""

import json
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms import CheckboxInput, MultiWidget
from django.utils import timezone

from civicgrid.accounts.models import ApiToken, Role
from civicgrid.assets.models import Asset
from civicgrid.cases.models import Category, HandlingUnit, Open311Client, RoutingRule
from civicgrid.cockpit.models import Target
from civicgrid.communityaffairs.models import AssessmentTemplate, ServiceItem, Standard
from civicgrid.consultation.models import CommunitySettings, HonoraryDirector
from civicgrid.core.admin import AuditedAdmin
from civicgrid.core.models import AuditEvent, CalendarOverride
from civicgrid.organizations.models import Indicator, IndicatorTemplate
from civicgrid.partybuilding.models import Chamber, Enterprise, Partner, PartyOrganization
from civicgrid.procurement.models import CatalogueItem
from civicgrid.procurement.models import Indicator as EvaluationIndicator
from civicgrid.servicecircle import models as circle
from civicgrid.volunteering.models import Offer, Shop, Team
from tests.conftest import COMM_A, GRID_A, make_user
from tests.partybuilding.conftest import credit_code

pytestmark = pytest.mark.django_db


def _case_category():
    return Category.objects.create(code="9901", name="测试类别")


def _unit():
    return HandlingUnit.objects.create(code="cg9", name="测试城管")


def _shop():
    return Shop.objects.create(name="便民超市", user=make_user("shop-1", Role.PARTNER_SHOP), region_code=COMM_A)


def _circle_category():
    return circle.Category.objects.create(code="clinic", name="卫生服务站", level="15min", walk_distance_m=1000)


def _party_organization():
    return PartyOrganization.objects.create(name="社区党委", kind="community", region_code=COMM_A)


def _attempt(model, **extra):
    return model.objects.create(user_agent="ua", ip_address="10.0.0.1", username="grid-1", http_accept="*/*",
                                path_info="/accounts/login/", **extra)


# model label -> (how to make one, what the admin changes: {field: new value}, or "delete" for read-only records)
SPECS = {
    "communityaffairs.standard": (lambda: Standard.objects.create(key="training_hours", value=40, source="区社工委"),
                                  {"source": "区社工委（2026年修订）"}),
    "communityaffairs.serviceitem": (lambda: ServiceItem.objects.create(
        region_code="110107", code="A-001", name="居住证明开具", who_may_apply="本社区居民", documents="身份证",
        steps="受理", time_limit_days=2, fee="免费"), {"time_limit_days": 3}),
    "communityaffairs.assessmenttemplate": (lambda: AssessmentTemplate.objects.create(region_code="110107",
                                                                                      name="六型社区评估"),
                                            {"name": "六型社区评估（2026年版）"}),
    "core.calendaroverride": (lambda: CalendarOverride.objects.create(date=date(2030, 1, 2), is_workday=False),
                              {"note": "调休"}),
    "core.auditevent": (None, None),  # append-only: no change, no delete (tests/core/test_audit_admin.py)
    "notifications.message": (None, None),  # the outbox: read-only, dead letters requeued through the service
    "accounts.user": (lambda: make_user("grid-9", Role.GRID, COMM_A + "001"), {"role": Role.COMMUNITY}),
    "auth.group": (lambda: Group.objects.create(name="督办"), {"name": "督办组"}),
    "accounts.apitoken": (lambda: ApiToken.objects.create(user=make_user("api-1", Role.DISTRICT), name="etl",
                                                          prefix="cg_abcde", key_hash="f" * 64), "revoke"),
    "axes.accessattempt": (lambda: _attempt(AccessAttempt, get_data="", post_data="", failures_since_start=5),
                           "delete"),
    "axes.accesslog": (lambda: _attempt(AccessLog), "delete"),
    "axes.accessfailurelog": (lambda: _attempt(AccessFailureLog), "delete"),
    "assets.asset": (lambda: Asset.objects.create(code="1101070118000001", kind="0118", lon=116.155, lat=39.905,
                                                  region_code=COMM_A + "001"), {"name": "鲁谷路路灯"}),
    "cases.category": (_case_category, {"name": "测试类别二"}),
    "cases.handlingunit": (_unit, {"name": "城管执法队"}),
    "cases.routingrule": (lambda: RoutingRule.objects.create(category=_case_category(), region_prefix="110107",
                                                             unit=_unit()),
                          {"region_prefix": "110107001"}),
    "cases.open311client": (lambda: Open311Client.objects.create(name="city app", prefix="abcdefgh",
                                                                 key_hash="e" * 64), {"name": "市民热线 App"}),
    "volunteering.team": (lambda: Team.objects.create(name="银龄队", kind="community", region_code=COMM_A),
                          {"name": "银龄志愿服务队"}),
    "volunteering.shop": (_shop, {"name": "便民超市（八角店）"}),
    "volunteering.offer": (lambda: Offer.objects.create(shop=_shop(), title="理发", points=10, stock=5,
                                                        valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31)),
                           {"title": "理发一次"}),
    "cockpit.target": (lambda: Target.objects.create(kpi="response_rate", region_code="110107001", value=0.9),
                       {"value": 0.95}),
    "consultation.communitysettings": (lambda: CommunitySettings.objects.create(region_code=COMM_A),
                                       {"support_threshold": 30}),
    "consultation.honorarydirector": (lambda: HonoraryDirector.objects.create(
        region_code=COMM_A, name="王主任", term_start=date(2025, 1, 1), term_end=date(2027, 12, 31)),
        {"affiliation": "区医院"}),
    "procurement.catalogueitem": (lambda: CatalogueItem.objects.create(code="A0199", name="助老服务",
                                                                       field="elderly"), {"priority": True}),
    "procurement.indicator": (lambda: EvaluationIndicator.objects.create(code="out9", name="服务数量",
                                                                         dimension="output", weight=20),
                              {"weight": 25}),
    "organizations.indicatortemplate": (lambda: IndicatorTemplate.objects.create(name="能力评估（试行）"),
                                        {"description": "2026年修订"}),
    "organizations.indicator": (lambda: Indicator.objects.create(
        template=IndicatorTemplate.objects.create(name="能力评估"), code="governance", name="内部治理", weight=3),
        {"max_score": 20}),
    "servicecircle.category": (_circle_category, {"walk_distance_m": 800}),
    "servicecircle.facility": (lambda: circle.Facility.objects.create(category=_circle_category(), name="站点",
                                                                      region_code=COMM_A, lon=116.16, lat=39.91),
                               {"name": "八角社区卫生服务站"}),
    "partybuilding.partyorganization": (_party_organization, {"secretary": "王书记"}),
    "partybuilding.partner": (lambda: Partner.objects.create(organization=_party_organization(), name="区医院"),
                              {"pledge": "每月义诊一次"}),
    "partybuilding.enterprise": (lambda: Enterprise.objects.create(name="星光科技", credit_code=credit_code(8801),
                                                                   size="small", region_code=GRID_A),
                                 {"employees": 60}),
    "partybuilding.chamber": (lambda: Chamber.objects.create(name="楼宇商会", region_code=COMM_A),
                              {"name": "鲁谷楼宇商会"}),
    "servicecircle.network": (lambda: circle.Network.objects.create(district_code="110107", source="osm",
                                                                    built_at=timezone.now()), "delete"),
}


def _registered():
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def test_every_registered_admin_is_audited_and_has_a_spec_here():
    registered = _registered()
    unaudited = [label for label, model_admin in registered.items() if not isinstance(model_admin, AuditedAdmin)]
    assert unaudited == [], "register these with civicgrid.core.admin.AuditedAdmin"
    assert sorted(registered) == sorted(SPECS), "add the new ModelAdmin to SPECS"


def _post_data(form) -> dict:
    """What the browser would send back for an unchanged change form."""
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value) if value else [None] * len(field.widget.widgets)
            data.update({f"{name}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)})
        elif isinstance(field.widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, dict):
            data[name] = json.dumps(value)
        else:
            data[name] = "" if value is None else str(value)
    return data


def _new_events(before: int):
    return list(AuditEvent.objects.order_by("id")[before:])


@pytest.mark.parametrize("label", sorted(SPECS))
def test_a_change_in_the_admin_writes_one_audit_event_with_before_and_after(label, admin_client, regions):
    make, change = SPECS[label]
    if make is None:
        model_admin = _registered()[label]
        assert not model_admin.has_change_permission(None) and not model_admin.has_delete_permission(None)
        return
    obj = make()
    app_label, model_name = label.split(".")
    url = f"/admin/{app_label}/{model_name}/"
    count = AuditEvent.objects.count()
    if change == "delete":
        response = admin_client.post(f"{url}{obj.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not type(obj).objects.filter(pk=obj.pk).exists()
        [event] = _new_events(count)
        assert event.action == "admin.delete" and event.target_id == str(obj.pk)
        assert event.detail["before"] and event.detail["after"] == {}
        return
    if change == "revoke":
        response = admin_client.post(url, {"action": "revoke", "_selected_action": [obj.pk]})
        assert response.status_code == 302, response.content.decode()[:2000]
        [event] = _new_events(count)
        assert event.detail["before"] == {"revoked_at": None} and event.detail["after"]["revoked_at"]
        return
    form = admin_client.get(f"{url}{obj.pk}/change/").context["adminform"].form
    data = {**_post_data(form), **{name: str(value) for name, value in change.items()}, "_save": "1"}
    response = admin_client.post(f"{url}{obj.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    [event] = _new_events(count)
    assert event.target_id == str(obj.pk) and event.actor_name == "admin"
    for name, value in change.items():
        assert str(event.detail["after"][name]) == str(value)
        assert str(event.detail["before"][name]) == str(form[name].value())
        assert str(getattr(type(obj).objects.get(pk=obj.pk), name)) == str(value)


def test_deleting_several_records_in_the_admin_audits_each(admin_client):
    days = [CalendarOverride.objects.create(date=date(2030, 1, 1) + timedelta(days=i), is_workday=True)
            for i in range(3)]
    response = admin_client.post("/admin/core/calendaroverride/", {
        "action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"})
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action="admin.delete", target_type="core.calendaroverride")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(str(d.pk) for d in days)
    assert not CalendarOverride.objects.exists()


def test_granting_reveal_personal_data_is_named_in_the_event(admin_client, users):
    grid = users["grid_a"]
    reveal = Permission.objects.get(codename="reveal_personal_data", content_type__app_label="people")
    form = admin_client.get(f"/admin/accounts/user/{grid.pk}/change/").context["adminform"].form
    data = {**_post_data(form), "user_permissions": [str(reveal.pk)], "_save": "1"}
    assert admin_client.post(f"/admin/accounts/user/{grid.pk}/change/", data).status_code == 302
    assert grid.has_perm("people.reveal_personal_data")
    event = AuditEvent.objects.get(action="admin.update", target_id=str(grid.pk))
    assert event.detail["granted"] == ["people.reveal_personal_data"]
    assert event.detail["before"]["user_permissions"] == []
    assert event.detail["after"]["user_permissions"] == ["people.reveal_personal_data"]


def test_joining_a_group_that_reveals_personal_data_names_the_grant(admin_client, users):
    group = Group.objects.create(name="信息核查")
    group.permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    grid = users["grid_a"]
    form = admin_client.get(f"/admin/accounts/user/{grid.pk}/change/").context["adminform"].form
    data = {**_post_data(form), "groups": [str(group.pk)], "is_staff": "on", "_save": "1"}
    assert admin_client.post(f"/admin/accounts/user/{grid.pk}/change/", data).status_code == 302
    event = AuditEvent.objects.get(action="admin.update", target_id=str(grid.pk))
    assert event.detail["granted"] == ["people.reveal_personal_data"]
    before, after = event.detail["before"], event.detail["after"]
    assert (before["groups"], before["is_staff"], after["groups"], after["is_staff"]) == ([], False, ["信息核查"], True)


def test_making_a_superuser_is_named_as_a_grant_of_everything(admin_client, users):
    grid = users["grid_a"]
    form = admin_client.get(f"/admin/accounts/user/{grid.pk}/change/").context["adminform"].form
    data = {**_post_data(form), "is_superuser": "on", "_save": "1"}
    assert admin_client.post(f"/admin/accounts/user/{grid.pk}/change/", data).status_code == 302
    event = AuditEvent.objects.get(action="admin.update", target_id=str(grid.pk))
    assert event.detail["granted"] == ["*"]
    assert event.detail["before"]["is_superuser"] is False and event.detail["after"]["is_superuser"] is True


def test_admin_model_names_are_chinese(admin_client):
    page = admin_client.get("/admin/", headers={"accept-language": "zh-hans"}).content.decode()
    for name in ("用户", "API 令牌", "工作日历调整", "志愿服务队", "联建门店", "兑换商品", "配套设施", "登录尝试"):
        assert name in page, name


def test_adding_a_user_in_the_admin_is_audited_without_the_password(admin_client, regions):
    response = admin_client.post("/admin/accounts/user/add/", {
        "username": "grid-new", "password1": "Brand-new-pass-2026", "password2": "Brand-new-pass-2026",
        "usable_password": "true", "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.create")
    assert event.detail["after"]["username"] == "grid-new" and event.detail["before"] == {}
    assert "Brand-new-pass-2026" not in json.dumps(event.detail) and "md5$" not in json.dumps(event.detail)
    assert event.target_type == "accounts.user"
