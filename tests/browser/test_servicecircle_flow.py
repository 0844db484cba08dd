"""The service-circle scenario in a real browser on a phone-sized screen: a district user opens the coverage
map, waits for it, clicks a compound, sees its 5/10/15-minute isochrones and its gaps, then opens the
recommended sites."""

import pytest

from civicgrid.servicecircle import services
from tests.browser.session import sign_in_page, snap
from tests.servicecircle.conftest import done_run, network, node, scene  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servicecircle")]


@pytest.fixture
def categories(db):
    from civicgrid.servicecircle.reference import seed_categories

    seed_categories()


@pytest.fixture
def recommended(done_run, scene):  # noqa: F811
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="kindergarten", p=2,
                             points=[list(node(2, 8)), list(node(46, 5))], use_facility_sites=False, enqueue=False)
    services.execute_recommendation(recommendation_id=rec.pk)
    return rec


def test_map_isochrone_gaps_and_recommendations(page, scene, recommended, tmp_path):  # noqa: F811
    sign_in_page(page, scene["district"].username)

    page.goto("/servicecircle/")
    page.wait_for_selector("[data-testid=sc-map][data-ready='1']")
    p2 = scene["places"]["p2"]  # 二号院: the kindergarten is near, the primary school too far
    page.locator(f"[data-testid=sc-place][data-place='{p2.pk}']").click()
    page.wait_for_selector(f"[data-testid=sc-map][data-isochrone='{p2.pk}']")
    assert page.locator("[data-testid=isochrone]").count() == 3
    page.wait_for_selector(f"[data-testid=place-gaps][data-place='{p2.pk}']")
    panel = page.inner_text("[data-testid=place-panel]")
    assert "二号院" in panel
    assert "小学" in page.inner_text("[data-testid=gap-row]")
    snap(page, "district-leader", "03-service-circle", tmp_path)

    page.click("[data-testid=recommendation-link]")
    page.wait_for_selector("[data-testid=sites-table]")
    assert page.locator("[data-testid=site-row]").count() == 2
    assert page.inner_text("[data-testid=new-population]") == "500"
    snap(page, "district-leader", "04-recommended-sites", tmp_path)
