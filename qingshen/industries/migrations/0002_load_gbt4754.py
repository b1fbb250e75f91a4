"""Loads GB/T 4754-2017; `manage.py load_industries` re-applies the data file later."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.industries.loader import load_industries

    load_industries(apps.get_model("industries", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("industries", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
