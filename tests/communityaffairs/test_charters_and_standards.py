"""Duty charters' posts added and removed with the vacancies recomputed; quota refusals; the standards page edited
by the district (audited) with the gap list following; unverified sources labelled; templates withdrawn."""

import pytest

from civicgrid.communityaffairs import figures, selectors, services, standards
from civicgrid.communityaffairs.models import AssessmentTemplate, CharterPost, Standard
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.communityaffairs.conftest import staff
from tests.conftest import COMM_A, COMM_B, SUB_A

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _charter(users, body="service_station"):
    return services.save_charter(actor=users["community_a"], community=COMM_A, body=body, duties="职能一\n职能二")


def test_removing_a_post_recomputes_vacancies_and_over_staffing(users, regions):
    charter = _charter(users)
    head = services.set_post(actor=users["community_a"], charter_id=charter.pk, title="站长", quota=1)
    clerks = services.set_post(actor=users["community_a"], charter_id=charter.pk, title="工作人员", quota=4)
    staff(regions["community_a"], "service_station", n=3)
    before = figures.staffing([COMM_A])[COMM_A]
    assert (before.quota, before.actual, before.vacancies, before.over) == (5, 3, 2, 0)
    services.remove_post(actor=users["community_a"], post_id=clerks.pk)
    after = figures.staffing([COMM_A])[COMM_A]
    assert (after.quota, after.actual, after.vacancies, after.over) == (1, 3, 0, 2)
    services.remove_post(actor=users["community_a"], post_id=head.pk)  # a charter without posts: quota 0
    empty = {b.body: b for b in figures.staffing([COMM_A])[COMM_A].bodies}["service_station"]
    assert (empty.quota, empty.over) == (0, 3)
    removed = AuditEvent.objects.filter(action="communityaffairs.post.remove").order_by("id")
    assert [(e.detail["title"], e.detail["quota"]) for e in removed] == [("工作人员", 4), ("站长", 1)]


def test_another_community_cannot_remove_a_post(users, regions):
    post = services.set_post(actor=users["community_a"], charter_id=_charter(users).pk, title="站长", quota=1)
    with pytest.raises(NotFound):
        services.remove_post(actor=users["community_b"], post_id=post.pk)
    assert CharterPost.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize(("quota", "code"), [("-1", "negative_quota"), ("1.5", "invalid_quota"),
                                             ("abc", "invalid_quota"), ("1000", "invalid_quota")])
def test_bad_quotas_are_refused_with_a_stable_code(users, regions, quota, code):
    charter = _charter(users)
    with pytest.raises(ValidationFailed) as refused:
        services.set_post(actor=users["community_a"], charter_id=charter.pk, title="站长", quota=quota)
    assert refused.value.code == code and refused.value.field == "quota"
    assert not CharterPost.objects.exists()


def test_the_charter_page_adds_removes_and_refuses_a_negative_quota_in_chinese(users, regions, login):
    charter = _charter(users)
    client = login(users["community_a"])
    refused = client.post(f"/communityaffairs/charters/{charter.pk}/posts/", {"title": "站长", "quota": "-3"},
                          follow=True, **ZH)
    assert "编制数不能小于零。" in refused.content.decode() and not CharterPost.objects.exists()
    client.post(f"/communityaffairs/charters/{charter.pk}/posts/", {"title": "站长", "quota": "2"})
    post = CharterPost.objects.get()
    page = client.get(f"/communityaffairs/?code={COMM_A}", **ZH).content.decode()
    assert 'data-testid="post-站长"' in page and f"/communityaffairs/charters/posts/{post.pk}/remove/" in page
    assert login(users["community_b"]).post(f"/communityaffairs/charters/posts/{post.pk}/remove/").status_code == 404
    client.post(f"/communityaffairs/charters/posts/{post.pk}/remove/")
    assert not CharterPost.objects.exists()
    api = "/api/v1/communityaffairs"
    again = services.set_post(actor=users["community_a"], charter_id=charter.pk, title="站长", quota=1)
    assert login(users["community_b"]).delete(f"{api}/posts/{again.pk}").status_code == 404
    assert client.delete(f"{api}/posts/{again.pk}").status_code == 204
    assert client.get(f"{api}/communities/{COMM_A}/staffing").json()["quota"] == 0


def test_every_default_standard_says_its_source_is_unverified(users, login):
    assert all(not rule.checked and "待核实" in rule.source for rule in standards.DEFAULTS.values())
    page = login(users["community_a"]).get("/communityaffairs/standards/", **ZH).content.decode()
    assert page.count('data-testid="unverified"') == len(Standard.Key.choices)
    assert "修改标准" not in page  # only the district edits


