"""Each key figure links to the list behind it: opening the link as the same user shows exactly what the figure
counts (the period and the region travel as query parameters; the user's jurisdiction applies)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases.models import OPEN_STATES, Case
from civicgrid.cockpit import rollup, selectors
from civicgrid.cockpit.periods import Period
from civicgrid.territory.models import Region
from tests.conftest import COMM_A, DISTRICT, SUB_A, SUB_B

pytestmark = pytest.mark.django_db

STATISTICS_RATE = {"response_rate": "response", "resolution_rate": "resolution",
                   "satisfaction_rate": "satisfaction", "on_time_closure_rate": "on_time_closure",
                   "rework_rate": "rework"}
VIEWS = [("district", DISTRICT), ("district", COMM_A), ("sub_a", SUB_A), ("sub_a", COMM_A)]


@pytest.fixture
def rolled(random_cases):
    """The random world, plus overdue cases reported long before the period: a link without the period
    would list them too."""
    old = timezone.localdate() - timedelta(days=400)
    Case.objects.filter(state__in=OPEN_STATES, reported_on__lt=old).update(overdue=True)
    rollup.refresh(full=True)
    return random_cases


def _cards(user, code: str, period: Period) -> dict:
    region = Region.objects.get(code=code)
    return {card.kpi.key: card for card in selectors.cards(actor=user, region=region, period=period)}


@pytest.mark.parametrize(("who", "code"), VIEWS)
@pytest.mark.parametrize("kind", ["month", "year"])
def test_the_overdue_figure_opens_exactly_its_cases(login, users, rolled, who, code, kind):
    period = Period.containing(kind, timezone.localdate())
    card = _cards(users[who], code, period)["overdue_cases"]
    assert card.url.startswith("/cases/desk/")
    listing = login(users[who]).get(card.url)
    assert listing.status_code == 200
    page = listing.context["page"]
    assert page.paginator.count == card.value
    assert all(c.reported_on >= period.start and c.reported_on < period.end and c.overdue
               and c.region_code.startswith(code) for c in page.object_list)
    total_overdue = Case.objects.filter(overdue=True, state__in=OPEN_STATES, region_code__startswith=code).count()
    assert total_overdue > card.value  # the old overdue cases are left out


def test_the_overdue_figure_is_not_zero_in_the_world(users, rolled):
    period = Period.containing("year", timezone.localdate())
    assert _cards(users["district"], DISTRICT, period)["overdue_cases"].value > 0


@pytest.mark.parametrize(("who", "code"), VIEWS)
def test_the_case_figures_open_the_statistics_of_their_region_and_period(login, users, rolled, who, code):
    period = Period.containing("year", timezone.localdate())
    cards = _cards(users[who], code, period)
    client = login(users[who])
    reported = client.get(cards["cases_reported"].url)
    assert reported.status_code == 200
    assert reported.context["report"].total.counts["reported"] == cards["cases_reported"].value > 0
    for key, rate in STATISTICS_RATE.items():
        response = client.get(cards[key].url)
        shown = response.context["report"].total.rates[rate]
        assert shown == pytest.approx(cards[key].value, abs=1e-4), key


def test_a_region_outside_the_jurisdiction_is_not_shown_by_the_links(login, users, rolled):
    """A subdistrict leader who edits the link to another subdistrict gets his own area, never the other's."""
    period = Period.containing("year", timezone.localdate())
    own = _cards(users["sub_a"], SUB_A, period)
    other = own["overdue_cases"].url.replace(f"region={SUB_A}", f"region={SUB_B}")
    listing = login(users["sub_a"]).get(other)
    assert all(c.region_code.startswith(SUB_A) for c in listing.context["page"].object_list)


def test_a_malformed_date_in_the_desk_filter_is_ignored(login, users, rolled):
    client = login(users["district"])
    plain = client.get("/cases/desk/", {"overdue": "1"}).context["page"].paginator.count
    odd = client.get("/cases/desk/", {"overdue": "1", "reported_from": "2026-13-40", "reported_to": "x"})
    assert odd.status_code == 200 and odd.context["page"].paginator.count == plain


def _resolutions(community: str, start) -> None:
    from civicgrid.consultation.models import Resolution

    done, dropped = Resolution.Status.DONE, Resolution.Status.DROPPED
    for n, (status, late) in enumerate([(done, 0), (done, 2), ("planned", 0), (dropped, 0), (done, 0)]):
        due = start + timedelta(days=n)
        Resolution.objects.create(region_code=community, title=f"决议{n}", owner="居委会", due_on=due, status=status,
                                  done_on=due + timedelta(days=late) if status == done else None)
    Resolution.objects.create(region_code=community, title="上月决议", owner="居委会", due_on=start - timedelta(days=3))


@pytest.mark.parametrize(("who", "code"), VIEWS)
def test_the_resolutions_figure_opens_the_resolutions_it_counts(login, users, rolled, who, code):
    period = Period.containing("month", timezone.localdate())
    for community in (COMM_A, "110107002001"):
        _resolutions(community, period.start)
    card = _cards(users[who], code, period)["resolutions_on_time"]
    board = login(users[who]).get(card.url)
    due = board.context["due"]
    assert due["count"] == 4 * (2 if code == DISTRICT else 1)  # the dropped and last month's are not counted
    assert round(due["in_time"] / due["count"], 4) == card.value == 0.5
    listed = board.context["resolutions"]
    assert len(listed) == due["count"] and all(r.region_code.startswith(code) for r in listed)
    assert 'data-testid="due-filter"' in board.content.decode()
