""""两个覆盖": party organization coverage of non-public enterprises and of office buildings, per area.

- enterprises at or above the size threshold (employees) should have their own organization: `own_share`;
  (the list of those without one, `uncovered_above`);
- those below it are covered by a joint branch (or their own): `joint_share`; the share of them that are partner
  shops of volunteering (联建门店) is `shop_share`;
- office buildings (every territory place of kind office_building) with a workstation: `workstation_share`;
- `organization_share`: all enterprises covered by an own or a joint organization; `uncovered_below` lists the
  small ones no organization covers, `buildings_without` the buildings without a workstation.

Plain Python over rows read by the selectors, so every figure is tested on hand-made rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

DEFAULT_THRESHOLD = 50


def threshold() -> int:
    """Employees from which an enterprise should have its own organization (setting PARTYBUILDING_OWN_ORG_EMPLOYEES)."""
    return int(getattr(settings, "PARTYBUILDING_OWN_ORG_EMPLOYEES", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class EnterpriseRow:
    pk: int
    name: str
    region_code: str
    employees: int
    own: bool
    joint: bool
    shop: bool


@dataclass(frozen=True)
class BuildingRow:
    pk: int | None  # the building's profile, None for an office building not registered for party building yet
    name: str
    region_code: str
    workstation: bool


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Coverage:
    code: str
    above: int = 0
    above_own: int = 0
    below: int = 0
    below_joint: int = 0
    below_shop: int = 0
    buildings: int = 0
    with_workstation: int = 0
    covered: int = 0
    uncovered_above: list[EnterpriseRow] = field(default_factory=list)
    uncovered_below: list[EnterpriseRow] = field(default_factory=list)
    buildings_without: list[BuildingRow] = field(default_factory=list)

    @property
    def enterprises(self) -> int:
        return self.above + self.below

    @property
    def own_share(self) -> float | None:
        return _share(self.above_own, self.above)

    @property
    def joint_share(self) -> float | None:
        return _share(self.below_joint, self.below)

    @property
    def shop_share(self) -> float | None:
        return _share(self.below_shop, self.below)

    @property
    def workstation_share(self) -> float | None:
        return _share(self.with_workstation, self.buildings)

    @property
    def organization_share(self) -> float | None:
        return _share(self.covered, self.enterprises)

    def add_enterprise(self, row: EnterpriseRow, limit: int) -> None:
        self.covered += row.own or row.joint
        if row.employees >= limit:  # should have its own organization, even when a joint branch covers it
            self.above += 1
            self.above_own += row.own
            if not row.own:
                self.uncovered_above.append(row)
            return
        self.below += 1
        self.below_joint += row.own or row.joint
        self.below_shop += row.shop
        if not (row.own or row.joint):
            self.uncovered_below.append(row)

    def add_building(self, row: BuildingRow) -> None:
        self.buildings += 1
        self.with_workstation += row.workstation
        if not row.workstation:
            self.buildings_without.append(row)


def compute(codes: Iterable[str], enterprises: Iterable[EnterpriseRow], buildings: Iterable[BuildingRow],
            limit: int | None = None) -> dict[str, Coverage]:
    """Coverage per area code (each row counts in the area whose code its region code starts with)."""
    limit = threshold() if limit is None else limit
    result = {code: Coverage(code) for code in codes}
    for row in enterprises:
        for code, coverage in result.items():
            if row.region_code.startswith(code):
                coverage.add_enterprise(row, limit)
    for building in buildings:
        for code, coverage in result.items():
            if building.region_code.startswith(code):
                coverage.add_building(building)
    return result
