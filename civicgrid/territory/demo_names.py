"""Plausible Chinese names for generated places, built from the community's own name.

Beijing compounds are named after the street or the old village (金顶街三区, 鲁谷东街小区), the developer's
brand (xx家园, xx嘉园, xx花园), the work unit (首钢xx宿舍) or the resettlement project (xx回迁楼).
"""

from __future__ import annotations

import re

import numpy as np

from civicgrid.territory.models import PlaceKind

_SUFFIX = re.compile(r"(社区居委会|居委会|社区)$")
_ORDINAL = re.compile(r"(第[一二三四五六七八九十]+)$")

BRANDS = ("翠谷", "西山", "京西", "景阳", "永乐", "远洋", "阳光", "和园", "锦绣", "华府", "融景", "首创", "泰禾",
          "万科", "金隅", "中海", "保利", "枫林", "山水", "长安")
HOME_SUFFIXES = ("家园", "嘉园", "花园", "雅苑", "名苑", "新城", "公寓", "华庭", "佳园", "一号")
WORK_UNITS = ("首钢", "特钢", "铸造厂", "发电厂", "水泥厂", "重型电机厂", "二通厂", "北方工业", "高能所", "热电厂",
              "冶金设计院", "军区")
DIRECTIONS = ("东", "西", "南", "北", "中")
OFFICE_WORDS = ("中铁建设", "首钢", "石景山", "银河", "华录", "京西", "长安", "万商", "鲁谷", "五芳")
OFFICE_SUFFIXES = ("大厦", "商务中心", "科技园", "写字楼", "创意园")
SHOP_KINDS = ("便民超市", "菜市场", "药店", "早餐店", "理发店", "五金店", "便利店", "洗衣店", "修车铺", "生鲜店")
FACILITIES = ("社区卫生服务站", "养老驿站", "党群服务中心", "社区服务站", "文化活动室", "托育中心")


def stem(community_name: str) -> str:
    """金顶街三区社区 → 金顶街三区; 西山枫林第一社区 → 西山枫林."""
    name = _SUFFIX.sub("", community_name)
    return _ORDINAL.sub("", name) or name


class NameMaker:
    """Names for the places of one community, unique within it."""

    def __init__(self, community_name: str, rng: np.random.Generator):
        self.stem = stem(community_name)
        self.rng = rng
        self.used: set[str] = set()

    def _pick(self, options) -> str:
        return str(options[int(self.rng.integers(len(options)))])

    def _number(self, high: int = 30) -> int:
        return int(self.rng.integers(1, high + 1))

    def _candidate(self, kind: str) -> str:
        s, pick, n = self.stem, self._pick, self._number
        makers = {
            PlaceKind.COMMODITY_HOUSING: lambda: pick((f"{s}{pick(HOME_SUFFIXES)}",
                                                       f"{pick(BRANDS)}{pick(HOME_SUFFIXES)}",
                                                       f"{pick(BRANDS)}{s}{pick(HOME_SUFFIXES)}")),
            PlaceKind.OLD_COMPOUND: lambda: pick((f"{s}{n()}号院", f"{s}{pick(DIRECTIONS)}里", f"{s}小区",
                                                  f"{s}{pick(DIRECTIONS)}街小区", f"{s}{n(12)}号楼")),
            PlaceKind.PUBLIC_RENTAL: lambda: pick((f"{s}公租房", f"{s}公共租赁住房", f"{pick(BRANDS)}公租房")),
            PlaceKind.RESETTLEMENT: lambda: pick((f"{s}回迁楼", f"{s}安置房", f"{s}新村", f"{s}定向安置房")),
            PlaceKind.UNIT_COMPOUND: lambda: pick((f"{pick(WORK_UNITS)}{s}宿舍", f"{pick(WORK_UNITS)}家属院",
                                                   f"{pick(WORK_UNITS)}宿舍{n(9)}区")),
            PlaceKind.BUNGALOW: lambda: pick((f"{s}平房区", f"{s}村平房区", f"{s}胡同")),
            PlaceKind.OFFICE_BUILDING: lambda: f"{pick(OFFICE_WORDS)}{pick(OFFICE_SUFFIXES)}",
            PlaceKind.SHOP: lambda: f"{s}{pick(SHOP_KINDS)}",
            PlaceKind.FACILITY_SITE: lambda: f"{s}{pick(FACILITIES)}",
        }
        return makers[PlaceKind(kind)]()

    def make(self, kind: str) -> str:
        name = self._candidate(kind)
        for _attempt in range(6):
            if name not in self.used:
                break
            name = self._candidate(kind)
        base, counter = name, 2
        while name in self.used:
            name = f"{base}（{counter}）" if kind in (PlaceKind.SHOP, PlaceKind.FACILITY_SITE) else f"{base}{counter}期"
            counter += 1
        self.used.add(name)
        return name
