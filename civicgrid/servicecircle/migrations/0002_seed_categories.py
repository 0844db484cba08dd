from django.db import migrations


def seed(apps, schema_editor):
    from civicgrid.servicecircle.reference import seed_categories

    seed_categories(apps.get_model("servicecircle", "Category"))


class Migration(migrations.Migration):
    dependencies = [("servicecircle", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
