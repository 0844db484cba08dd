"""Procurement fixtures: the catalogue, the evaluation template, a budget line of the district, eligible
organizations with accounts, and helpers that walk a purchase through its stages with the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.core.creditcode import check_character
from civicgrid.organizations.models import AnnualReport, OrgAccount, Organization, Registration
from civicgrid.procurement import reference, services
from civicgrid.procurement.models import CatalogueItem, Indicator
from civicgrid.territory.models import Region
from tests.conftest import COMM_A, DISTRICT, make_user


def credit_code(serial: int) -> str:
    first17 = f"52{DISTRICT}MJ{serial:07d}"
    return first17 + check_character(first17)


def make_org(name: str, *, serial: int, rating: int | None = 4, report_year: int | None = None,
             registration: str = Registration.REGISTERED, username: str | None = None) -> Organization:
    today = timezone.localdate()
    org = Organization.objects.create(
        name=name, kind="private_non_enterprise", field="elderly", registration=registration,
        registration_authority="石景山区民政局", registered_on=date(2019, 5, 1),
        credit_code=credit_code(serial) if registration == Registration.REGISTERED else "",
        region=Region.objects.get(code=DISTRICT), rep_name="张三", rating=rating,
        rated_on=today - timedelta(days=100) if rating else None,
        rating_expires_on=today + timedelta(days=900) if rating else None)
    year = report_year if report_year is not None else today.year - 1
    if year:
        AnnualReport.objects.create(organization=org, year=year, status=AnnualReport.Status.ACCEPTED)
    user = make_user(username or f"org-{serial}", Role.SOCIAL_ORG)
    OrgAccount.objects.create(organization=org, user=user)
    org.user = user  # type: ignore[attr-defined]
    return org


def seed_reference() -> CatalogueItem:
    """The catalogue and evaluation template of the data migration (a flushed test database lost them)."""
    reference.seed(CatalogueItem, Indicator)
    return CatalogueItem.objects.get(code="A01")


@pytest.fixture
def item(db):
    return seed_reference()


@pytest.fixture
def line(users):
    return services.add_budget_line(actor=users["district"], region_code=DISTRICT, year=timezone.localdate().year,
                                    department="区民政局", amount="500000")


@pytest.fixture
def org(users):
    return make_org("阳光助老服务中心", serial=1)


@pytest.fixture
def rival(users):
    return make_org("夕阳红社工事务所", serial=2)


@pytest.fixture
def expert(users):
    return make_user("expert-1", Role.DISTRICT, DISTRICT)


def start(users, line, item, **extra):
    values = {"title": "老年助餐服务", "description": "为高龄独居老人提供助餐服务", "ceiling": "200000",
              "beneficiary_regions": [COMM_A]}
    values.update(extra)
    return services.start_purchase(actor=users["district"], budget_line_id=line.pk, item_id=item.pk, **values)


def publish(users, purchase, **extra):
    values = {"call_text": "公开征集助餐服务承接机构", "bid_deadline": timezone.localdate() + timedelta(days=10),
              "criteria": [("服务方案", 60), ("报价", 40)]}
    values.update(extra)
    return services.publish_call(actor=users["district"], purchase_id=purchase.pk, **values)


def through_review(users, line, item, org, expert, *, amount="180000"):
    """A purchase published, bid on by `org`, scored by `expert` and ready to award."""
    purchase = publish(users, start(users, line, item))
    bid = services.submit_bid(actor=org.user, purchase_id=purchase.pk, amount=amount, proposal="每日午餐配送")
    services.add_reviewer(actor=users["district"], purchase_id=purchase.pk, username=expert.username)
    services.close_call(actor=users["district"], purchase_id=purchase.pk)
    services.declare(actor=expert, purchase_id=purchase.pk, conflict=False)
    criteria = list(purchase.criteria.all())
    services.score_bid(actor=expert, bid_id=bid.pk, values={criteria[0].pk: 90, criteria[1].pk: 80})
    return purchase, bid


def contracted(users, line, item, org, expert):
    purchase, bid = through_review(users, line, item, org, expert)
    services.award(actor=users["district"], purchase_id=purchase.pk, bid_id=bid.pk, reason="方案最优，报价合理")
    today = timezone.localdate()
    contract = services.sign_contract(
        actor=users["district"], purchase_id=purchase.pk, starts_on=today, ends_on=today + timedelta(days=300),
        deliverables="每日为 60 名老人送餐", kpis=[{"name": "送餐人次", "target": "15000"}],
        instalments=[(Decimal("90000"), today), (Decimal("90000"), today + timedelta(days=300))],
        milestones=[("首月送餐", today + timedelta(days=30))], beneficiaries_target=60)
    return contract
