"""The editable thresholds, with the values and sources that apply until the district edits them."""

from decimal import Decimal

from civicgrid.communityaffairs.models import Standard

Key = Standard.Key

DEFAULTS: dict[str, tuple[Decimal, str]] = {
    Key.SPACE_PER_100_HOUSEHOLDS: (Decimal("30"), "民政部等《城乡社区服务体系建设规划》：每百户不低于30平方米"),
    Key.SPACE_MIN_EXISTING: (Decimal("350"), "北京市社区办公和服务用房标准：老旧社区不低于350平方米"),
    Key.SPACE_MIN_NEW: (Decimal("350"), "北京市现行规定：新建社区按规划配建，不低于350平方米（以市级最新文件为准）"),
    Key.TRAINING_HOURS: (Decimal("40"), "区社会工作委员会：社区工作者年度培训不少于40学时"),
    Key.HOUSEHOLDS_PER_WORKER: (Decimal("300"), "北京市社区工作者配备标准：每300户配备1名社区工作者"),
}


def current() -> dict[str, tuple[Decimal, str]]:
    """Every standard's (value, source): the stored row, else the default."""
    values = dict(DEFAULTS)
    for row in Standard.objects.all():
        values[row.key] = (row.value, row.source)
    return values


def value(key: str) -> float:
    return float(current()[key][0])
