"""Signing in through the real login form, as every browser scenario starts."""

from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}


def sign_in_page(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")
    return page


def signed_in(browser, live_server, username: str):
    """A new browser context (one person on a phone) signed in as `username`."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)
