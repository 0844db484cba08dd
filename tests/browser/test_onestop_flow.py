"""The one-stop scenario in a real browser: a resident on a phone finds the item in the community's catalogue,
reads its guide, books a half-hour slot and sees the booking; the window (desktop) receives the applicant, finishes
the application within its working-day limit and the record says in time; the resident's phone shows it received.
Each step is photographed at phone or desktop size (tests/browser/session.snap)."""

import pytest

from civicgrid.communityaffairs import services
from civicgrid.communityaffairs.models import Appointment, Handling
from tests.browser.session import DESKTOP, sign_in_page, signed_in, snap
from tests.conftest import COMM_A, DISTRICT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOURNEY = "onestop"


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_resident_books_and_the_window_records_it_in_time(browser, live_server, users, tmp_path):
    item = services.create_item(actor=users["district"], region=DISTRICT, code="CA-001", name="居住证明开具",
                                who_may_apply="本社区居民", documents="身份证\n户口簿",
                                steps="取号\n窗口核验\n出具证明", time_limit_days=1, fee="免费")

    phone = signed_in(browser, live_server, users["resident"].username)
    phone.goto(f"/communityaffairs/onestop/?code={COMM_A}")
    phone.click(f"[data-testid=item-{item.code}]")
    assert "窗口核验" in phone.inner_text("[data-testid=guide]")
    snap(phone, JOURNEY, "guide", tmp_path)
    phone.click("[data-testid=book-link]")
    phone.fill("[data-testid=applicant]", "李秀英")
    phone.fill("[data-testid=phone]", "13800138000")
    phone.check("[data-testid=slot-1-1]")
    assert no_overflow(phone)
    snap(phone, JOURNEY, "book", tmp_path)
    phone.click("[data-testid=book]")
    phone.wait_for_selector(".flash.success")
    assert phone.inner_text("[data-testid=appointment-status]") == "已预约"
    booked = Appointment.objects.get()
    assert booked.user == users["resident"] and booked.phone_masked == "138****8000"

    desk = sign_in_page(browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP).new_page(),
                        users["community_a"].username)
    desk.goto(f"/communityaffairs/window/?code={COMM_A}")
    assert "138****8000" in desk.inner_text("[data-testid=appointments]")
    assert "13800138000" not in desk.content()
    desk.click(f"[data-testid=receive-{booked.pk}]")
    handling = Handling.objects.get()
    desk.wait_for_selector(f"[data-testid=handling-{handling.pk}]")
    snap(desk, JOURNEY, "window", tmp_path)
    desk.select_option(f"[data-testid=handling-{handling.pk}] [data-testid=result]", "done")
    desk.click(f"[data-testid=handling-{handling.pk}] [data-testid=finish]")
    desk.wait_for_selector("[data-testid=finished] [data-testid=in-time]")
    assert desk.inner_text("[data-testid=finished] [data-testid=in-time]") == "是"
    snap(desk, JOURNEY, "finished", tmp_path)
    handling.refresh_from_db()
    assert handling.result == "done" and handling.in_time is True and handling.handled_by == users["community_a"]
    assert handling.appointment == booked

    phone.goto("/communityaffairs/onestop/mine/")
    assert phone.inner_text("[data-testid=appointment-status]") == "窗口已受理"
    snap(phone, JOURNEY, "received", tmp_path)
