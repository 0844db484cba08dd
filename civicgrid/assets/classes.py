"""Street asset (城市部件) classes after GB/T 30428.2-2013 (数字化城市管理信息系统 第2部分：管理部件和事件), which
continues CJ/T 214-2007.

What we follow, and how sure we are:
- The asset code (部件标识码) has 16 digits: the 6-digit county-level division code (GB/T 2260, 110107 for
  Shijingshan) + 2-digit major class (大类) + 2-digit minor class (小类) + a 6-digit sequence number.
- The six major classes 01 公用设施, 02 道路交通, 03 市容环境, 04 园林绿化, 05 房屋土地, 06 其他设施.
- Minor classes: the manhole-cover codes 0101–0113 follow the published table; the other minor-class numbers
  below are taken from secondary copies of the table and are marked `checked=False`: check them against the
  district's licensed copy of the standard before exchanging codes with another system.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAJOR = {
    "01": _("Public utilities"),  # 公用设施
    "02": _("Roads and traffic"),  # 道路交通
    "03": _("City appearance and environment"),  # 市容环境
    "04": _("Parks and greenery"),  # 园林绿化
    "05": _("Buildings and land"),  # 房屋土地
    "06": _("Other facilities"),  # 其他设施
}


@dataclass(frozen=True)
class AssetClass:
    code: str  # 4 digits: major + minor
    name: str  # the standard's Chinese name
    checked: bool = True

    @property
    def major(self) -> str:
        return self.code[:2]


CLASSES = (
    AssetClass("0101", "上水井盖"),
    AssetClass("0102", "污水井盖"),
    AssetClass("0103", "雨水井盖"),
    AssetClass("0104", "雨水箅子"),
    AssetClass("0105", "电力井盖"),
    AssetClass("0106", "路灯井盖"),
    AssetClass("0107", "通信井盖"),
    AssetClass("0108", "电视井盖"),
    AssetClass("0109", "网络井盖"),
    AssetClass("0110", "热力井盖"),
    AssetClass("0111", "燃气井盖"),
    AssetClass("0112", "公安井盖"),
    AssetClass("0113", "无主井盖"),
    AssetClass("0116", "消防栓", checked=False),
    AssetClass("0118", "路灯", checked=False),
    AssetClass("0202", "交通标志牌", checked=False),
    AssetClass("0207", "路名牌", checked=False),
    AssetClass("0301", "公共厕所", checked=False),
    AssetClass("0306", "垃圾箱", checked=False),
    AssetClass("0402", "行道树", checked=False),
    AssetClass("0407", "街头座椅", checked=False),
)
BY_CODE = {c.code: c for c in CLASSES}
KIND_CHOICES = [(c.code, f"{c.code} {c.name}") for c in CLASSES]
CODE_DIGITS = 16


def code_problem(code: str, kind: str) -> str | None:
    """Why `code` is not a valid asset code of class `kind`, or None."""
    if len(code) != CODE_DIGITS or not code.isdigit():
        return "invalid_asset_code"
    if code[6:10] != kind:
        return "asset_code_kind_mismatch"
    return None


def make_code(district_code: str, kind: str, sequence: int) -> str:
    return f"{district_code}{kind}{sequence:06d}"
