"""One purchase of services in a real browser, at phone and at desktop size: the district office starts it from a
service-circle gap (its figures kept) and publishes the call → an eligible organization bids from its portal →
an expert declares no conflict and scores → the office awards and signs the contract → the organization reports
with an evidence file and sends its invoices → a beneficiary answers the survey from the phone link → the office
accepts, evaluates and pays → the public disclosure page shows the award and the evaluation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.accounts.models import Role
from civicgrid.procurement import services
from civicgrid.procurement.models import Purchase, Stage
from civicgrid.servicecircle.models import AnalysisRun, CommunityResult
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import COMM_A, DISTRICT, make_user
from tests.procurement.conftest import make_org, seed_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOURNEY = "procurement"


@pytest.fixture
def scene(users):
    seed_reference()
    run = AnalysisRun.objects.create(region_code=DISTRICT, status="done", walk_speed_m_s=1.2, snap_limit_m=150,
                                     categories=[{"code": "daycare", "name": "日间照料", "level": "15min",
                                                  "walk_distance_m": 1000}], finished_at=timezone.now())
    CommunityResult.objects.create(run=run, community_code=COMM_A, population=1000, places=3,
                                   covered={"daycare": 400}, uncovered={"daycare": 600})
    services.add_budget_line(actor=users["district"], region_code=DISTRICT, year=timezone.localdate().year,
                             department="区民政局", amount="500000")
    return {"org": make_org("阳光助老服务中心", serial=1, username="org-sun"),
            "expert": make_user("expert-1", Role.DISTRICT, DISTRICT)}


def person(browser, live_server, viewport, username=None):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username) if username else page


def _start_and_publish(office, purchase_url_holder, tmp_path):
    office.goto(f"/procurement/new/?need=gap&category=daycare&regions={COMM_A}")
    office.fill("[data-testid=title]", "老年日间照料服务")
    office.fill("[data-testid=description]", "为缺少日间照料设施的社区提供上门和集中照料")
    office.fill("[data-testid=ceiling]", "200000")
    office.click("[data-testid=start-submit]")
    office.wait_for_selector("[data-testid=need-before]")
    assert office.inner_text("[data-testid=need-before]") == "600"
    need = office.inner_text("[data-testid=need-what]")
    assert "日间照料" in need and "daycare" not in need and COMM_A not in need  # words, not codes
    assert "变化" in office.inner_text("[data-testid=need]")
    purchase_url_holder.append(office.url)
    office.fill("[data-testid=call-text]", "公开征集日间照料服务承接机构")
    office.fill("[data-testid=bid-deadline]", (timezone.localdate() + timedelta(days=7)).isoformat())
    office.fill("[data-testid=criterion-1]", "服务方案")
    office.fill("[data-testid=weight-1]", "60")
    office.fill("[data-testid=criterion-2]", "报价")
    office.fill("[data-testid=weight-2]", "40")
    office.click("[data-testid=publish-call]")
    office.wait_for_selector("[data-testid=close-call]")
    snap(office, JOURNEY, "call-published", tmp_path)


def _bid(org_page, tmp_path):
    org_page.goto("/procurement/portal/")
    org_page.click("[data-testid=open-calls] a")
    org_page.fill("[data-testid=bid-amount]", "180000")
    org_page.fill("[data-testid=bid-beneficiaries]", "120")
    org_page.fill("[data-testid=bid-proposal]", "组建专职照料团队，每日服务")
    org_page.click("[data-testid=bid-submit]")
    org_page.wait_for_selector("[data-testid=my-bids]")
    snap(org_page, JOURNEY, "bid-submitted", tmp_path)


def _review_and_award(office, expert, purchase_url):
    office.goto(purchase_url)
    office.fill("[data-testid=reviewer-username]", "expert-1")
    office.click("[data-testid=add-reviewer]")
    office.click("[data-testid=close-call]")
    office.wait_for_selector("[data-testid=award]")
    expert.goto(purchase_url)
    expert.click("[data-testid=declare]")
    expert.fill("[data-testid=score-form] [data-testid=score-1]", "90")
    expert.fill("[data-testid=score-form] [data-testid=score-2]", "80")
    expert.click("[data-testid=score]")
    expert.wait_for_selector(".flash")
    office.goto(purchase_url)
    assert "86" in office.inner_text("[data-testid=ranking]")  # 0.6 × 90 + 0.4 × 80
    office.fill("[data-testid=award-reason]", "方案完整，报价合理")
    office.click("[data-testid=award]")
    office.wait_for_selector("[data-testid=sign]")


def _sign(office):
    today = timezone.localdate()
    office.fill("[data-testid=starts-on]", today.isoformat())
    office.fill("[data-testid=ends-on]", (today + timedelta(days=300)).isoformat())
    office.fill("[data-testid=deliverables]", "每日照料 40 名老人")
    office.fill("[data-testid=beneficiaries-target]", "40")
    office.fill("[data-testid=kpi]", "服务人次")
    office.fill("[data-testid=kpi-target]", "9000")
    for n, (amount, due) in enumerate((("90000", today), ("90000", today + timedelta(days=300))), start=1):
        office.fill(f"[data-testid=instalment-{n}]", amount)
        office.fill(f"[data-testid=due-{n}]", due.isoformat())
    office.fill("[data-testid=milestone-1]", "首月服务")
    office.fill("[data-testid=milestone-due-1]", (today + timedelta(days=30)).isoformat())
    office.click("[data-testid=sign]")
    office.wait_for_selector("[data-testid=survey-url]")
    return office.inner_text("[data-testid=survey-url]")


def _report_and_invoice(org_page, tmp_path):
    org_page.goto("/procurement/portal/")
    org_page.click("[data-testid=my-contracts] a")
    org_page.fill("[data-testid=report-text]", "全年照料 9200 人次")
    org_page.fill("[data-testid=report-beneficiaries]", "45")
    org_page.fill("[data-testid=report-hours]", "1500")
    org_page.set_input_files("[data-testid=report-files]", files=[
        {"name": "签到表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 sign-in sheet"}])
    org_page.click("[data-testid=report-submit]")
    org_page.wait_for_selector("[data-testid=reports] a")
    for n in (1, 2):
        org_page.fill(f"[data-testid=invoice-no-{n}]", f"No.2026000{n}")
        org_page.click(f"[data-testid=invoice-{n}]")
        org_page.wait_for_selector(f"[data-testid=invoice-no-{n}]", state="detached")
    snap(org_page, JOURNEY, "report-and-invoices", tmp_path)


def _survey(resident, survey_url, tmp_path):
    resident.goto(survey_url)
    resident.check("[data-testid=stars-5]")
    resident.click("[data-testid=survey-submit]")
    resident.wait_for_selector("[data-testid=survey-thanks]")
    snap(resident, JOURNEY, "survey", tmp_path)


def _accept_evaluate_pay(office, purchase_url, tmp_path):
    office.goto(purchase_url)
    office.click("[data-testid=pay-1]")
    office.wait_for_selector("[data-testid=accept]")
    office.click("[data-testid=accept]")
    office.wait_for_selector("[data-testid=accepted]")
    office.click("[data-testid=evaluate-link]")
    for code in ("out_qty", "out_quality", "out_time", "out_cost", "eff_social", "eff_sustain", "sat"):
        office.fill(f"[data-testid=buyer-{code}]", "90")
    with office.expect_navigation():  # no screenshot just before: on a phone it left the click without effect
        office.click("[data-testid=evaluate]")
    office.wait_for_selector("[data-testid=evaluation]")
    snap(office, JOURNEY, "evaluated", tmp_path)
    office.click("[data-testid=pay-2]")
    office.wait_for_selector("[data-testid=stage]:has-text('已支付')")
    snap(office, JOURNEY, "paid", tmp_path)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_service_from_a_gap_to_a_paid_contract_on_the_disclosure_page(browser, live_server, scene, viewport,
                                                                        tmp_path):
    office = person(browser, live_server, viewport, "district-110107")
    org_page = person(browser, live_server, viewport, "org-sun")
    expert = person(browser, live_server, viewport, "expert-1")
    urls: list[str] = []
    _start_and_publish(office, urls, tmp_path)
    _bid(org_page, tmp_path)
    _review_and_award(office, expert, urls[0])
    survey_url = _sign(office)
    _report_and_invoice(org_page, tmp_path)
    _survey(person(browser, live_server, viewport), survey_url, tmp_path)
    _accept_evaluate_pay(office, urls[0], tmp_path)
    purchase = Purchase.objects.get()
    assert purchase.stage == Stage.PAID and purchase.need_before["uncovered"] == 600
    public = person(browser, live_server, viewport)
    public.goto("/procurement/disclosure/")
    assert "老年日间照料服务" in public.inner_text("[data-testid=public-awards]")
    assert "阳光助老服务中心" in public.inner_text("[data-testid=public-evaluations]")
    with public.expect_navigation():
        public.click("[data-testid=public-awards] a")
    expect(public.locator("body")).to_contain_text("方案完整，报价合理")
    assert public.inner_text("[data-testid=need-before]") == "600"
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(public, JOURNEY, "disclosure", tmp_path)
