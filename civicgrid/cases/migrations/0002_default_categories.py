from django.db import migrations


def seed(apps, schema_editor):
    from civicgrid.cases.taxonomy import ATTRIBUTES, TAXONOMY, UNITS

    unit_model = apps.get_model("cases", "HandlingUnit")
    category_model = apps.get_model("cases", "Category")
    units = {code: unit_model.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in UNITS}
    for code, name, unit_code, subs in TAXONOMY:
        top, _ = category_model.objects.get_or_create(code=code, defaults={"name": name,
                                                                           "default_unit": units[unit_code]})
        for sub_code, sub_name, limit, time_unit, keywords in subs:
            category_model.objects.get_or_create(code=sub_code, defaults={
                "name": sub_name, "parent": top, "time_limit": limit, "time_unit": time_unit, "keywords": keywords,
                "attributes": ATTRIBUTES.get(sub_code, [])})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
