"""Reference data every deployment starts with: the district's guiding catalogue with its priority items and the
performance-evaluation template (output, effect and satisfaction indicators, weights adding up to 100). Both are
editable afterwards in the admin."""

CATALOGUE = [
    # code, name, field, priority
    ("A01", "居家养老助餐服务", "elderly", True),
    ("A02", "独居老人探访关爱服务", "elderly", True),
    ("A03", "残疾人康复与托养服务", "disability", True),
    ("A04", "残疾人就业辅导服务", "disability", True),
    ("A05", "就业困难人员帮扶服务", "employment", True),
    ("A06", "青少年课后托管与成长服务", "youth", True),
    ("A07", "社区协商议事能力建设", "governance", True),
    ("B01", "社区文化体育活动组织", "other", False),
    ("B02", "社区心理健康服务", "other", False),
]
INDICATORS = [
    # code, name, dimension, weight
    ("out_qty", "服务数量", "output", 20),
    ("out_quality", "服务质量", "output", 15),
    ("out_time", "完成及时性", "output", 10),
    ("out_cost", "成本控制", "output", 10),
    ("eff_social", "社会效益", "effect", 15),
    ("eff_sustain", "可持续性", "effect", 10),
    ("sat", "服务对象满意度", "satisfaction", 20),
]


def seed(catalogue_model, indicator_model) -> None:
    """Idempotent: items and indicators that exist keep their edited values."""
    for code, name, field, priority in CATALOGUE:
        catalogue_model.objects.get_or_create(code=code, defaults={"name": name, "field": field, "priority": priority})
    for code, name, dimension, weight in INDICATORS:
        indicator_model.objects.get_or_create(code=code, defaults={"name": name, "dimension": dimension,
                                                                   "weight": weight})
