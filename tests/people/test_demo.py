import re
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count

from civicgrid.core import crypto
from civicgrid.core.encrypted import unseal
from civicgrid.core.personal import normalize_id_number
from civicgrid.people import demo
from civicgrid.people.models import Household, Resident, ResidentGroup, StaffMember
from civicgrid.people.services import age_on
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import make_user

COUNT = 3000


@pytest.fixture
def compounds(regions):
    made = []
    for index, (grid, kind, population) in enumerate([
        (regions["grid_a"], PlaceKind.COMMODITY_HOUSING, 3000), (regions["grid_a"], PlaceKind.OLD_COMPOUND, 1000),
        (regions["grid_b"], PlaceKind.PUBLIC_RENTAL, 2000), (regions["grid_b"], PlaceKind.SHOP, 50000),
    ]):
        place = Place(name=f"小区{index}", kind=kind, grid=grid, lon=116.2, lat=39.9, population=population)
        place.save()
        made.append(place)
    return made


@pytest.fixture
def generated(compounds):
    return demo.generate_residents(count=COUNT, seed=7)


def test_counts_and_places(generated, compounds):
    assert generated["residents"] == Resident.objects.count() == COUNT
    per_place = dict(Resident.objects.values_list("place__name").annotate(n=Count("id")))
    assert per_place == {"小区0": 1500, "小区1": 500, "小区2": 1000}  # by population; never in the shop
    sizes = Counter(Household.objects.annotate(n=Count("members")).values_list("n", flat=True))
    assert set(sizes) <= {1, 2, 3, 4, 5} and 2.2 < COUNT / sum(sizes.values()) < 3.2
    labels = Household.objects.values_list("unit_label", flat=True)
    assert all(re.fullmatch(r"\d+号楼\d单元\d+0\d室", label) for label in labels)
    assert Household.objects.filter(region_code="").count() == Resident.objects.filter(region_code="").count() == 0


def test_id_numbers_valid_and_consistent(generated):
    numbers = []
    for resident in Resident.objects.all():
        number = unseal(resident, "id_number")
        assert normalize_id_number(number) == number
        assert number[6:14] == f"{resident.birth_date:%Y%m%d}"
        assert (int(number[16]) % 2 == 1) == (resident.gender == "male")
        assert resident.id_number_masked == number[:6] + "*" * 8 + number[-4:]
        assert resident.id_number_index == crypto.blind_index(number)
        numbers.append(number)
    assert len(set(numbers)) == COUNT
    local = sum(n.startswith("110107") for n in numbers) / COUNT
    assert 0.5 < local < 0.8


def test_group_rates_plausible(generated):
    groups = Counter(ResidentGroup.objects.values_list("group", flat=True))
    rate = {g: n / COUNT for g, n in groups.items()}
    today = date.today()
    ages = [age_on(b, today) for b in Resident.objects.values_list("birth_date", flat=True)]
    assert rate["minor"] == pytest.approx(sum(a < 18 for a in ages) / COUNT)
    assert 0.10 < rate["floating"] < 0.22
    assert 0.01 < rate["disability"] < 0.04
    assert 0.002 < rate.get("low_income", 0) < 0.03
    assert 0.01 < rate["elderly_alone"] < 0.06 and 0.03 < rate["empty_nest"] < 0.15
    assert 0.01 < rate["new_resident"] < 0.12
    assert 0.10 < sum(a >= 65 for a in ages) / COUNT < 0.25
    assert 0.03 < Resident.objects.filter(is_party_member=True).count() / COUNT < 0.12
    floating = Resident.objects.filter(residence="floating")
    assert floating.count() == groups["floating"]
    assert not Resident.objects.filter(groups__group="elderly_alone", birth_date__gt=date(today.year - 64, 1, 1))


def test_names_and_phones_look_real(generated):
    names = list(Resident.objects.values_list("name", flat=True))
    assert all(2 <= len(n) <= 3 for n in names)
    assert Counter(n[0] for n in names).most_common(1)[0][0] in "王李张刘"
    phones = Resident.objects.exclude(phone_cipher="")
    assert 0.7 < phones.count() / COUNT < 0.95
    assert all(re.fullmatch(r"1[3-9]\d\*{4}\d{4}", p) for p in phones.values_list("phone_masked", flat=True))


def test_refuses_to_run_twice_unless_cleared(generated):
    with pytest.raises(ValueError):
        demo.generate_residents(count=10)
    again = demo.generate_residents(count=10, seed=8, clear_existing=True)
    assert again["residents"] == Resident.objects.count() == 10


def test_staff_roster_and_account_links(regions):
    result = demo.generate_staff(seed=1)
    assert result == {"staff": 2 * 1 + 2 * 8 + 2, "grid_workers": 2}
    grid_worker = StaffMember.objects.get(region=regions["grid_a"])
    assert list(grid_worker.grids.all()) == [regions["grid_a"]] and grid_worker.body == "grid"
    assert StaffMember.objects.filter(body="party_org", is_party_member=False).count() == 0
    grid_user = make_user(f"grid-{regions['grid_a'].code}", "grid", regions["grid_a"].code)
    community_user = make_user(f"community-{regions['community_b'].code}", "community", regions["community_b"].code)
    make_user("resident-9", "resident")
    assert demo.link_staff_users() == 2
    assert grid_worker.__class__.objects.get(user=grid_user).pk == grid_worker.pk
    assert StaffMember.objects.get(user=community_user).position == "居委会主任"
    assert demo.link_staff_users() == 0
