"""People fixtures: residential places in the `regions` grids, resident factories and ID numbers."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from civicgrid.core.personal import id_check_digit
from civicgrid.people import services
from civicgrid.territory.models import Place, PlaceKind


def make_id(area="110107", birth=date(1980, 5, 17), seq="123") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def places(regions):
    def place(name, grid, kind=PlaceKind.COMMODITY_HOUSING):
        p = Place(name=name, kind=kind, grid=grid, lon=grid.center_lon or 116.2, lat=grid.center_lat or 39.9,
                  population=1000, households=400)
        p.save()
        return p

    return {
        "a": place("阳光小区", regions["grid_a"]),
        "b": place("和平里小区", regions["grid_b"]),
        "shop_a": place("便民超市", regions["grid_a"], PlaceKind.SHOP),
    }


@pytest.fixture
def register(users, places):
    """register(place_key="a", **fields) -> Resident, registered by the district user."""
    counter = iter(range(100, 999))

    def _register(place_key="a", **fields):
        seq = f"{next(counter):03d}"
        defaults = {"unit_label": "1号楼1单元101室", "name": "张三", "id_number": make_id(seq=seq),
                    "phone": "13812345678"}
        defaults.update(fields)
        return services.register_resident(actor=users["district"], place=places[place_key], **defaults)

    return _register


def grant_reveal(user):
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    return type(user).objects.get(pk=user.pk)  # drop the permission cache


@pytest.fixture
def revealer(users):
    """The community A worker with the reveal permission."""
    return grant_reveal(users["community_a"])
