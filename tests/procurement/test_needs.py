"""The needs a purchase answers are counted from the other modules' records, each region's subtree only."""

from civicgrid.procurement import needs
from tests.cases.conftest import IN_A, IN_B, garbage, report  # noqa: F401  (fixture)
from tests.conftest import COMM_A, COMM_B, DISTRICT
from tests.people.conftest import make_id, places, register  # noqa: F401  (fixtures)


def test_a_hot_spot_counts_the_categorys_cases_in_the_regions_only(users, garbage):  # noqa: F811
    report(users, IN_A, garbage)
    report(users, IN_A, garbage)
    report(users, IN_B, garbage)
    report(users, IN_A)  # no category: not this hot spot
    assert needs.measure("hotspot", garbage.code, [COMM_A])["cases"] == 2
    assert needs.measure("hotspot", garbage.code, [COMM_A, COMM_B])["cases"] == 3
    assert needs.measure("hotspot", garbage.code, [DISTRICT])["cases"] == 3
    assert needs.measure("hotspot", garbage.code, [])["cases"] == 0


def test_a_group_counts_its_residents_in_the_regions_only(register):  # noqa: F811
    register("a", groups=["elderly_alone"], id_number=make_id(seq="201"))
    register("a", groups=["elderly_alone", "disability"], id_number=make_id(seq="202"))
    register("a", groups=["disability"], id_number=make_id(seq="203"))
    register("b", groups=["elderly_alone"], id_number=make_id(seq="204"))
    figures = needs.measure("group", "elderly_alone", [COMM_A])
    assert figures["residents"] == 2 and set(figures) == {"residents", "at"}
    assert needs.measure("group", "elderly_alone", [COMM_A, COMM_B])["residents"] == 3
