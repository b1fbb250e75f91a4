"""Loads the region tree from the data files. Later changes to the files are applied with
`manage.py load_regions`, which runs the same idempotent loader."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
