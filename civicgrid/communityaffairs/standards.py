"""The editable thresholds, with the values and sources that apply until the district edits them.

None of the defaults was checked against the original document here (no network): each names what the figure
rests on and says "待核实" until a district officer checks the document and ticks "source checked"."""

from decimal import Decimal
from typing import NamedTuple

from civicgrid.communityaffairs.models import Standard

Key = Standard.Key


class Rule(NamedTuple):
    value: Decimal
    source: str
    checked: bool = False


DEFAULTS: dict[str, Rule] = {
    Key.SPACE_PER_100_HOUSEHOLDS: Rule(
        Decimal("30"), "《“十四五”城乡社区服务体系建设规划》（国务院办公厅，2021年）：每百户居民不低于30平方米"
        "（据2022年2月国务院政策例行吹风会的报道，原文待核实）"),
    Key.SPACE_MIN_EXISTING: Rule(
        Decimal("350"), "北京市对既有社区办公和服务用房不低于350平方米的要求（议题所列数值，文件名称与条款待核实）"),
    Key.SPACE_MIN_NEW: Rule(
        Decimal("500"), "《北京市“十四五”城乡社区服务体系建设规划》（北京市人民政府办公厅，2022年9月）：条件允许的"
        "新建小区社区服务管理用房一般不少于500平方米（据报道，原文待核实）"),
    Key.TRAINING_HOURS: Rule(Decimal("40"), "占位数值：年度培训学时要求的文件依据待核实（请区社会工作部门确认）"),
    Key.HOUSEHOLDS_PER_WORKER: Rule(
        Decimal("300"), "占位数值：社区工作者按户数配备的比例及其文件依据待核实（请区社会工作部门确认）"),
}


def current() -> dict[str, Rule]:
    """Every standard's rule: the stored row, else the default."""
    values = dict(DEFAULTS)
    for row in Standard.objects.all():
        values[row.key] = Rule(row.value, row.source, row.source_checked)
    return values


def value(key: str) -> float:
    return float(current()[key].value)
