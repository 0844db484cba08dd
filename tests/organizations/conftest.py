"""Organizations fixtures: organizations registered through the services, their accounts, a hub, a cohort."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.creditcode import check_character
from civicgrid.organizations import services
from civicgrid.organizations.models import AnnualReport
from tests.conftest import COMM_A, DISTRICT, SUB_A, SUB_B, make_user

# Published codes (tests/core/test_creditcode.py): a foundation registered by civil affairs, and enterprises
PUBLISHED_FOUNDATION = "53100000500021676K"  # 中国青少年发展基金会
PUBLISHED = ["53100000500021676K", "914403001922038216", "9144030071526726XG", "91350100M000100Y43"]
_seq = itertools.count(1)


def code_for(seq: int, prefix: str = "52") -> str:
    """A well-formed code of a private non-enterprise unit of 110107 (the check character computed)."""
    first17 = f"{prefix}110107MJ{seq:07d}"[:17]
    return first17 + check_character(first17)


def register(actor, *, region_code=DISTRICT, registration="registered", name=None, credit_code=None, **extra):
    seq = next(_seq)
    return services.register_organization(
        actor=actor, name=name or f"测试社会组织{seq}", kind=extra.pop("kind", "private_non_enterprise"),
        field=extra.pop("field", "elderly"), registration=registration,
        registration_authority=extra.pop("registration_authority", "石景山区民政局"),
        registered_on=extra.pop("registered_on", date(2020, 5, 1)), region_code=region_code,
        rep_name=extra.pop("rep_name", "王建国"),
        credit_code=credit_code if credit_code is not None else (code_for(seq) if registration == "registered" else ""),
        **extra)


def make_account(org, username, *, admin=True):
    from civicgrid.organizations.models import OrgAccount

    user = make_user(username, Role.SOCIAL_ORG, display_name=f"{org.name}联络人")
    OrgAccount.objects.create(organization=org, user=user, is_admin=admin)
    return user


def file_report(org, year):
    AnnualReport.objects.create(organization=org, year=year, status=AnnualReport.Status.ACCEPTED,
                                submitted_at=timezone.now())


@pytest.fixture
def org(users):
    return register(users["district"], name="乐龄养老服务中心", rep_id_number="", rep_phone="13812345678")


@pytest.fixture
def org_user(org):
    return make_account(org, "org-a")


@pytest.fixture
def sub_org(users):
    """An organization registered by subdistrict A."""
    return register(users["sub_a"], region_code=SUB_A, name="鲁谷社区服务社", field="community_governance")


@pytest.fixture
def sub_b_org(users):
    user = make_user(f"subdistrict-{SUB_B}", Role.SUBDISTRICT, SUB_B)
    return register(user, region_code=SUB_B, name="八角社工事务所")


@pytest.fixture
def filed_org(users):
    return register(users["community_a"], region_code=COMM_A, registration="filed", name="阳光合唱团",
                    kind="community_service", field="culture_sports", registration_authority="鲁谷街道办事处")


@pytest.fixture
def template(users):
    return services.create_template(actor=users["district"], name="社会组织能力评估（试行）", indicators=[
        {"code": "governance", "name": "内部治理", "weight": 3, "max_score": 10},
        {"code": "projects", "name": "项目管理", "weight": 2, "max_score": 10},
        {"code": "finance", "name": "财务管理", "weight": 1, "max_score": 5}])


@pytest.fixture
def cohort(users, template):
    today = timezone.localdate()
    return services.create_cohort(actor=users["district"], name="2026年第一期", region_code=DISTRICT,
                                  starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=700),
                                  template_id=template.pk, capacity=2)


@pytest.fixture
def incubation(users, org_user, cohort):
    application = services.apply(actor=org_user, cohort_id=cohort.pk, needs="财务制度、项目设计")
    services.decide_application(actor=users["district"], application_id=application.pk, admit=True)
    application.refresh_from_db()
    return application.incubation
