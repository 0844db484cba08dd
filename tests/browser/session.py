"""Signing in through the real login form, as every browser scenario starts; screenshots of the journeys."""

import os
import re
from pathlib import Path

from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def snap(page, journey: str, step: str, tmp_path=None) -> Path | None:
    """Save a full-page screenshot of one step of a journey.

    `make screenshots` sets CIVICGRID_SCREENSHOTS (var/screenshots), so the journeys' pictures land in
    <dir>/<journey>/<step>-<phone|desktop>.png for anyone to look at; otherwise they go to tmp_path when given."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    size = "phone" if width and width < 700 else "desktop"
    name = f"{re.sub(r'[^a-z0-9-]+', '-', step.lower())}-{size}.png"
    root = os.environ.get("CIVICGRID_SCREENSHOTS")
    if root:
        path = Path(root) / journey / name
    elif tmp_path is not None:
        path = Path(tmp_path) / journey / name
    else:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


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
