from datetime import date

import pytest

from civicgrid.core.errors import NotFound
from civicgrid.people import selectors
from civicgrid.people.models import SpecialGroup
from tests.people.conftest import make_id


@pytest.fixture
def population(register):
    return {
        "old_woman": register(name="王秀英", id_number=make_id(birth=date(1940, 3, 1), seq="102"),
                              groups=[SpecialGroup.ELDERLY_ALONE]),
        "man": register(name="李强", id_number=make_id(birth=date(1980, 3, 1), seq="111")),
        "boy": register(name="李浩", id_number=make_id(birth=date(2015, 3, 1), seq="131")),
        "other": register(name="张伟", place_key="b", id_number=make_id(birth=date(1980, 3, 1), seq="151")),
    }


def names(queryset):
    return {r.name for r in queryset}


def test_scope(population, users):
    assert names(selectors.residents_for(actor=users["community_a"])) == {"李浩", "李强", "王秀英"}
    assert names(selectors.residents_for(actor=users["community_b"])) == {"张伟"}
    assert len(selectors.residents_for(actor=users["district"])) == 4
    assert not selectors.residents_for(actor=users["resident"]).exists()
    # a region filter never widens the actor's area
    assert names(selectors.residents_for(actor=users["grid_a"], region="110107")) == {"李浩", "李强", "王秀英"}
    assert not selectors.residents_for(actor=users["community_a"], region="110107002").exists()


def test_filters(population, users):
    actor, today = users["district"], date(2026, 11, 26)
    assert names(selectors.residents_for(actor=actor, group=SpecialGroup.MINOR)) == {"李浩"}
    assert names(selectors.residents_for(actor=actor, gender="female")) == {"王秀英"}
    assert names(selectors.residents_for(actor=actor, age_min=46, age_max=46, today=today)) == {"张伟", "李强"}
    assert names(selectors.residents_for(actor=actor, age_min=47, today=today)) == {"王秀英"}
    assert names(selectors.residents_for(actor=actor, age_max=11, today=today)) == {"李浩"}
    assert names(selectors.residents_for(actor=actor, q="李")) == {"李浩", "李强"}
    assert names(selectors.residents_for(actor=actor, place_id=population["other"].place_id)) == {"张伟"}
    assert names(selectors.residents_for(actor=actor, region="110107002001001")) == {"张伟"}


def test_detail_scope(population, users):
    other = population["other"]
    assert selectors.resident_detail(actor=users["community_b"], resident_id=other.pk) == other
    for actor in (users["community_a"], users["grid_a"], users["resident"]):
        with pytest.raises(NotFound):
            selectors.resident_detail(actor=actor, resident_id=other.pk)
    with pytest.raises(NotFound):
        selectors.resident_detail(actor=users["district"], resident_id=10**9)


def test_list_has_no_n_plus_one(register, users, login, django_assert_max_num_queries):
    for seq in range(100, 130):
        register(id_number=make_id(seq=str(seq)), groups=[SpecialGroup.VETERAN, SpecialGroup.DISABILITY])
    with django_assert_max_num_queries(3):  # residents (with place and household) + their groups
        rows = [(r.place.name, r.household.unit_label, [g.group for g in r.groups.all()])
                for r in selectors.residents_for(actor=users["district"])]
    assert len(rows) == 30
    client = login(users["district"])
    client.get("/api/v1/residents")  # warm up the session and permission caches
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/residents", {"limit": 30}).json()["count"] == 30
    with django_assert_max_num_queries(12):
        client.get("/people/residents/")
