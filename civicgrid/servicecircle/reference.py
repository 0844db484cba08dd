"""Default facility categories and where their walking distances come from.

GB 50180-2018《城市居住区规划设计标准》 defines 15-, 10- and 5-minute life circles with walking distances of
800–1000 m, 500 m and 300 m, and assigns each supporting facility (配套设施) to one of them (附录 B/C).
商务部等12部门《关于推进城市一刻钟便民生活圈建设的意见》(商流通函〔2021〕176号) and the《城市一刻钟便民生活圈
建设指南》 list the basic convenience businesses of a "quarter-hour" circle but give no distance per business:
the distances below for those are civicgrid planning defaults that the district office can edit.

`seed_categories` is idempotent: it creates missing categories and never overwrites edited ones.
"""

from __future__ import annotations

GB = "GB 50180-2018《城市居住区规划设计标准》"
MOFCOM = "商务部等12部门《关于推进城市一刻钟便民生活圈建设的意见》(商流通函〔2021〕176号)"
DEFAULT_NOTE = "；步行距离为 civicgrid 规划默认值，可由区社会办调整"

# code, name, English name, level, walking distance (m), source note
DEFAULT_CATEGORIES: list[tuple[str, str, str, str, int, str]] = [
    ("middle_school", "初中", "Junior middle school", "15min", 1000,
     f"{GB} 十五分钟生活圈居住区配套设施：初中服务半径不宜大于1000m"),
    ("health_center", "社区卫生服务中心", "Community health service centre", "15min", 1000,
     f"{GB} 十五分钟生活圈居住区配套设施：卫生服务中心（社区医院）服务半径不宜大于1000m"),
    ("culture_center", "文化活动中心", "Cultural activity centre", "15min", 1000,
     f"{GB} 十五分钟生活圈居住区配套设施：文化活动中心（含青少年、老年活动中心）"),
    ("nursing_home", "养老院", "Nursing home", "15min", 1000,
     f"{GB} 十五分钟生活圈居住区配套设施：养老院" + DEFAULT_NOTE),
    ("sports_ground", "大型多功能运动场地", "Large multi-purpose sports ground", "15min", 1000,
     f"{GB} 十五分钟生活圈居住区配套设施：大型多功能运动场地服务半径不宜大于1000m"),
    ("primary_school", "小学", "Primary school", "10min", 500,
     f"{GB} 十分钟生活圈居住区配套设施：小学服务半径不宜大于500m"),
    ("market", "菜市场或生鲜超市", "Food market or fresh-food supermarket", "10min", 500,
     f"{GB} 十分钟生活圈居住区配套设施：菜市场或生鲜超市服务半径不宜大于500m"),
    ("kindergarten", "幼儿园", "Kindergarten", "5min", 300,
     f"{GB} 五分钟生活圈居住区配套设施：幼儿园服务半径不宜大于300m"),
    ("service_station", "社区服务站", "Community service station", "5min", 300,
     f"{GB} 五分钟生活圈居住区配套设施：社区服务站（含居委会、治安联防站、残疾人康复室）服务半径不宜大于300m"),
    ("elderly_daycare", "老年人日间照料中心", "Elderly day-care centre", "5min", 300,
     f"{GB} 五分钟生活圈居住区配套设施：老年人日间照料中心（托老所）服务半径不宜大于300m"),
    ("health_station", "社区卫生服务站", "Community health station", "5min", 300,
     f"{GB} 五分钟生活圈居住区配套设施：社区卫生服务站" + DEFAULT_NOTE),
    ("convenience_store", "便利店", "Convenience store", "convenience", 300,
     MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("breakfast", "早餐店", "Breakfast shop", "convenience", 500, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("pharmacy", "药店", "Pharmacy", "convenience", 500, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("greengrocer", "菜店", "Greengrocer", "convenience", 500, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("repair", "维修点", "Repair point", "convenience", 1000, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("housekeeping", "家政服务网点", "Housekeeping service point", "convenience", 1000,
     MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("parcel", "快递服务站", "Parcel service point", "convenience", 500,
     MOFCOM + "：基本保障类业态（邮政快递综合服务点）" + DEFAULT_NOTE),
    ("laundry", "洗染店", "Laundry", "convenience", 1000, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
    ("hairdresser", "美容美发店", "Hairdresser", "convenience", 1000, MOFCOM + "：基本保障类业态" + DEFAULT_NOTE),
]

# OpenStreetMap tags → category code. Checked in this order; the first match wins. A school is a
# junior middle school when its name contains 中学/初中 or isced:level is 2, otherwise a primary school.
OSM_TAG_MAPPING: list[tuple[str, str, str]] = [
    ("amenity", "kindergarten", "kindergarten"),
    ("amenity", "childcare", "kindergarten"),
    ("amenity", "school", "primary_school"),  # refined by name / isced:level, see osm_category
    ("amenity", "clinic", "health_station"),
    ("amenity", "doctors", "health_station"),
    ("healthcare", "centre", "health_center"),
    ("healthcare", "clinic", "health_station"),
    ("healthcare", "doctor", "health_station"),
    ("amenity", "pharmacy", "pharmacy"),
    ("healthcare", "pharmacy", "pharmacy"),
    ("shop", "chemist", "pharmacy"),
    ("amenity", "social_facility", "elderly_daycare"),  # social_facility=nursing_home → nursing_home
    ("amenity", "nursing_home", "nursing_home"),
    ("amenity", "community_centre", "service_station"),
    ("amenity", "arts_centre", "culture_center"),
    ("amenity", "marketplace", "market"),
    ("shop", "supermarket", "market"),
    ("shop", "greengrocer", "greengrocer"),
    ("shop", "convenience", "convenience_store"),
    ("amenity", "post_office", "parcel"),
    ("amenity", "parcel_locker", "parcel"),
    ("shop", "laundry", "laundry"),
    ("shop", "dry_cleaning", "laundry"),
    ("shop", "hairdresser", "hairdresser"),
    ("shop", "beauty", "hairdresser"),
    ("craft", "shoemaker", "repair"),
    ("shop", "repair", "repair"),
    ("shop", "mobile_phone_repair", "repair"),
    ("craft", "tailor", "repair"),
    ("office", "housekeeping", "housekeeping"),
    ("leisure", "sports_centre", "sports_ground"),
    ("leisure", "pitch", "sports_ground"),
]


def osm_category(tags) -> str | None:
    """The category code for an OSM object's tags (any mapping with .get), or None if unmapped."""
    for key, value, code in OSM_TAG_MAPPING:
        if tags.get(key) != value:
            continue
        if code == "primary_school":
            name = tags.get("name") or ""
            if tags.get("isced:level") == "2" or "中学" in name or "初中" in name:
                return "middle_school"
        if key == "amenity" and value == "social_facility" and tags.get("social_facility") == "nursing_home":
            return "nursing_home"
        if key == "amenity" and value == "social_facility" and tags.get("social_facility:for") not in (
                None, "senior", "elderly"):
            continue
        return code
    return None


def seed_categories(category_model=None) -> int:
    """Create the default categories that do not exist yet; return how many were created."""
    if category_model is None:
        from civicgrid.servicecircle.models import Category as category_model  # noqa: N813
    existing = set(category_model.objects.values_list("code", flat=True))
    new = [category_model(code=code, name=name, name_en=name_en, level=level, walk_distance_m=distance,
                          source=source, sort_order=index)
           for index, (code, name, name_en, level, distance, source) in enumerate(DEFAULT_CATEGORIES)
           if code not in existing]
    category_model.objects.bulk_create(new)
    return len(new)


# Public facility sites (Place kind "facility_site") are candidates for new facilities. A site already built for
# one use can host only related services: the word in its name → the categories it may take. A childcare centre
# (托育) is never proposed for an elderly day-care gap, a clinic never for a school. Multi-purpose community
# rooms (党群服务中心, 社区服务站, 文化活动室) host community services, day care for the elderly and small
# convenience services; a site whose name names no use (公建用地, 闲置用房) may take any category. Schools,
# large sports grounds and markets need their own land: only user-given points or unnamed sites serve them.
_COMMUNITY_ROOM = frozenset({"service_station", "culture_center", "elderly_daycare", "housekeeping", "repair",
                             "parcel"})
SITE_USES: list[tuple[str, frozenset[str]]] = [
    ("托育", frozenset({"kindergarten"})),
    ("托儿", frozenset({"kindergarten"})),
    ("幼儿园", frozenset({"kindergarten"})),
    ("养老院", frozenset({"nursing_home", "elderly_daycare"})),
    ("敬老院", frozenset({"nursing_home", "elderly_daycare"})),
    ("养老", frozenset({"elderly_daycare", "nursing_home", "health_station"})),  # 养老驿站: 医养结合
    ("日间照料", frozenset({"elderly_daycare"})),
    ("托老", frozenset({"elderly_daycare"})),
    ("卫生", frozenset({"health_station", "health_center", "pharmacy"})),
    ("医院", frozenset({"health_center", "health_station", "pharmacy"})),
    ("党群服务", _COMMUNITY_ROOM),
    ("社区服务", _COMMUNITY_ROOM),
    ("文化", _COMMUNITY_ROOM),
    ("活动室", _COMMUNITY_ROOM),
    ("学校", frozenset({"primary_school", "middle_school"})),
    ("小学", frozenset({"primary_school"})),
    ("中学", frozenset({"middle_school"})),
    ("体育", frozenset({"sports_ground"})),
    ("运动", frozenset({"sports_ground"})),
    ("市场", frozenset({"market", "greengrocer", "breakfast", "convenience_store"})),
]


def site_uses(name: str) -> frozenset[str] | None:
    """The categories a public facility site may take, from the first use named in its name; None: any."""
    for word, categories in SITE_USES:
        if word in (name or ""):
            return categories
    return None


def site_fits(category_code: str, name: str) -> bool:
    uses = site_uses(name)
    return uses is None or category_code in uses
