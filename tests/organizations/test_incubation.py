"""Incubation: application → admission within capacity → services with hours and staff → milestones →
capacity scores with the template → graduate / extend / leave; the board's figures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civicgrid.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from civicgrid.organizations import selectors, services
from civicgrid.organizations.errors import BadScores, NotAnOrganization, WrongState
from civicgrid.organizations.models import Incubation
from tests.organizations.conftest import make_account, register

pytestmark = pytest.mark.django_db

SCORES_LOW = {"governance": 4, "projects": 5, "finance": 2}
SCORES_HIGH = {"governance": 9, "projects": 8, "finance": 5}


def test_apply_and_admit(users, org, org_user, cohort):
    with pytest.raises(NotAnOrganization):
        services.apply(actor=users["district"], cohort_id=cohort.pk, needs="x")
    application = services.apply(actor=org_user, cohort_id=cohort.pk, needs="项目设计辅导")
    with pytest.raises(Conflict):
        services.apply(actor=org_user, cohort_id=cohort.pk, needs="再申请一次")
    with pytest.raises(PermissionDenied):  # the organization does not admit itself
        services.decide_application(actor=org_user, application_id=application.pk, admit=True)
    with pytest.raises(NotFound):  # a community worker of B does not see A's... nor the district's records
        services.decide_application(actor=users["community_b"], application_id=application.pk, admit=True)
    services.decide_application(actor=users["district"], application_id=application.pk, admit=True)
    application.refresh_from_db()
    assert application.status == "admitted" and application.incubation.planned_exit_on == cohort.ends_on
    with pytest.raises(WrongState):
        services.decide_application(actor=users["district"], application_id=application.pk, admit=True)


def test_a_full_cohort_admits_no_more_and_declining_needs_a_reason(users, cohort):
    admitted = []
    for i in range(3):
        org = register(users["district"], name=f"孵化申请{i}")
        account = make_account(org, f"org-apply-{i}")
        admitted.append(services.apply(actor=account, cohort_id=cohort.pk, needs="需要辅导"))
    services.decide_application(actor=users["district"], application_id=admitted[0].pk, admit=True)
    services.decide_application(actor=users["district"], application_id=admitted[1].pk, admit=True)
    with pytest.raises(Conflict) as refused:
        services.decide_application(actor=users["district"], application_id=admitted[2].pk, admit=True)
    assert refused.value.code == "cohort_full"
    with pytest.raises(ValidationFailed):
        services.decide_application(actor=users["district"], application_id=admitted[2].pk, admit=False)
    services.decide_application(actor=users["district"], application_id=admitted[2].pk, admit=False,
                                reason="名额已满，下期优先")


def test_services_milestones_scores_and_graduation(users, incubation, org_user):
    today = timezone.localdate()
    log = services.log_service(actor=users["district"], incubation_id=incubation.pk, kind="consulting",
                               delivered_on=today, hours="2.5", note="财务制度咨询")
    assert log.staff == users["district"] and log.hours == Decimal("2.5")
    for hours in ("0", "25", "abc"):
        with pytest.raises(ValidationFailed):
            services.log_service(actor=users["district"], incubation_id=incubation.pk, kind="consulting",
                                 delivered_on=today, hours=hours)
    with pytest.raises(ValidationFailed):  # no service in the future
        services.log_service(actor=users["district"], incubation_id=incubation.pk, kind="training",
                             delivered_on=today + timedelta(days=1), hours=1)
    with pytest.raises(PermissionDenied):  # the organization does not log the centre's services
        services.log_service(actor=org_user, incubation_id=incubation.pk, kind="training", delivered_on=today,
                             hours=1)
    milestone = services.add_milestone(actor=users["district"], incubation_id=incubation.pk, title="建立财务制度",
                                       due_on=today + timedelta(days=60))
    late = services.add_milestone(actor=users["district"], incubation_id=incubation.pk, title="完成首个项目",
                                  due_on=today - timedelta(days=1))
    services.complete_milestone(actor=users["district"], milestone_id=milestone.pk, evidence="制度文件")
    with pytest.raises(WrongState):
        services.complete_milestone(actor=users["district"], milestone_id=milestone.pk)
    with pytest.raises(WrongState):  # mid-term before entry
        services.assess(actor=users["district"], incubation_id=incubation.pk, stage="midterm", scores=SCORES_LOW)
    with pytest.raises(BadScores):
        services.assess(actor=users["district"], incubation_id=incubation.pk, stage="entry",
                        scores={"governance": 11, "projects": 5, "finance": 2})
    with pytest.raises(BadScores):
        services.assess(actor=users["district"], incubation_id=incubation.pk, stage="entry",
                        scores={"governance": 4, "projects": 5})
    entry = services.assess(actor=users["district"], incubation_id=incubation.pk, stage="entry", scores=SCORES_LOW)
    # (3×4/10 + 2×5/10 + 1×2/5) / 6 × 100 = (1.2 + 1.0 + 0.4) / 6 × 100 = 43.3
    assert entry.total == Decimal("43.3")
    with pytest.raises(WrongState):  # graduation needs the exit score
        services.conclude(actor=users["district"], incubation_id=incubation.pk, outcome="graduate")
    services.conclude(actor=users["district"], incubation_id=incubation.pk, outcome="extend",
                      extend_until=incubation.planned_exit_on + timedelta(days=180), reason="项目未完成")
    services.assess(actor=users["district"], incubation_id=incubation.pk, stage="exit", scores=SCORES_HIGH)
    board = selectors.board(actor=users["district"])["total"]
    assert board["services"] == 1 and board["hours"] == Decimal("2.5")
    assert board["milestones"] == {"done": 1, "overdue": 1, "open": 0}
    assert board["current"] == 1 and board["graduation_rate"] is None
    services.conclude(actor=users["district"], incubation_id=incubation.pk, outcome="graduate")
    incubation.refresh_from_db()
    assert incubation.status == Incubation.Status.GRADUATED and incubation.ended_on == today
    with pytest.raises(WrongState):  # an ended incubation takes no more services
        services.log_service(actor=users["district"], incubation_id=incubation.pk, kind="consulting",
                             delivered_on=today, hours=1)
    assert late.state_on(today) == "overdue"
    assert selectors.board(actor=users["district"])["total"]["graduation_rate"] == 1.0


def test_graduation_rate_counts_ended_incubations(users, cohort):
    incubations = []
    for i in range(2):
        org = register(users["district"], name=f"毕业率{i}")
        account = make_account(org, f"org-rate-{i}")
        application = services.apply(actor=account, cohort_id=cohort.pk, needs="辅导")
        services.decide_application(actor=users["district"], application_id=application.pk, admit=True)
        incubations.append(Incubation.objects.get(application=application))
    services.assess(actor=users["district"], incubation_id=incubations[0].pk, stage="entry", scores=SCORES_LOW)
    services.assess(actor=users["district"], incubation_id=incubations[0].pk, stage="exit", scores=SCORES_HIGH)
    services.conclude(actor=users["district"], incubation_id=incubations[0].pk, outcome="graduate")
    with pytest.raises(ValidationFailed):  # leaving needs a reason
        services.conclude(actor=users["district"], incubation_id=incubations[1].pk, outcome="leave")
    services.conclude(actor=users["district"], incubation_id=incubations[1].pk, outcome="leave", reason="负责人离职")
    assert selectors.graduation_rate(Incubation.objects.all()) == 0.5
    assert selectors.registry_figures(actor=users["district"])["graduation_rate"] == 0.5


def test_an_organization_in_incubation_cannot_apply_again(users, incubation, org_user, template):
    today = timezone.localdate()
    other = services.create_cohort(actor=users["district"], name="2026年第二期", region_code="110107",
                                   starts_on=today, ends_on=today + timedelta(days=700), template_id=template.pk)
    with pytest.raises(Conflict) as refused:
        services.apply(actor=org_user, cohort_id=other.pk, needs="再来一期")
    assert refused.value.code == "already_incubating"
    services.set_cohort_status(actor=users["district"], cohort_id=other.pk, status="running")
    with pytest.raises(WrongState):
        services.apply(actor=org_user, cohort_id=other.pk, needs="x")


def test_templates_need_indicators_with_positive_weights(users):
    with pytest.raises(ValidationFailed):
        services.create_template(actor=users["district"], name="空模板", indicators=[])
    with pytest.raises(ValidationFailed):
        services.create_template(actor=users["district"], name="负权重", indicators=[
            {"code": "a", "name": "治理", "weight": 0, "max_score": 10}])
    with pytest.raises(PermissionDenied):
        services.create_template(actor=users["resident"], name="居民模板", indicators=[
            {"code": "a", "name": "治理", "weight": 1, "max_score": 10}])
