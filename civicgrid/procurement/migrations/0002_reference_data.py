from django.db import migrations


def forwards(apps, schema_editor):
    from civicgrid.procurement.reference import seed

    seed(apps.get_model("procurement", "CatalogueItem"), apps.get_model("procurement", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
