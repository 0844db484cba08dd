"""The default category set: GB/T 30428.2 major categories of urban management components and events
(市容环境, 宣传广告, 施工管理, 街面秩序, 突发事件 …) plus social-service extensions, with time limits,
keywords and the unit each goes to by default. `seed_defaults` is idempotent."""

from civicgrid.cases.models import Category, HandlingUnit, TimeUnit

D, H = TimeUnit.DAYS, TimeUnit.HOURS

UNITS = (
    ("city", "区城市管理委员会"),
    ("housing", "区住房和城乡建设委员会"),
    ("civil", "区民政局"),
    ("market", "区市场监督管理局"),
    ("environment", "区生态环境局"),
)

# (code, name, unit code, [(code, name, limit, unit of time, keywords)])
TAXONOMY = (
    ("01", "市容环境", "city", [
        ("0101", "暴露垃圾", 1, D, "垃圾,垃圾桶,垃圾堆,乱扔"),
        ("0102", "积存垃圾渣土", 2, D, "渣土,积存,建筑垃圾"),
        ("0103", "道路不洁", 1, D, "路面脏,不洁,油污,污渍"),
        ("0104", "乱堆物堆料", 2, D, "堆物,堆料,乱堆,杂物"),
        ("0105", "违章搭建", 10, D, "违建,违章搭建,私搭乱建,搭建"),
    ]),
    ("02", "宣传广告", "city", [
        ("0201", "非法小广告", 1, D, "小广告,张贴,涂写,喷涂"),
        ("0202", "违规户外广告", 5, D, "广告牌,户外广告,招牌"),
    ]),
    ("03", "施工管理", "housing", [
        ("0301", "施工扰民", 8, H, "施工噪音,夜间施工,施工扰民"),
        ("0302", "工地扬尘", 8, H, "扬尘,工地,未苫盖"),
        ("0303", "道路破损", 5, D, "坑洼,路面破损,塌陷,井盖"),
    ]),
    ("04", "街面秩序", "city", [
        ("0401", "无照经营游商", 4, H, "游商,摆摊,占道经营,无照"),
        ("0402", "店外经营", 1, D, "店外,出店经营,占道"),
        ("0403", "乱停车", 4, H, "乱停,停车,占用车位,僵尸车,共享单车"),
    ]),
    ("05", "突发事件", "city", [
        ("0501", "道路积水", 2, H, "积水,内涝,下水道堵"),
        ("0502", "火灾隐患", 2, H, "火灾,电动车充电,飞线,消防通道"),
        ("0503", "树木倒伏", 4, H, "倒伏,树倒,断枝"),
    ]),
    ("06", "养老助残", "civil", [
        ("0601", "居家养老服务", 5, D, "养老,老人,助餐,独居"),
        ("0602", "无障碍设施", 10, D, "无障碍,坡道,盲道,残疾"),
    ]),
    ("07", "物业管理", "housing", [
        ("0701", "物业服务", 5, D, "物业,保洁,门禁,电梯"),
        ("0702", "供暖供水", 1, D, "暖气,供暖,停水,水压"),
    ]),
    ("08", "邻里纠纷", "civil", [
        ("0801", "邻里矛盾", 5, D, "邻居,纠纷,矛盾,吵架"),
        ("0802", "漏水渗水", 3, D, "漏水,渗水,楼上"),
    ]),
    ("09", "噪音扰民", "environment", [
        ("0901", "商业噪音", 1, D, "噪音,音响,广场舞,吵闹"),
        ("0902", "油烟异味", 3, D, "油烟,异味,臭味,烧烤"),
    ]),
    ("10", "公共设施", "city", [
        ("1001", "路灯照明", 3, D, "路灯,不亮,照明"),
        ("1002", "健身器材", 5, D, "健身器材,器械,损坏"),
        ("1003", "食品安全", 3, D, "食品,过期,卫生,餐馆"),
    ]),
)

# Open311 attributes for categories that need more than a description.
ATTRIBUTES = {
    "0403": [{"variable": True, "code": "plate", "datatype": "string", "required": False, "order": 1,
              "description": "车牌号（如可见）", "datatype_description": "例如 京A12345"}],
    "0502": [{"variable": True, "code": "hazard", "datatype": "singlevaluelist", "required": True, "order": 1,
              "description": "隐患类型", "values": [{"key": "charging", "name": "电动车违规充电"},
                                                   {"key": "wires", "name": "私拉电线"},
                                                   {"key": "exit", "name": "消防通道堵塞"}]}],
}


def seed_units() -> dict[str, HandlingUnit]:
    return {code: HandlingUnit.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in UNITS}


def seed_defaults() -> dict[str, Category]:
    units = seed_units()
    made: dict[str, Category] = {}
    for code, name, unit_code, subs in TAXONOMY:
        top, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "default_unit": units[unit_code]})
        made[code] = top
        for sub_code, sub_name, limit, time_unit, keywords in subs:
            made[sub_code], _ = Category.objects.get_or_create(code=sub_code, defaults={
                "name": sub_name, "parent": top, "time_limit": limit, "time_unit": time_unit, "keywords": keywords,
                "attributes": ATTRIBUTES.get(sub_code, [])})
    return made
