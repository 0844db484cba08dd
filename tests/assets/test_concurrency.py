"""Imports of the same new codes at once: each import is whole or nothing, no code is stored twice, and a loser
gets the stable `concurrent_import` refusal (or, on a database that serializes writers, simply finds the rows and
leaves them unchanged)."""

import pytest

from civicgrid.assets import services
from civicgrid.assets.models import Asset
from tests.concurrency import in_threads, outcome

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
WORKERS = 6
DATA = ("code,kind,lon,lat\n" + "".join(f"11010701180000{n:02d},0118,116.155,39.905\n" for n in range(20))).encode()


def _import(user_id: int) -> str:
    from civicgrid.accounts.models import User

    return outcome(services.import_assets, actor=User.objects.get(pk=user_id), name="lamps.csv", data=DATA)


def test_concurrent_imports_of_the_same_codes_store_each_code_once(users):
    results = in_threads(_import, [(users["district"].pk,)] * WORKERS, together=True)
    assert len(results) == WORKERS and "ok" in results and set(results) <= {"ok", "concurrent_import"}
    assert Asset.objects.count() == 20
    assert sorted(Asset.objects.values_list("code", flat=True)) == sorted(
        f"11010701180000{n:02d}" for n in range(20))
