"""The inbox in a real browser: the unread count in the header, opening the inbox, marking one and then all
read, and the count following along."""

import pytest
from django.db import transaction

from civicgrid.notifications import Recipient, publish
from tests.browser.session import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inbox_and_unread_count(browser, live_server, users):
    from civicgrid.cases import events  # noqa: F401 - the case kinds are registered at start-up anyway

    with transaction.atomic():
        for n in (1, 2, 3):
            publish(kind="cases.progress", key=f"browser:{n}", recipients=[Recipient.user(users["resident"])],
                    params={"number": f"A{n}", "update": "已受理"}, url="/cases/mine/")
    page = signed_in(browser, live_server, "resident-1")
    assert page.inner_text("[data-testid=inbox-link-badge]") == "3"
    page.click("[data-testid=inbox-link]")
    page.wait_for_selector("[data-testid=notification]")
    assert page.locator("[data-testid=notification]").count() == 3
    assert "您关注的案件 A3：已受理" in page.inner_text("main")
    page.locator("[data-testid=mark-read]").first.click()
    page.wait_for_selector("[data-testid=inbox-link-badge]")
    assert page.inner_text("[data-testid=inbox-link-badge]") == "2"
    page.click("[data-testid=mark-all-read]")
    page.wait_for_selector("[data-testid=mark-all-read]")
    assert page.locator("[data-testid=inbox-link-badge]").count() == 0
    assert page.locator("[data-testid=mark-read]").count() == 0