def test_the_district_edits_a_standard_on_the_page_and_the_gap_list_follows(users, regions, login):
    regions["community_a"].households = 1000
    regions["community_a"].save()
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="300")
    assert selectors.gap_list(actor=users["district"])[0]["space_gap"] == 50.0  # 350 m² minimum
    client = login(users["district"])
    answer = client.post("/communityaffairs/standards/", {
        "key": Standard.Key.SPACE_MIN_EXISTING, "value": "420", "source": "区社会工作部2026年12月通知（已核对原文）",
        "source_checked": "1"}, follow=True, **ZH)
    assert "标准已保存" in answer.content.decode()
    assert Standard.objects.get().source_checked is True
    event = AuditEvent.objects.get(action="communityaffairs.standard.save")
    assert (event.detail["from"], event.detail["to"], event.detail["source_checked"]) == (None, "420", True)
    groups = selectors.gap_list(actor=users["district"])
    assert groups[0]["code"] == SUB_A and groups[0]["space_gap"] == 120.0 and groups[1]["space_gap"] == 420.0
    gaps_page = login(users["sub_a"]).get("/communityaffairs/gaps/", **ZH).content.decode()
    assert ">120.0<" in gaps_page and ">420.0<" in gaps_page
    client.post("/communityaffairs/standards/", {"key": Standard.Key.SPACE_PER_100_HOUSEHOLDS, "value": "50",
                                                 "source": "测试用较高标准"})  # 500 m² for 1,000 households
    assert selectors.gap_list(actor=users["district"])[0]["space_gap"] == 200.0
    page = client.get("/communityaffairs/standards/", **ZH).content.decode()
    assert page.count('data-testid="unverified"') == len(Standard.Key.choices) - 1


def test_only_the_district_edits_standards_and_bad_values_change_nothing(users, regions, login):
    sub = login(users["sub_a"]).post("/communityaffairs/standards/", {
        "key": Standard.Key.TRAINING_HOURS, "value": "1", "source": "街道自定"})
    assert sub.status_code == 403 and not Standard.objects.exists()
    with pytest.raises(ValidationFailed) as refused:
        services.set_standard(actor=users["district"], key=Standard.Key.TRAINING_HOURS, value="-5", source="区定")
    assert refused.value.code == "invalid_value" and not Standard.objects.exists()
    assert standards.value(Standard.Key.TRAINING_HOURS) == 40.0


def test_households_per_worker_is_set_against_its_standard(users, regions, login):
    regions["community_a"].households = 1500
    regions["community_a"].save()
    staff(regions["community_a"], "party_org", n=3)  # 500 households per worker
    client = login(users["community_a"])
    assert 'data-testid="households-over"' in client.get(f"/communityaffairs/?code={COMM_A}").content.decode()
    services.set_standard(actor=users["district"], key=Standard.Key.HOUSEHOLDS_PER_WORKER, value="600",
                          source="测试")
    assert 'data-testid="households-over"' not in client.get(f"/communityaffairs/?code={COMM_A}").content.decode()


def test_a_withdrawn_template_starts_no_new_assessment(users, regions):
    template = services.create_template(actor=users["district"], name="六型社区评估", indicators_=[
        {"name": "党组织领导有力", "weight": 100}])
    started = services.start(actor=users["community_a"], template_id=template.pk, community=COMM_A, year=2026)
    AssessmentTemplate.objects.filter(pk=template.pk).update(published=False)
    assert services.start(actor=users["community_a"], template_id=template.pk, community=COMM_A,
                          year=2026) == started  # the one already open stays
    with pytest.raises(ValidationFailed) as refused:
        services.start(actor=users["community_b"], template_id=template.pk, community=COMM_B, year=2026)
    assert refused.value.code == "template_withdrawn"



def test_the_api_reads_the_standards_and_only_the_district_sets_them(users, regions, login):
    api = "/api/v1/communityaffairs/standards"
    listed = {row["key"]: row for row in login(users["community_a"]).get(api).json()}
    assert listed["space_min_new"]["value"] == 500.0 and listed["space_min_new"]["source_checked"] is False
    body = {"key": "training_hours", "value": 48, "source": "区社会工作部通知（2026年）", "source_checked": True}
    refused = login(users["sub_a"]).post(api, data=body, content_type="application/json")
    assert refused.status_code == 403 and not Standard.objects.exists()
    answer = login(users["district"]).post(api, data=body, content_type="application/json")
    row = {r["key"]: r for r in answer.json()}["training_hours"]
    assert answer.status_code == 200 and (row["value"], row["source_checked"]) == (48.0, True)
    assert standards.value(Standard.Key.TRAINING_HOURS) == 48.0
